"""Conversation logs as files: the key layout, the two accepted formats, and a parser that reports every bad line
(with its number) while keeping the good ones. A file that cannot be trusted as a whole is rejected instead.

Layout: `conversations/{tenant}/{user_id}/{thread_id}.jsonl` (or `.json`).
JSON Lines: one message per line, `{"user_id", "thread_id", "role", "content", "ts"}` (+ optional `id`, `agent_id`).
One JSON document: `{"user_id", "thread_id", "agent_id"?, "messages": [{"role", "content", "ts", "id"?}, ...]}`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from agent_memory.domain import validation
from agent_memory.domain.conversation import MAX_MESSAGE_CHARS, Message, Role
from agent_memory.domain.errors import AgentMemoryError, InvalidInput

PREFIX = "conversations"
SUFFIXES = (".jsonl", ".json")
MAX_LINE_BYTES = 64 * 1024
MAX_LOG_BYTES = 50 * 1024 * 1024
_KEY = re.compile(r"^conversations/(?P<tenant>[^/]+)/(?P<user_id>[^/]+)/(?P<thread_id>[^/]+)\.(?P<ext>jsonl|json)$")


class RejectedLog(InvalidInput):
    """The whole file is refused (unreadable, not UTF-8, filed under the wrong tenant or user, …)."""

    code = "log_rejected"
    title = "Conversation log rejected"


@dataclass(frozen=True, slots=True)
class LogAddress:
    tenant: str
    user_id: str
    thread_id: str

    @property
    def key(self) -> str:
        return f"{PREFIX}/{self.tenant}/{self.user_id}/{self.thread_id}.jsonl"


@dataclass(frozen=True, slots=True)
class LineError:
    line: int
    reason: str


@dataclass(frozen=True, slots=True)
class LogLine:
    line: int
    message: Message
    agent_id: str | None = None


@dataclass
class ParsedLog:
    address: LogAddress
    lines: list[LogLine] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)


def address_of(key: str) -> LogAddress:
    match = _KEY.match(key)
    if match is None:
        raise RejectedLog(f"{key!r} is not conversations/<tenant>/<user_id>/<thread_id>.jsonl")
    address = LogAddress(match["tenant"], match["user_id"], match["thread_id"])
    try:
        validation.identifier("tenant", address.tenant)
        validation.identifier("user_id", address.user_id)
        validation.identifier("thread_id", address.thread_id)
    except AgentMemoryError as exc:
        raise RejectedLog(f"{key!r}: {exc.detail}") from None
    return address


def _message(raw: Any, line: int, address: LogAddress, defaults: dict[str, Any]) -> LogLine:
    if not isinstance(raw, dict):
        raise ValueError("not a JSON object")
    fields = {**defaults, **raw}
    for name, expected in (("tenant", address.tenant), ("user_id", address.user_id), ("thread_id", address.thread_id)):
        if name in fields and fields[name] != expected:
            # Never mis-file: a message for someone else condemns the file, not just the line.
            raise RejectedLog(f"line {line}: {name} {fields[name]!r} does not match the log's {name} {expected!r}")
    try:
        role = Role(str(fields.get("role")))
    except ValueError:
        raise ValueError(f"role must be one of {', '.join(r.value for r in Role)}") from None
    content = fields.get("content")
    if not isinstance(content, str) or not content.strip():
        raise ValueError("content must be a non-empty string")
    if len(content) > MAX_MESSAGE_CHARS:
        raise ValueError(f"content is longer than {MAX_MESSAGE_CHARS} characters")
    ts = fields.get("ts")
    when = None
    if ts is not None:
        try:
            when = datetime.fromisoformat(str(ts).replace("Z", "+00:00"))
        except ValueError:
            raise ValueError("ts is not an ISO 8601 time") from None
    ref = fields.get("id")
    ref = str(ref)[:128] if ref is not None else None
    agent_id = fields.get("agent_id")
    return LogLine(line, Message(role, content, ref, when), str(agent_id) if agent_id is not None else None)


def parse(data: bytes, address: LogAddress) -> ParsedLog:
    if len(data) > MAX_LOG_BYTES:
        raise RejectedLog(f"the log is {len(data)} bytes; at most {MAX_LOG_BYTES} are accepted per file")
    if b"\x00" in data:
        raise RejectedLog("the log is binary, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RejectedLog(f"the log is not UTF-8 (byte {exc.start})") from None
    parsed = ParsedLog(address)
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")) and not _looks_like_json_lines(text):
        _parse_document(text, parsed)
    else:
        _parse_lines(text, parsed)
    return parsed


def _looks_like_json_lines(text: str) -> bool:
    first = next((line for line in text.splitlines() if line.strip()), "")
    try:
        value = json.loads(first)
    except ValueError:
        return False
    return isinstance(value, dict) and "messages" not in value


def _parse_lines(text: str, parsed: ParsedLog) -> None:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if len(line.encode("utf-8")) > MAX_LINE_BYTES:
            parsed.errors.append(LineError(number, f"line is longer than {MAX_LINE_BYTES} bytes"))
            continue
        try:
            parsed.lines.append(_message(json.loads(line), number, parsed.address, {}))
        except RejectedLog:
            raise
        except ValueError as exc:
            parsed.errors.append(LineError(number, str(exc) if not isinstance(exc, json.JSONDecodeError) else
                                           f"not JSON ({exc.msg})"))  # fmt: skip


def _parse_document(text: str, parsed: ParsedLog) -> None:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RejectedLog(f"not JSON: {exc.msg} (line {exc.lineno})") from None
    defaults: dict[str, Any] = {}
    if isinstance(document, dict):
        defaults = {k: document[k] for k in ("tenant", "user_id", "thread_id", "agent_id") if k in document}
        messages = document.get("messages")
    else:
        messages = document
    if not isinstance(messages, list):
        raise RejectedLog("a JSON document needs a `messages` list")
    for position, raw in enumerate(messages, start=1):
        try:
            parsed.lines.append(_message(raw, position, parsed.address, defaults))
        except RejectedLog:
            raise
        except ValueError as exc:
            parsed.errors.append(LineError(position, str(exc)))
