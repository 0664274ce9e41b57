"""Job step, generate-episodes: one episode memory per stored thread log; one page per call."""

from agent_memory.domain.operations import Phase
from agent_memory.entry.jobs import phase_step

handler = phase_step(Phase.GENERATE_EPISODES)
