"""Job step, optimize: cluster the user's memories and label memories without topics; one page per call."""

from agent_memory.domain.operations import Phase
from agent_memory.entry.jobs import phase_step

handler = phase_step(Phase.REFRESH_TOPICS)
