"""Ports of what surrounds the memories: raw conversation logs, export files, recalls, and change events."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any, Protocol

from agent_memory.domain.conversation import Message
from agent_memory.domain.models import Owner
from agent_memory.domain.recalls import Recall, RecallStats


class ConversationArchive(Protocol):
    """Where raw conversation logs are kept as received (the local data directory, or the S3 bucket)."""

    def logs_of(self, tenant: str, user_id: str) -> list[str]:
        """Keys of the user's logs (`conversations/<tenant>/<user>/<thread>.jsonl`), sorted."""
        ...

    def read(self, key: str) -> tuple[bytes, str]:
        """The log's bytes and a version that changes when they do."""
        ...

    def append(self, key: str, data: bytes, retention_days: int | None) -> None:
        """Add lines to the log at `key` (created if missing) without losing a concurrent append; `retention_days`
        tags it for the storage's own expiry where there is one. The log is marked as kept from conversation turns,
        so ingestion does not extract it a second time."""
        ...

    def erase_user(self, tenant: str, user_id: str) -> dict[str, int]:
        """Delete every raw log of the user (in every stored version); counts by kind, empty when none were left."""
        ...

    def expire(self, tenant: str, before: datetime) -> int:
        """Delete (in every version) the tenant's raw logs last written before `before`; returns how many logs."""
        ...


class ExportStore(Protocol):
    """Where export jobs write their files (`exports/<tenant>/<user>/<operation id>.ndjson` in the data folder or the
    conversation bucket), in numbered parts so a job can resume from the last part it saved."""

    def begin(self, tenant: str, user_id: str, operation_id: str) -> dict[str, Any]:
        """Start a file; returns the state the other calls take (JSON data, kept in the job's cursor)."""
        ...

    def write_part(self, state: dict[str, Any], number: int, data: bytes) -> dict[str, Any]:
        """Write part `number` (1, 2, …; writing one again replaces it); returns what `complete` needs of it."""
        ...

    def complete(self, state: dict[str, Any], parts: Sequence[dict[str, Any]]) -> None:
        """Join the parts, in order, into the finished file."""
        ...

    def download_url(self, tenant: str, user_id: str, operation_id: str) -> str | None:
        """A time-limited URL the file can be fetched from without a key (S3); None where the API serves it."""
        ...

    def read(self, tenant: str, user_id: str, operation_id: str) -> Iterator[bytes]:
        """The finished file in chunks; NotFound when there is none."""
        ...

    def erase_user(self, tenant: str, user_id: str) -> int:
        """Delete every export file of the user (every version, unfinished uploads too); returns how many files."""
        ...


class RecallLog(Protocol):
    """What searches and conversation turns recalled for a user, and the client's feedback on it."""

    def save_recall(self, owner: Owner, recall: Recall) -> None: ...

    def get_recall(self, owner: Owner, recall_id: str) -> Recall | None: ...

    def save_feedback(self, owner: Owner, recall_id: str, used: Sequence[str], ignored: Sequence[str]) -> None:
        """Replace the recall's verdicts (feedback sent again for the same recall counts once)."""
        ...

    def recall_stats(self, tenant: str, user_id: str | None) -> RecallStats:
        """Over one user's recalls, or the whole tenant's when user_id is None."""
        ...


class EventPublisher(Protocol):
    """Announces `memory.created`, `memory.updated` and `memory.deleted` to whoever listens."""

    def publish(self, event_type: str, tenant: str, detail: dict[str, Any]) -> None: ...


class Responder(Protocol):
    """Answers a conversation turn as the assistant, the memory context in its system prompt (a chat model)."""

    @property
    def model(self) -> str: ...

    def reply(self, system: str, messages: Sequence[Message]) -> str: ...
