"""Job step, erase-logs: delete the user's raw conversation logs in every version."""

from agent_memory.domain.operations import Phase
from agent_memory.entry.jobs import phase_step

handler = phase_step(Phase.ERASE_LOGS)
