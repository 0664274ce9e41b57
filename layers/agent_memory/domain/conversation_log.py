"""Conversation logs as files: the key layout, the two accepted formats, and a parser that reports every bad line
(with its number) while keeping the good ones. A file that cannot be trusted as a whole is rejected instead.

Layout: `conversations/{tenant}/{user_id}/{thread_id}.jsonl` (or `.json`).
JSON Lines: one message per line, `{"user_id", "thread_id", "role", "content", "ts"}` (+ optional `id`, `agent_id`).
One JSON document: `{"user_id", "thread_id", "agent_id"?, "messages": [{"role", "content", "ts", "id"?}, ...]}`.

Lines end at a line feed (LF or CR LF) only: other Unicode line breaks (U+2028, U+0085, …) are valid inside a JSON
string and never split a line. JSON is decoded with bounded nesting and number length, so no input can exhaust the
stack or the integer conversion: such a value is a bad line (or a rejected document), like any other malformed JSON.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import accumulate, chain, islice
from typing import Any

from agent_memory.domain import validation
from agent_memory.domain.conversation import MAX_MESSAGE_CHARS, Message, Role
from agent_memory.domain.errors import AgentMemoryError, InvalidInput, PayloadTooLarge

PREFIX = "conversations"
SUFFIXES = (".jsonl", ".json")
MAX_LINE_BYTES = 64 * 1024
MAX_LOG_BYTES = 50 * 1024 * 1024
MAX_JSON_DEPTH = 64  # arrays and objects nested in one another, the outermost counting as 1
MAX_NUMBER_CHARS = 100  # the longest JSON number (digits, sign, point and exponent) accepted
_KEY = re.compile(r"^conversations/(?P<tenant>[^/]+)/(?P<user_id>[^/]+)/(?P<thread_id>[^/]+)\.(?P<ext>jsonl|json)$")
# A JSON string, escapes included (possessive: linear on any input); brackets inside one do not nest.
_JSON_STRING = re.compile(r'"[^"\\]*+(?:\\.[^"\\]*+)*+"', re.DOTALL)
_NOT_A_BRACKET = re.compile(r"[^\[\]{}]++")
_NESTING = {"[": 1, "{": 1, "]": -1, "}": -1}
_SURROGATE = re.compile(r"[\ud800-\udfff]")


class RejectedLog(InvalidInput):
    """The whole file is refused (unreadable, not UTF-8, filed under the wrong tenant or user, …)."""

    code = "log_rejected"
    title = "Conversation log rejected"


class MalformedLine(InvalidInput):
    """One line (or one message of a JSON document) cannot be used; the rest of the file can."""

    code = "log_line_malformed"
    title = "Malformed log line"


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
    if _SURROGATE.search(key):
        raise RejectedLog(f"{key!r} is not valid UTF-8")
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


def key_part(part: str) -> bool:
    """Whether an id can be one part of a log key: not with a `/`, and not empty, `.` or `..`, which a path reads as
    this folder or the one above."""
    return "/" not in part and part not in {"", ".", ".."}


def transcript_address(tenant: str, user_id: str, thread_id: str) -> LogAddress | None:
    """Where a thread's turns are kept: its log's address, or None when an id cannot be part of a key."""
    parts = (tenant, user_id, thread_id)
    if not all(key_part(part) for part in parts):
        return None
    return LogAddress(*parts)


def transcript_full(key: str, size: int) -> PayloadTooLarge:
    """A thread's log may not grow past MAX_LOG_BYTES (what ingestion and previous runs read at most)."""
    return PayloadTooLarge(
        f"The transcript {key} would pass {MAX_LOG_BYTES // (1024 * 1024)} MB ({size} bytes); continue in a new thread."
    )


def transcript_lines(address: LogAddress, agent_id: str | None, messages: list[Message], at: datetime) -> bytes:
    """A turn's messages as JSON Lines of the log format (each stamped with `at` where the client gave no time)."""
    rows = []
    for message in messages:
        row: dict[str, Any] = {
            "user_id": address.user_id,
            "thread_id": address.thread_id,
            "role": message.role.value,
            "content": message.content,
            "ts": (message.ts or at).isoformat(),
        }
        if message.ref is not None:
            row["id"] = message.ref
        if agent_id is not None:
            row["agent_id"] = agent_id
        rows.append(json.dumps(row, ensure_ascii=False) + "\n")
    return "".join(rows).encode()


def _shown(value: Any) -> str:
    """A value quoted in a reason, short enough for a report line or a queue message attribute."""
    text = repr(value)
    return text if len(text) <= 80 else text[:79] + "…"


def _identifier(name: str, value: Any) -> str:
    text = str(value)
    if _SURROGATE.search(text):
        raise MalformedLine(f"{name} is not valid Unicode (an unpaired surrogate escape)")
    try:
        return validation.identifier(name, text)
    except InvalidInput as exc:
        raise MalformedLine(exc.detail) from None


