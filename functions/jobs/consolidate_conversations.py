"""Job step, consolidate-conversations: extract facts not yet extracted from stored logs; one page per call."""

from agent_memory.domain.operations import Phase
from agent_memory.entry.jobs import phase_step

handler = phase_step(Phase.CONSOLIDATE_CONVERSATIONS)
