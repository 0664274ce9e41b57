"""Log ingestion records a chunk as done only once it is done: a refusal or a failure is never kept as an outcome."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent_memory.adapters.local.sqlite import open_stores
from agent_memory.domain.conversation import MemoryMode, Saved, Turn
from agent_memory.domain.conversation_log import LogAddress, parse
from agent_memory.domain.errors import InvalidInput, StoreUnavailable
from agent_memory.services.idempotency import IdempotencyService
from agent_memory.services.ingestion import IngestionService

LOG = "conversations/acme/alice/trip.jsonl"
DATA = b"".join(f'{{"role": "user", "content": "I like zorb{i}."}}\n'.encode() for i in range(150))


class Conversations:
    """Stands in for ConversationService: fails the first `failures` calls with `error`, then saves one per message."""

    def __init__(self, error: Exception | None = None, failures: int = 0) -> None:
        self.error = error
        self.failures = failures
        self.calls: list[Turn] = []

    def remember(self, tenant: str, turn: Turn, mode: MemoryMode) -> tuple[list[Saved], list[object]]:
        self.calls.append(turn)
        if self.error is not None and len(self.calls) <= self.failures:
            raise self.error
        return [Saved(f"m{i}", m.content) for i, m in enumerate(turn.messages)], []


@pytest.fixture
def idempotency(tmp_path: Path) -> IdempotencyService:
    return IdempotencyService(open_stores(tmp_path / "s.db").idempotency)


def ingest(conversations: Conversations, idempotency: IdempotencyService):
    service = IngestionService(conversations, idempotency)  # type: ignore[arg-type]
    return service.ingest(parse(DATA, LogAddress("acme", "alice", "trip")), log=LOG, version="v1")


def test_given_a_chunk_the_service_refuses_when_ingested_then_its_lines_are_reported_and_retried_next_run(
    idempotency,
) -> None:
    # Given the conversation service refuses the first chunk (lines 1-100) once
    refusing = Conversations(InvalidInput("agent_id must be at most 128 characters."), failures=1)
    # When the log is ingested
    first = ingest(refusing, idempotency)
    # Then the refused lines are reported by number with the reason, and the second chunk still went in
    assert [e.line for e in first.errors] == list(range(1, 101))
    assert first.errors[0].reason == "not ingested: agent_id must be at most 128 characters."
    assert first.messages == 50 and first.saved == 50
    # When the same file is ingested again; Then the refused chunk is tried again (it was not recorded as done)
    again = ingest(refusing, idempotency)
    assert again.errors == [] and again.messages == 150 and again.saved == 100
    assert [t.messages[0].content for t in refusing.calls] == ["I like zorb0.", "I like zorb100.", "I like zorb0."]


def test_given_a_store_outage_when_ingested_then_it_is_raised_and_nothing_is_recorded(idempotency) -> None:
    # Given the store is unavailable for the first chunk
    failing = Conversations(StoreUnavailable("try again"), failures=1)
    # When the log is ingested; Then the failure is raised
    with pytest.raises(StoreUnavailable):
        ingest(failing, idempotency)
    # And a later run does that chunk (nothing was kept), then the rest
    again = ingest(failing, idempotency)
    assert again.saved == 150 and again.errors == []


def test_given_an_unexpected_error_when_ingested_then_the_chunk_is_released_for_a_retry(idempotency) -> None:
    failing = Conversations(RuntimeError("boom"), failures=1)
    with pytest.raises(RuntimeError):
        ingest(failing, idempotency)
    assert ingest(failing, idempotency).saved == 150


def test_given_a_log_already_ingested_when_ingested_again_then_nothing_new_is_saved(idempotency) -> None:
    working = Conversations()
    assert ingest(working, idempotency).saved == 150
    again = ingest(working, idempotency)
    assert again.saved == 0 and again.messages == 150 and len(working.calls) == 2
