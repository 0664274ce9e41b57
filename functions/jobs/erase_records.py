"""Job step, erase-records: delete stored idempotent responses, operations and job locks of the user."""

from agent_memory.domain.operations import Phase
from agent_memory.entry.jobs import phase_step

handler = phase_step(Phase.ERASE_RECORDS)
