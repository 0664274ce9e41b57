"""Every operation of the /v1 API, once: its parameters (the client method's), request and answer.

`Api` turns each into a method of both clients (see `_call.Endpoint`).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any, Unpack

import httpx

from agent_memory_client import models as m
from agent_memory_client._call import (
    Call,
    Endpoint,
    Pages,
    body,
    query_params,
    read_bytes,
    read_model,
    read_nothing,
    segment,
)
from agent_memory_client.inputs import (
    EntityIn,
    EntityType,
    ExportFormat,
    ListFilters,
    MemoryChanges,
    MemoryFields,
    MemoryMode,
    Message,
    NewMemory,
    OperationFilters,
    SearchOptions,
    SettingsChanges,
    StartableJob,
    TurnScope,
)

MEDIA_TYPES: dict[str, str] = {"ndjson": "application/x-ndjson", "json": "application/json"}


def health() -> Call[m.Health]:
    """The server's liveness and version (no key needed)."""
    return Call("GET", "/healthz", read_model(m.Health))


def create_memory(user_id: str, content: str, **fields: Unpack[MemoryFields]) -> Call[m.Memory]:
    """Remember one thing about a user; DuplicateMemory (with `existing_id`) if the user already has it."""
    values: dict[str, Any] = dict(fields)
    if "entities" in values:
        values["entities"] = [EntityIn.model_validate(entity) for entity in values["entities"]]
    sent = body({"user_id": user_id, "content": content, **values})
    return Call("POST", "/v1/memories", read_model(m.Memory), json=sent)


def create_memories(items: Sequence[NewMemory | Mapping[str, Any]]) -> Call[m.BatchResult]:
    """Up to 100 memories at once; each item succeeds or fails on its own (see `results`)."""
    news = [NewMemory.model_validate(item) for item in items]
    sent = {"items": [item.model_dump(mode="json", exclude_none=True) for item in news]}
    return Call("POST", "/v1/memories/batch", read_model(m.BatchResult), json=sent)


def get_memory(memory_id: str, *, user_id: str) -> Call[m.Memory]:
    return Call("GET", f"/v1/memories/{segment(memory_id)}", read_model(m.Memory), params={"user_id": user_id})


def list_memories(
    *,
    user_id: str,
    limit: int | None = None,
    cursor: str | None = None,
    offset: int | None = None,
    **filters: Unpack[ListFilters],
) -> Call[m.MemoryPage]:
    """One page, newest first; pass its `next_cursor` as `cursor` (same filters) for the next (or iter_memories)."""
    params = query_params({"user_id": user_id, "limit": limit, "cursor": cursor, "offset": offset, **filters})
    return Call("GET", "/v1/memories", read_model(m.MemoryPage), params=params)


def update_memory(memory_id: str, *, user_id: str, **changes: Unpack[MemoryChanges]) -> Call[m.Memory]:
    """Change the fields given; with `version`, only if the memory is still at it (else VersionConflict)."""
    sent = body({"user_id": user_id, **changes})
    return Call("PATCH", f"/v1/memories/{segment(memory_id)}", read_model(m.Memory), json=sent)


def delete_memory(memory_id: str, *, user_id: str) -> Call[None]:
    """Forget a memory and its history."""
    return Call("DELETE", f"/v1/memories/{segment(memory_id)}", read_nothing, params={"user_id": user_id})


def delete_memories(ids: Sequence[str], *, user_id: str) -> Call[None]:
    """Forget up to 100 memories of one user; unknown ids are ignored."""
    return Call("POST", "/v1/memories/delete", read_nothing, json={"user_id": user_id, "ids": list(ids)})


def memory_history(memory_id: str, *, user_id: str) -> Call[m.History]:
    """Its versions: created, updated (with the previous content), superseded."""
    path = f"/v1/memories/{segment(memory_id)}/history"
    return Call("GET", path, read_model(m.History), params={"user_id": user_id})


def related_memories(memory_id: str, *, user_id: str, limit: int | None = None) -> Call[m.Related]:
    """The memories nearest in meaning (itself excluded)."""
    path = f"/v1/memories/{segment(memory_id)}/related"
    return Call("GET", path, read_model(m.Related), params=query_params({"user_id": user_id, "limit": limit}))


def search(query: str, *, user_id: str, **options: Unpack[SearchOptions]) -> Call[m.SearchResult]:
    """Find memories by meaning and by keyword (`mode`: hybrid, keyword or semantic)."""
    params = query_params({"q": query, "user_id": user_id, **options})
    return Call("GET", "/v1/memories/search", read_model(m.SearchResult), params=params)


def stats(*, user_id: str | None = None) -> Call[m.Stats]:
    """One user's statistics; without `user_id` the whole tenant's (admin scope)."""
    return Call("GET", "/v1/stats", read_model(m.Stats), params=query_params({"user_id": user_id}))


