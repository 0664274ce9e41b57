"""Input rules shared by every entry point (HTTP, CLI, jobs), so the same bad input fails the same way."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from typing import Any

from agent_memory.domain import limits
from agent_memory.domain.errors import BlankContent, ContentTooLong, InvalidInput
from agent_memory.domain.models import Entity
from agent_memory.domain.text import has_control_characters, is_blank, topic_label


def identifier(name: str, value: str) -> str:
    """user_id, agent_id, thread_id and memory ids: 1..128 visible characters."""
    if not value or not value.strip():
        raise InvalidInput(f"{name} must not be blank.")
    if len(value) > limits.MAX_ID_CHARS:
        raise InvalidInput(f"{name} must be at most {limits.MAX_ID_CHARS} characters.")
    if has_control_characters(value, allow_line_breaks=False) or value != value.strip():
        raise InvalidInput(f"{name} must not contain control characters or surrounding whitespace.")
    return value


def optional_identifier(name: str, value: str | None) -> str | None:
    return None if value is None else identifier(name, value)


def content(value: str, max_chars: int) -> str:
    if is_blank(value):
        raise BlankContent("content must contain at least one visible character.")
    if len(value) > max_chars:
        raise ContentTooLong(
            f"content is {len(value)} characters; the limit for this tenant is max_content_chars={max_chars}.",
            limit=max_chars,
            length=len(value),
        )
    if has_control_characters(value):
        raise InvalidInput("content must not contain control characters other than tab and newline.")
    return value


def summary(value: str | None) -> str | None:
    if value is None:
        return None
    if len(value) > limits.MAX_SUMMARY_CHARS:
        raise InvalidInput(f"summary must be at most {limits.MAX_SUMMARY_CHARS} characters.")
    if has_control_characters(value):
        raise InvalidInput("summary must not contain control characters other than tab and newline.")
    return value


def unit_interval(name: str, value: float) -> float:
    if not 0.0 <= value <= 1.0:
        raise InvalidInput(f"{name} must be between 0 and 1.")
    return value


def signed_unit_interval(name: str, value: float) -> float:
    if not -1.0 <= value <= 1.0:
        raise InvalidInput(f"{name} must be between -1 and 1.")
    return value


def topics(values: Iterable[str]) -> tuple[str, ...]:
    """Trimmed, lower-cased, de-duplicated in order."""
    cleaned: list[str] = []
    for raw in values:
        topic = topic_label(raw)
        if is_blank(topic):
            raise InvalidInput("topics must not contain blank entries.")
        if has_control_characters(topic, allow_line_breaks=False):
            raise InvalidInput("topics must not contain control characters.")
        if len(topic) > limits.MAX_TOPIC_CHARS:
            raise InvalidInput(f"each topic must be at most {limits.MAX_TOPIC_CHARS} characters.")
        if topic not in cleaned:
            cleaned.append(topic)
    if len(cleaned) > limits.MAX_TOPICS:
        raise InvalidInput(f"at most {limits.MAX_TOPICS} topics are allowed.")
    return tuple(cleaned)


def source_refs(values: Iterable[str]) -> tuple[str, ...]:
    refs = tuple(values)
    if len(refs) > limits.MAX_SOURCE_REFS:
        raise InvalidInput(f"at most {limits.MAX_SOURCE_REFS} source_refs are allowed.")
    for ref in refs:
        identifier("source_refs entry", ref)
    return refs


def metadata(value: dict[str, Any]) -> dict[str, Any]:
    """A JSON object of bounded depth and size with finite numbers: whatever is stored must read back."""
    _check_json_tree(value)
    try:
        encoded = json.dumps(value, ensure_ascii=False, allow_nan=False)
    except ValueError as exc:  # e.g. an integer longer than Python converts to text
        raise InvalidInput(f"metadata must be serialisable JSON: {exc}") from exc
    try:
        size = len(encoded.encode("utf-8"))
    except UnicodeEncodeError as exc:  # a lone surrogate (JSON "\ud800") cannot be stored or read back
        raise InvalidInput("metadata must be valid Unicode text (no lone surrogates).") from exc
    if size > limits.MAX_METADATA_BYTES:
        raise InvalidInput(f"metadata must serialise to at most {limits.MAX_METADATA_BYTES} bytes of JSON.")
    return value


def _check_json_tree(root: dict[str, Any]) -> None:
    # Iterative, so no input can exhaust the interpreter's stack before it is refused.
    pending: list[tuple[Any, int]] = [(root, 1)]
    while pending:
        node, depth = pending.pop()
        if isinstance(node, dict | list) and depth > limits.MAX_METADATA_DEPTH:
            raise InvalidInput(f"metadata must be nested at most {limits.MAX_METADATA_DEPTH} levels deep.")
        if isinstance(node, dict):
            for key, child in node.items():
                if not isinstance(key, str):
                    raise InvalidInput("metadata keys must be strings.")
                pending.append((child, depth + 1))
        elif isinstance(node, list):
            pending.extend((child, depth + 1) for child in node)
        elif isinstance(node, float) and not math.isfinite(node):
            raise InvalidInput("metadata numbers must be finite (no NaN or Infinity).")
        elif node is not None and not isinstance(node, str | int | float | bool):
            raise InvalidInput("metadata values must be JSON values.")


def entities(values: Iterable[Entity]) -> tuple[Entity, ...]:
    checked = tuple(values)
    if len(checked) > limits.MAX_ENTITIES:
        raise InvalidInput(f"at most {limits.MAX_ENTITIES} entities are allowed.")
    for entity in checked:
        plain_text("entity name", entity.name, limits.MAX_ENTITY_NAME_CHARS)
        plain_text("entity type", entity.type, limits.MAX_ENTITY_TYPE_CHARS)
    return checked


def plain_text(name: str, value: str, max_chars: int) -> str:
    """A short single-line label: visible, without control characters."""
    if is_blank(value):
        raise InvalidInput(f"{name} must contain at least one visible character.")
    if len(value) > max_chars:
        raise InvalidInput(f"{name} must be at most {max_chars} characters.")
    if has_control_characters(value, allow_line_breaks=False):
        raise InvalidInput(f"{name} must not contain control characters.")
    return value