def _message(raw: Any, line: int, address: LogAddress, defaults: dict[str, Any]) -> LogLine:
    if not isinstance(raw, dict):
        raise MalformedLine("not a JSON object")
    fields = {**defaults, **raw}
    for name, expected in (("tenant", address.tenant), ("user_id", address.user_id), ("thread_id", address.thread_id)):
        if name in fields and fields[name] != expected:
            # Never mis-file: a message for someone else condemns the file, not just the line.
            raise RejectedLog(
                f"line {line}: {name} {_shown(fields[name])} does not match the log's {name} {expected!r}"
            )
    try:
        role = Role(str(fields.get("role")))
    except ValueError:
        raise MalformedLine(f"role must be one of {', '.join(r.value for r in Role)}") from None
    content = fields.get("content")
    if not isinstance(content, str) or not content.strip():
        raise MalformedLine("content must be a non-empty string")
    if len(content) > MAX_MESSAGE_CHARS:
        raise MalformedLine(f"content is longer than {MAX_MESSAGE_CHARS} characters")
    if _SURROGATE.search(content):
        raise MalformedLine("content is not valid Unicode (an unpaired surrogate escape)")
    ts = fields.get("ts")
    when = None
    if ts is not None:
        try:
            when = datetime.fromisoformat(str(ts).replace("Z", "+00:00"))
        except ValueError:
            raise MalformedLine("ts is not an ISO 8601 time") from None
    ref = fields.get("id")
    ref = _identifier("id", str(ref)[:128]) if ref is not None else None
    agent_id = fields.get("agent_id")
    return LogLine(
        line, Message(role, content, ref, when), _identifier("agent_id", agent_id) if agent_id is not None else None
    )


def _too_deep(text: str) -> bool:
    if text.count("[") + text.count("{") <= MAX_JSON_DEPTH:
        return False
    brackets = _NOT_A_BRACKET.sub("", _JSON_STRING.sub("", text))
    return max(accumulate(map(_NESTING.__getitem__, brackets)), default=0) > MAX_JSON_DEPTH


def _number(token: str) -> None:
    if len(token) > MAX_NUMBER_CHARS:
        raise MalformedLine(f"a number is longer than {MAX_NUMBER_CHARS} characters")


def _int(token: str) -> int:
    _number(token)
    return int(token)


def _float(token: str) -> float:
    _number(token)
    return float(token)


def _decode(text: str) -> Any:
    """`json.loads` that no input can drive past the stack or the integer conversion: nesting deeper than
    MAX_JSON_DEPTH (checked before parsing) and numbers longer than MAX_NUMBER_CHARS (checked while parsing) are a
    MalformedLine; a syntax error stays a json.JSONDecodeError."""
    if _too_deep(text):
        raise MalformedLine(f"nested deeper than {MAX_JSON_DEPTH} levels")
    return json.loads(text, parse_int=_int, parse_float=_float)


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """Numbered lines ending at a line feed (LF or CR LF) only: U+2028, U+0085 and the like are text, not breaks."""
    start, number = 0, 1
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        yield number, text[start:end].removesuffix("\r")
        start, number = end + 1, number + 1


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
    first, second = islice(chain((line for _, line in _lines(text) if line.strip()), ("", "")), 2)
    if not text.lstrip().startswith(("{", "[")):
        _parse_lines(text, parsed)
        return parsed
    document, error = _attempt(first)
    if _is_message(document, error):
        _parse_lines(text, parsed)
        return parsed
    if second:  # the first line was the start of one JSON document, or a bad first line of JSON Lines
        document, error = _attempt(text)
        if error is not None and _is_message(*_attempt(second)):
            _parse_lines(text, parsed)  # a bad first line is reported with its number, like any other
            return parsed
    if isinstance(error, json.JSONDecodeError):
        raise RejectedLog(f"not JSON: {error.msg} (line {error.lineno})")
    if error is not None:
        raise RejectedLog(f"not JSON this service accepts: {error.detail}")
    _parse_document(document, parsed)
    return parsed


def _attempt(text: str) -> tuple[Any, json.JSONDecodeError | MalformedLine | None]:
    try:
        return _decode(text), None
    except (json.JSONDecodeError, MalformedLine) as exc:
        return None, exc


def _is_message(value: Any, error: Exception | None) -> bool:
    """Decoded on its own, a line is a message (not the start of one JSON document)."""
    return error is None and isinstance(value, dict) and "messages" not in value


def _parse_lines(text: str, parsed: ParsedLog) -> None:
    for number, line in _lines(text):
        if not line.strip():
            continue
        if len(line.encode("utf-8")) > MAX_LINE_BYTES:
            parsed.errors.append(LineError(number, f"line is longer than {MAX_LINE_BYTES} bytes"))
            continue
        try:
            parsed.lines.append(_message(_decode(line), number, parsed.address, {}))
        except json.JSONDecodeError as exc:
            parsed.errors.append(LineError(number, f"not JSON ({exc.msg})"))
        except MalformedLine as exc:
            parsed.errors.append(LineError(number, exc.detail))


def _parse_document(document: Any, parsed: ParsedLog) -> None:
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
        except MalformedLine as exc:
            parsed.errors.append(LineError(position, exc.detail))