def recall_feedback(
    recall_id: str, *, user_id: str, used: Sequence[str] = (), ignored: Sequence[str] = ()
) -> Call[m.RecallFeedback]:
    """Which memories of a recall (a search's or a turn's `recall_id`) were used and which ignored."""
    sent = {"user_id": user_id, "used": list(used), "ignored": list(ignored)}
    return Call("POST", f"/v1/recalls/{segment(recall_id)}/feedback", read_model(m.RecallFeedback), json=sent)


def clusters(*, user_id: str, n: int | None = None, agent_id: str | None = None) -> Call[m.Clusters]:
    """The user's current memories in `n` (2-8) clusters by meaning, largest first."""
    params = query_params({"user_id": user_id, "n": n, "agent_id": agent_id})
    return Call("GET", "/v1/clusters", read_model(m.Clusters), params=params)


def topics(*, user_id: str | None = None) -> Call[m.Topics]:
    """Topic labels with how many memories carry each; without `user_id` the tenant's (admin scope)."""
    return Call("GET", "/v1/topics", read_model(m.Topics), params=query_params({"user_id": user_id}))


def graph(
    *,
    user_id: str,
    agent_id: str | None = None,
    entity: str | None = None,
    depth: int | None = None,
    limit: int | None = None,
) -> Call[m.Graph]:
    """The user's entities (most mentioned first) and the relations between them; with `entity` (an id or a name),
    only those within `depth` (1-3) relations of it."""
    params = query_params({"user_id": user_id, "agent_id": agent_id, "entity": entity, "depth": depth, "limit": limit})
    return Call("GET", "/v1/graph", read_model(m.Graph), params=params)


def list_entities(
    *,
    user_id: str,
    agent_id: str | None = None,
    type: EntityType | None = None,
    limit: int | None = None,
    offset: int | None = None,
) -> Call[m.Entities]:
    """The user's entities, most mentioned first; `type` keeps one kind (person, place, ...)."""
    params = query_params({"user_id": user_id, "agent_id": agent_id, "type": type, "limit": limit, "offset": offset})
    return Call("GET", "/v1/entities", read_model(m.Entities), params=params)


def get_entity(entity_id: str, *, user_id: str, agent_id: str | None = None) -> Call[m.EntityDetail]:
    """One entity, by id (`place:lisbon`) or name (`Lisbon`), with its relations and the memories naming it."""
    params = query_params({"user_id": user_id, "agent_id": agent_id})
    return Call("GET", f"/v1/entities/{segment(entity_id)}", read_model(m.EntityDetail), params=params)


def get_settings() -> Call[m.MemorySettings]:
    return Call("GET", "/v1/settings/memory", read_model(m.MemorySettings))


def update_settings(**changes: Unpack[SettingsChanges]) -> Call[m.MemorySettings]:
    """Change the tenant's settings (admin scope); the others keep their value, None turns a retention off."""
    return Call("PUT", "/v1/settings/memory", read_model(m.MemorySettings), json=dict(changes))


def conversation_turn(
    thread_id: str,
    messages: Sequence[Message | Mapping[str, Any]],
    *,
    user_id: str,
    agent_id: str | None = None,
    memory: MemoryMode | None = None,
    recall_limit: int | None = None,
    previous_runs: bool | None = None,
    scope: TurnScope | None = None,
    save_memories: bool | None = None,
    profile: bool | None = None,
    profile_tokens: int | None = None,
    reply: bool | None = None,
) -> Call[m.ConversationTurn]:
    """Save what is worth remembering from a turn's messages and recall what is relevant to them (`context`), with
    the assistant's matching outputs in the user's other threads (`previous_runs`; False leaves them out).

    Each option left None takes the server's default: `scope` "user" ("agent": recall only memories saved under
    `agent_id`, which it then needs), `save_memories` True (False saves nothing from the turn), `profile` False (True:
    also the user's standing facts, within `profile_tokens`, 50-4000, default 500), `reply` False (True: the
    assistant answers too, when the server has a chat model)."""
    sent = [Message.model_validate(message) for message in messages]
    fields = {
        "user_id": user_id,
        "agent_id": agent_id,
        "memory": memory,
        "recall_limit": recall_limit,
        "previous_runs": previous_runs,
        "scope": scope,
        "save_memories": save_memories,
        "profile": profile,
        "profile_tokens": profile_tokens,
        "reply": reply,
    }
    path = f"/v1/conversations/{segment(thread_id)}/messages"
    return Call("POST", path, read_model(m.ConversationTurn), json=body({**fields, "messages": sent}))


def search_runs(query: str, *, user_id: str, agent_id: str | None = None, limit: int | None = None) -> Call[m.Runs]:
    """The assistant's earlier outputs in the user's conversations that match `query`, best first (`limit` 1-20)."""
    params = query_params({"q": query, "user_id": user_id, "agent_id": agent_id, "limit": limit})
    return Call("GET", "/v1/runs/search", read_model(m.Runs), params=params)


