"""Job step, erase-search-index: delete the user's documents from the search index."""

from agent_memory.domain.operations import Phase
from agent_memory.entry.jobs import phase_step

handler = phase_step(Phase.ERASE_SEARCH_INDEX)
