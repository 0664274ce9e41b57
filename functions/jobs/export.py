"""Job step, export: write one user's export to the export store, a part at a time."""

from agent_memory.domain.operations import Phase
from agent_memory.entry.jobs import phase_step

handler = phase_step(Phase.EXPORT)
