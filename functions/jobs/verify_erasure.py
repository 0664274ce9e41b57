"""Job step, verify-erasure: look in every store again until a pass finds nothing; the receipt."""

from agent_memory.domain.operations import Phase
from agent_memory.entry.jobs import phase_step

handler = phase_step(Phase.VERIFY_ERASURE)
