"""Nothing new about a user while their erasure runs.

Memory inserts check the store's erasure mark inside their own transaction. What is written elsewhere checks it
first: a job started for the user, each step of a job already running (a job that began before the erasure stops at
its next step instead of writing an export or a log after the verification), and a conversation turn's transcript.
The erasure job itself is the one thing that runs.
"""

from __future__ import annotations

from agent_memory.domain.errors import being_erased
from agent_memory.domain.models import Owner
from agent_memory.ports import ErasureMarks


def refuse_while_erasing(marks: ErasureMarks, owner: Owner) -> None:
    """Raises UserBeingErased (409) while an erasure of this user runs or has failed and must run again."""
    operation_id = marks.erasure_of(owner)
    if operation_id is not None:
        raise being_erased(owner, operation_id)
