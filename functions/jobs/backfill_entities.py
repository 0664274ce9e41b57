"""Job step, backfill-entities: find the entities of memories stored without any; one page per call."""

from agent_memory.domain.operations import Phase
from agent_memory.entry.jobs import phase_step

handler = phase_step(Phase.BACKFILL_ENTITIES)