def start_job(
    kind: StartableJob, *, user_id: str, dry_run: bool | None = None, force: bool | None = None
) -> Call[m.Operation]:
    """Start a job for a user (or get the one of this kind still running); follow it with wait_for_operation."""
    sent = body({"user_id": user_id, "dry_run": dry_run, "force": force})
    return Call("POST", f"/v1/jobs/{segment(kind)}", read_model(m.Operation), json=sent)


def get_operation(operation_id: str) -> Call[m.Operation]:
    return Call("GET", f"/v1/operations/{segment(operation_id)}", read_model(m.Operation))


def list_operations(
    *, limit: int | None = None, before: str | None = None, **filters: Unpack[OperationFilters]
) -> Call[m.OperationPage]:
    """The tenant's operations, newest first; pass `next_before` as `before` for the next page."""
    params = query_params({"limit": limit, "before": before, **filters})
    return Call("GET", "/v1/operations", read_model(m.OperationPage), params=params)


def export(*, user_id: str | None = None, format: ExportFormat = "ndjson") -> Call[bytes]:
    """A user's export (without `user_id` the tenant's, admin scope); for large ones use the export job."""
    return Call("GET", "/v1/export", read_bytes, params=query_params({"user_id": user_id, "format": format}))


def download_export(operation_id: str) -> Call[bytes]:
    """The file of a finished export job; ExportNotReady while it runs."""
    return Call("GET", f"/v1/exports/{segment(operation_id)}", read_bytes, follow_redirect=True)


def import_memories(data: bytes | str, *, format: ExportFormat = "ndjson") -> Call[m.ImportReport]:
    """Write an export back (256 KiB per call); memories already here are skipped, so importing twice is safe."""
    sent = data.encode("utf-8") if isinstance(data, str) else data
    return Call("POST", "/v1/import", read_model(m.ImportReport), content=sent, content_type=MEDIA_TYPES[format])


def _cleared(response: httpx.Response) -> int:
    return m.Cleared.model_validate_json(response.content).cleared


def clear_memories(*, user_id: str, confirm: str) -> Call[int]:
    """Delete every memory of the user (`confirm` repeats the user id); answers how many went."""
    return Call("DELETE", "/v1/memories", _cleared, params={"user_id": user_id, "confirm": confirm})


def clear_tenant(*, confirm: str) -> Call[int]:
    """Delete every memory of every user of the tenant (admin scope; `confirm` is the tenant id)."""
    return Call("DELETE", "/v1/memories", _cleared, params={"all_users": "true", "confirm": confirm})


def erase_user(user_id: str) -> Call[m.Operation]:
    """Erase every trace of a user (admin scope), as a job whose finished operation is the receipt."""
    return Call("DELETE", f"/v1/users/{segment(user_id)}", read_model(m.Operation))


def memory_pages(*, user_id: str, page_size: int, filters: ListFilters) -> Pages[m.Memory]:
    return lambda cursor: list_memories(user_id=user_id, limit=page_size, cursor=cursor, **filters)


def operation_pages(*, page_size: int, filters: OperationFilters) -> Pages[m.Operation]:
    return lambda before: list_operations(limit=page_size, before=before, **filters)


class Polling:
    """Following one operation until it finishes, or TimeoutError once `timeout` seconds have passed."""

    def __init__(self, operation: str | m.Operation, timeout: float) -> None:
        self.operation_id = operation if isinstance(operation, str) else operation.operation_id
        self._timeout = timeout
        self._deadline = time.monotonic() + timeout

    def finished(self, current: m.Operation) -> bool:
        if current.finished:
            return True
        if time.monotonic() >= self._deadline:
            raise TimeoutError(f"operation {self.operation_id} is still {current.status} after {self._timeout} s")
        return False


class Api:
    """The operations both clients have. Each client adds `_send` (and the iterators and polling it can do)."""

    health = Endpoint(health)
    create_memory = Endpoint(create_memory)
    create_memories = Endpoint(create_memories)
    get_memory = Endpoint(get_memory)
    list_memories = Endpoint(list_memories)
    update_memory = Endpoint(update_memory)
    delete_memory = Endpoint(delete_memory)
    delete_memories = Endpoint(delete_memories)
    memory_history = Endpoint(memory_history)
    related_memories = Endpoint(related_memories)
    search = Endpoint(search)
    stats = Endpoint(stats)
    recall_feedback = Endpoint(recall_feedback)
    clusters = Endpoint(clusters)
    topics = Endpoint(topics)
    graph = Endpoint(graph)
    list_entities = Endpoint(list_entities)
    get_entity = Endpoint(get_entity)
    get_settings = Endpoint(get_settings)
    update_settings = Endpoint(update_settings)
    conversation_turn = Endpoint(conversation_turn)
    search_runs = Endpoint(search_runs)
    start_job = Endpoint(start_job)
    get_operation = Endpoint(get_operation)
    list_operations = Endpoint(list_operations)
    export = Endpoint(export)
    download_export = Endpoint(download_export)
    import_memories = Endpoint(import_memories)
    clear_memories = Endpoint(clear_memories)
    clear_tenant = Endpoint(clear_tenant)
    erase_user = Endpoint(erase_user)
