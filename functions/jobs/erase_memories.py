"""Job step, erase-memories: mark the user as being erased, then delete their memories, history, counters and
uniqueness claims a page at a time."""

from agent_memory.domain.operations import Phase
from agent_memory.entry.jobs import phase_step

handler = phase_step(Phase.ERASE_MEMORIES)
