"""Job step, optimize: merge duplicates and let newer facts supersede contradicted ones; one page per call."""

from agent_memory.domain.operations import Phase
from agent_memory.entry.jobs import phase_step

handler = phase_step(Phase.RESOLVE_DUPLICATES)
