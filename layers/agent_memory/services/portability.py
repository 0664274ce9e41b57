"""Export (a user's or the whole tenant's memories with history, settings and operations, streamed page by page so
memory use stays flat however large the export) and import (the export format back in: idempotent, with the
duplicate rule applied and vectors made by this server's model). See domain/portability.py for the format."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from agent_memory.domain import limits, validation
from agent_memory.domain.clock import utcnow
from agent_memory.domain.errors import (
    AgentMemoryError,
    DuplicateMemory,
    ExportNotReady,
    InvalidExport,
    MemoryIdTaken,
    NotFound,
    VersionConflict,
)
from agent_memory.domain.models import HistoryEntry, Memory, Owner
from agent_memory.domain.operations import MAX_LISTED_OPERATIONS, JobKind, Operation, OperationStatus, to_record
from agent_memory.domain.portability import (
    EXPORT_FORMAT,
    LINE_TYPES,
    instant,
    is_text,
    memory_from_record,
    memory_record,
)
from agent_memory.domain.retention import stamped
from agent_memory.domain.text import embedding_text
from agent_memory.ports import Embedder, ExportStore, MemoryStore, OperationStore, SettingsStore

EXPORT_PAGE = 200
IMPORT_BATCH = 100
MAX_REPORTED_SKIPS = 100


class ExportFormat(StrEnum):
    NDJSON = "ndjson"
    JSON = "json"


def _copy(position: dict[str, Any]) -> dict[str, Any]:
    return {**position, "counts": dict(position["counts"])}


def ndjson_line(kind: str, body: dict[str, Any]) -> bytes:
    return _line({"type": kind, **body}) + b"\n"


def _line(value: dict[str, Any]) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@dataclass(frozen=True)
class ExportedFile:
    user_id: str
    url: str | None
    chunks: Iterator[bytes] | None


@dataclass
class ImportReport:
    imported: int = 0
    skipped: int = 0
    lines: int = 0
    skips: list[dict[str, Any]] = field(default_factory=list)
    ignored: dict[str, int] = field(default_factory=dict)

    def skip(self, line: int, reason: str, memory_id: str | None = None, **detail: Any) -> None:
        self.skipped += 1
        if len(self.skips) < MAX_REPORTED_SKIPS:
            self.skips.append({"line": line, "id": memory_id, "reason": reason, **detail})


class PortabilityService:
    def __init__(
        self,
        store: MemoryStore,
        settings: SettingsStore,
        operations: OperationStore,
        embedder: Embedder,
        exports: ExportStore,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._store = store
        self._settings = settings
        self._operations = operations
        self._embedder = embedder
        self._exports = exports
        self._clock = clock

    # -- export ---------------------------------------------------------------------------------

    def export(self, tenant: str, user_id: str | None, fmt: ExportFormat) -> Iterator[bytes]:
        """The export as chunks of bytes, produced as they are read. `user_id` None: every user of the tenant."""
        if user_id is not None:
            validation.identifier("user_id", user_id)
        parts = self._parts(tenant, user_id)
        return self._ndjson(parts) if fmt is ExportFormat.NDJSON else self._json(parts)

    def _parts(self, tenant: str, user_id: str | None) -> Iterator[tuple[str, dict[str, Any]]]:
        return ((kind, body) for kind, body, _ in self.parts_from(tenant, user_id, None))

    def parts_from(
        self, tenant: str, user_id: str | None, position: dict[str, Any] | None
    ) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
        """The export's parts from `position` (None: the start), each with the position after it: an export job
        saves the position of the last part it wrote and resumes from there."""
        at = dict(position or {"stage": "header", "exported_at": instant(self._clock()), "user": 0, "after": None})
        at["counts"] = dict(at.get("counts") or {"memories": 0, "history": 0, "operations": 0})
        if at["stage"] == "header":
            at["stage"] = "memories"
            header = {
                "format": EXPORT_FORMAT,
                "exported_at": at["exported_at"],
                "tenant": tenant,
                "user_id": user_id,
                "embedding_model": self._embedder.model_id,
            }
            yield "header", header, _copy(at)
            yield "settings", {"settings": self._settings.get_settings(tenant).as_record()}, _copy(at)
        if at["stage"] == "memories":
            users = [user_id] if user_id is not None else self._store.user_ids(tenant)
            for index in range(int(at["user"]), len(users)):
                owner = Owner(tenant, users[index])
                while page := self._store.memory_page(owner, at["after"], EXPORT_PAGE):
                    for memory, _vector in page:
                        history = self._store.history(owner, memory.id)
                        at["counts"]["memories"] += 1
                        at["counts"]["history"] += len(history)
                        at["after"] = memory.id
                        yield "memory", {"memory": memory_record(memory, history)}, _copy(at)
                at["user"], at["after"] = index + 1, None
            at["stage"], at["before"] = "operations", None
        if at["stage"] == "operations":
            for operation in self._all_operations(tenant, user_id, at.get("before")):
                at["counts"]["operations"] += 1
                at["before"] = operation.id
                yield "operation", {"operation": to_record(operation)}, _copy(at)
            at["stage"] = "end"
        if at["stage"] == "end":
            at["stage"] = "done"
            yield "end", {"counts": dict(at["counts"])}, _copy(at)

    def _all_operations(self, tenant: str, user_id: str | None, before: str | None) -> Iterator[Operation]:
        while page := self._operations.list_operations(tenant, user_id, None, None, MAX_LISTED_OPERATIONS, before):
            yield from page
            before = page[-1].id

    @staticmethod
    def _ndjson(parts: Iterator[tuple[str, dict[str, Any]]]) -> Iterator[bytes]:
        for kind, body in parts:
            yield ndjson_line(kind, body)

    @staticmethod
    def _json(parts: Iterator[tuple[str, dict[str, Any]]]) -> Iterator[bytes]:
        """One JSON document, written as it goes: `{header fields, "settings", "memories": [...], "operations":
        [...], "counts"}`."""
        arrays = ("memories", "operations")
        current = -1  # which of `arrays` is open
        first = True

        def advance(target: int) -> bytes:
            """Close the open array and open each one up to `target` (len(arrays): close and open none)."""
            nonlocal current, first
            out = b""
            while current < target:
                out += b"]" if current >= 0 else b""
                current += 1
                out += f',"{arrays[current]}":['.encode() if current < len(arrays) else b""
                first = True
            return out

        for kind, body in parts:
            if kind == "header":
                yield _line(body)[:-1]
            elif kind == "settings":
                yield b',"settings":' + _line(body["settings"])
            elif kind in ("memory", "operation"):
                opening = advance(0 if kind == "memory" else 1)
                yield opening + (b"" if first else b",") + _line(body[kind])
                first = False
            else:
                yield advance(len(arrays)) + b',"counts":' + _line(body["counts"]) + b"}\n"

    def exported_file(self, tenant: str, operation_id: str, user_id: str | None = None) -> ExportedFile:
        """Where the file of a finished export job is: a pre-signed URL (S3), or its chunks (served by the API).
        `user_id`: only an export of this user (a key bound to one)."""
        operation = self._operations.get_operation(tenant, validation.identifier("operation_id", operation_id))
        if operation is None or operation.kind is not JobKind.EXPORT or user_id not in (None, operation.user_id):
            raise NotFound(f"Export {operation_id} was not found.")
        if operation.status is not OperationStatus.SUCCEEDED:
            raise ExportNotReady(f"Export {operation_id} is {operation.status.value}; download it once it succeeded.")
        url = self._exports.download_url(tenant, operation.user_id, operation.id)
        chunks = None if url is not None else self._exports.read(tenant, operation.user_id, operation.id)
        return ExportedFile(operation.user_id, url, chunks)

    # -- import ---------------------------------------------------------------------------------

    def import_lines(self, tenant: str, lines: Iterable[bytes | str], only_user: str | None = None) -> ImportReport:
        """An NDJSON export, line by line (a file of any size in constant memory). `only_user`: memories of any
        other user are skipped (`invalid`), as for a key bound to one user."""
        return self._import(tenant, self._ndjson_records(lines), only_user)

    def import_document(self, tenant: str, data: bytes, only_user: str | None = None) -> ImportReport:
        """An export of either format held in memory (an HTTP body)."""
        text = data.lstrip()
        if text.startswith(b"{") and b'"type"' not in text[:64]:
            try:
                document = json.loads(text)
            except ValueError:
                raise InvalidExport("The body is neither an NDJSON export nor a JSON export document.") from None
            return self._import(tenant, self._document_records(document), only_user)
        return self.import_lines(tenant, data.splitlines(), only_user)

    @staticmethod
    def _ndjson_records(lines: Iterable[bytes | str]) -> Iterator[tuple[int, Any]]:
        for number, raw in enumerate(lines, start=1):
            if not raw.strip():
                continue
            try:
                yield number, json.loads(raw)
            except (ValueError, RecursionError):  # not JSON, or nested deeper than any export line is
                yield number, None

    @staticmethod
    def _document_records(document: Any) -> Iterator[tuple[int, Any]]:
        if not isinstance(document, dict):
            raise InvalidExport("A JSON export is one object.")
        header = {k: v for k, v in document.items() if k not in ("settings", "memories", "operations", "counts")}
        yield 1, {"type": "header", **header}
        memories = document.get("memories", [])
        if not isinstance(memories, list):
            raise InvalidExport("memories must be a list.")
        for index, memory in enumerate(memories):
            yield index + 2, {"type": "memory", "memory": memory}
        if "settings" in document:
            yield len(memories) + 2, {"type": "settings"}
        operations = document.get("operations", [])
        for index in range(len(operations) if isinstance(operations, list) else 0):
            yield len(memories) + 3 + index, {"type": "operation"}

    def _import(self, tenant: str, records: Iterator[tuple[int, Any]], only_user: str | None) -> ImportReport:
        report = ImportReport()
        retention = self._settings.get_settings(tenant).memory_retention_days
        batch: list[tuple[int, Memory, list[HistoryEntry]]] = []
        header_seen = False
        for number, record in records:
            report.lines = number
            kind = record.get("type") if isinstance(record, dict) else None
            if not header_seen:
                if kind != "header" or record.get("format") != EXPORT_FORMAT:
                    raise InvalidExport(f"The first line must be the header of an {EXPORT_FORMAT} export.")
                header_seen = True
                continue
            if kind == "memory":
                try:
                    memory, history = memory_from_record(record.get("memory"), tenant, limits.MAX_CONTENT_CHARS_CEILING)
                except AgentMemoryError as exc:
                    report.skip(number, "invalid", _id_of(record), detail=exc.detail)
                    continue
                if only_user not in (None, memory.user_id):
                    report.skip(number, "invalid", memory.id, detail="another user's memory: this key is bound to one")
                    continue
                memory = memory.with_changes(expires_at=stamped(memory.expires_at, memory.created_at, retention))
                batch.append((number, memory, history))
                if len(batch) == IMPORT_BATCH:
                    self._restore(batch, report)
                    batch = []
            elif kind in LINE_TYPES:
                report.ignored[str(kind)] = report.ignored.get(str(kind), 0) + 1
            else:
                report.skip(number, "invalid", detail="not a JSON object with a known type")
        if not header_seen:
            raise InvalidExport("The file is empty.")
        if batch:
            self._restore(batch, report)
        return report

    def _restore(self, batch: list[tuple[int, Memory, list[HistoryEntry]]], report: ImportReport) -> None:
        vectors = self._embedder.embed([embedding_text(memory.content, memory.summary) for _, memory, _ in batch])
        model = self._embedder.model_id
        entries = [
            (memory.with_changes(embedding_model=model), history, vectors[i])
            for i, (_, memory, history) in enumerate(batch)
        ]
        for (number, memory, _), outcome in zip(batch, self._store.restore(entries), strict=True):
            if isinstance(outcome, DuplicateMemory):
                report.skip(number, "duplicate", memory.id, existing_id=outcome.existing_id)
            elif isinstance(outcome, VersionConflict):
                report.skip(number, "exists", memory.id)
            elif isinstance(outcome, MemoryIdTaken):
                report.skip(number, "id_taken", memory.id)
            elif isinstance(outcome, Exception):
                raise outcome
            else:
                report.imported += 1


def _id_of(record: dict[str, Any]) -> str | None:
    memory = record.get("memory")
    value = memory.get("id") if isinstance(memory, dict) else None
    return value if isinstance(value, str) and is_text(value) else None  # a report can name only an id that is text
