"""Job step, reindex: re-embed stale vectors and rewrite the search index; one page per call."""

from agent_memory.domain.operations import Phase
from agent_memory.entry.jobs import phase_step

handler = phase_step(Phase.REINDEX)
