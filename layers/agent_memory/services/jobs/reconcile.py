"""Reconciling an asynchronously fed search projection with the store (part of the reindex job).

Where the projection generates document ids (OpenSearch Serverless vector collections), a write finds a memory's
earlier documents by a query, and a query does not see documents indexed within the collection's refresh window. An
update or delete that follows a write that closely leaves the earlier document behind. Search never shows such a
document (it re-checks every hit against its record), but it stays in the index until something removes it: this pass
pages through one user's documents and removes every one that no record stands behind.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from agent_memory.domain.models import Memory, Owner
from agent_memory.ports import IndexedDocument, MemoryStore, ProjectionWriter

PAGE = 200


def orphans(documents: Sequence[IndexedDocument], records: Mapping[str, Memory]) -> list[IndexedDocument]:
    """The documents no record stands behind: of a memory that is gone (deleted, or expired), built from an older
    version than the record's or disagreeing with its superseded state, and every copy but one of a document that
    is current."""
    found: list[IndexedDocument] = []
    current: set[str] = set()
    for document in documents:
        record = records.get(document.memory_id)
        stale = (
            record is None
            or document.version is None
            or document.version < record.version
            or document.superseded != (record.superseded_by is not None)
        )
        if stale or document.memory_id in current:
            found.append(document)
        else:
            current.add(document.memory_id)
    return found


def reconcile_page(
    store: MemoryStore, projection: ProjectionWriter, owner: Owner, after: str | None, now: datetime
) -> tuple[str | None, int, int]:
    """One page from `after` (a memory id; None from the start): (where the next page starts, or None after the
    last; documents checked; documents removed). The index is read before the store, so a record can only be newer
    than the documents it is compared with, never older."""
    documents = projection.documents(owner, after, PAGE)
    if not documents:
        return None, 0, 0
    records = store.get_many(owner, sorted({document.memory_id for document in documents}), now)
    removed = projection.remove(orphans(documents, records))
    return documents[-1].memory_id, len(documents), removed
