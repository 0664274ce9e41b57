"""A corpus of bad inputs, one row each: every answer is a 4xx application/problem+json with type, title, status,
detail and code (never a 5xx, never a stack trace), and afterwards every read of the user still answers 200.

The user `alice` has "Lives in Berlin" stored before each row, so rows can aim at a real memory and at a real
duplicate. A few rows are valid edge cases (ANSWERED): those must succeed, and the reads after them too.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from agent_memory.entry.local_worker import LocalJobWorker
from agent_memory.runtime import Runtime
from tests.conftest import Api

USER = "alice"
STORED = "Lives in Berlin"
M = "/v1/memories"
ID = "{id}"  # replaced by the stored memory's id
REFUSED, ANSWERED = "refused", "answered"
ITEM_REFUSED = "each batch item refused"  # 200, with every item's own 4xx problem in `results`
EITHER = "refused or answered"  # the API may reasonably do either; never a 5xx


@dataclass(frozen=True)
class Bad:
    name: str
    method: str
    path: str
    params: dict[str, Any] | None = None
    body: Any = None  # sent as JSON unless `raw` is set
    raw: bytes | None = None
    headers: dict[str, Any] = field(default_factory=dict)
    expect: str = REFUSED


def nested(depth: int, leaf: Any = 1, key: str | None = "a") -> Any:
    value = leaf
    for _ in range(depth):
        value = {key: value} if key is not None else [value]
    return value


def memory(**fields: Any) -> dict[str, Any]:
    return {"user_id": USER, "content": "A fresh fact", **fields}


def raw_memory(fragment: str) -> bytes:
    """A create body whose `importance` (or any fragment) is written as raw JSON text."""
    return ('{"user_id": "alice", "content": "A fresh fact", ' + fragment + "}").encode()


JSON = {"content-type": "application/json"}

CORPUS: list[Bad] = [
    # -- nesting ---------------------------------------------------------------------------------------------------
    Bad("metadata nested 256 objects deep", "POST", M, body=memory(metadata=nested(256))),
    Bad("metadata nested 256 lists deep", "POST", M, body=memory(metadata={"a": nested(255, key=None)})),
    Bad(
        "metadata nested 256 deep in a batch item",
        "POST",
        f"{M}/batch",
        body={"items": [memory(metadata=nested(256))]},
        expect=ITEM_REFUSED,
    ),
    Bad("metadata nested 256 deep in a patch", "PATCH", f"{M}/{ID}", body={"user_id": USER, "metadata": nested(256)}),
    Bad("body nested 100,000 lists deep", "POST", M, raw=b"[" * 100_000 + b"]" * 100_000, headers=JSON),
    Bad("body nested 50,000 objects deep", "POST", M, raw=b'{"a":' * 50_000 + b"1" + b"}" * 50_000, headers=JSON),
    Bad("content as a deeply nested object", "POST", M, body={"user_id": USER, "content": nested(200)}),
    # -- numbers ---------------------------------------------------------------------------------------------------
    Bad("importance 1e400 (overflows to infinity)", "POST", M, raw=raw_memory('"importance": 1e400'), headers=JSON),
    Bad("importance with 5,000 digits", "POST", M, raw=raw_memory('"importance": ' + "9" * 5000), headers=JSON),
    Bad(
        "metadata number with 5,000 digits",
        "POST",
        M,
        raw=raw_memory('"metadata": {"n": ' + "9" * 5000 + "}"),
        headers=JSON,
    ),
    Bad("metadata number 1e400", "POST", M, raw=raw_memory('"metadata": {"n": 1e400}'), headers=JSON),
    Bad("importance NaN", "POST", M, raw=raw_memory('"importance": NaN'), headers=JSON),
    Bad("valence -Infinity", "POST", M, raw=raw_memory('"valence": -Infinity'), headers=JSON),
    Bad("metadata Infinity", "POST", M, raw=raw_memory('"metadata": {"x": Infinity}'), headers=JSON),
    Bad(
        "settings max_content_chars 1e400",
        "PUT",
        "/v1/settings/memory",
        raw=b'{"max_content_chars": 1e400}',
        headers=JSON,
    ),
    Bad("settings max_content_chars 10**30", "PUT", "/v1/settings/memory", body={"max_content_chars": 10**30}),
    Bad("patch version -1", "PATCH", f"{M}/{ID}", body={"user_id": USER, "importance": 0.3, "version": -1}),
    Bad("patch version 10**30", "PATCH", f"{M}/{ID}", body={"user_id": USER, "importance": 0.3, "version": 10**30}),
    # -- wrong types -----------------------------------------------------------------------------------------------
    Bad("user_id a number", "POST", M, body={"user_id": 42, "content": "x"}),
    Bad("content a list", "POST", M, body={"user_id": USER, "content": ["x"]}),
    Bad("content null", "POST", M, body={"user_id": USER, "content": None}),
    Bad("importance a string", "POST", M, body=memory(importance="high")),
    Bad("importance true", "POST", M, body=memory(importance=True)),
    Bad("importance a numeric string", "POST", M, body=memory(importance="0.5")),
    Bad("valence false on patch", "PATCH", f"{M}/{ID}", body={"user_id": USER, "valence": False}),
    Bad(
        "patch version a numeric string",
        "PATCH",
        f"{M}/{ID}",
        body={"user_id": USER, "importance": 0.3, "version": "1"},
    ),
    Bad("topics a string", "POST", M, body=memory(topics="food")),
    Bad("entities numbers", "POST", M, body=memory(entities=[1, 2])),
    Bad("metadata a list", "POST", M, body=memory(metadata=[1])),
    Bad("metadata a string", "POST", M, body=memory(metadata="x")),
    Bad("source_refs an object", "POST", M, body=memory(source_refs={"a": 1})),
    Bad("body a JSON array", "POST", M, body=[memory()]),
    Bad("body a JSON string", "POST", M, body="Lives in Paris"),
    Bad("body JSON null", "POST", M, raw=b"null", headers=JSON),
    Bad("batch items an object", "POST", f"{M}/batch", body={"items": memory()}),
    Bad("bulk delete ids a string", "POST", f"{M}/delete", body={"user_id": USER, "ids": "abc"}),
    Bad("settings max_content_chars a string", "PUT", "/v1/settings/memory", body={"max_content_chars": "300"}),
    Bad("settings max_content_chars true", "PUT", "/v1/settings/memory", body={"max_content_chars": True}),
    Bad(
        "conversation messages an object",
        "POST",
        "/v1/conversations/t/messages",
        body={"user_id": USER, "messages": {"role": "user", "content": "hi"}},
    ),
    Bad(
        "conversation recall_limit a numeric string",
        "POST",
        "/v1/conversations/t/messages",
        body={"user_id": USER, "recall_limit": "5", "messages": [{"role": "user", "content": "hi"}]},
    ),
    Bad(
        "conversation recall_limit a string",
        "POST",
        "/v1/conversations/t/messages",
        body={"user_id": USER, "recall_limit": "five", "messages": [{"role": "user", "content": "hi"}]},
    ),
    # -- empty, non-JSON, not UTF-8 --------------------------------------------------------------------------------
    Bad("empty body", "POST", M, raw=b"", headers=JSON),
    Bad("empty body on a patch", "PATCH", f"{M}/{ID}", raw=b"", headers=JSON),
    Bad("non-JSON body", "POST", M, raw=b"user_id=alice&content=x", headers=JSON),
    Bad("plain text body", "POST", M, raw=b"Lives in Paris", headers={"content-type": "text/plain"}),
    Bad(
        "form body",
        "POST",
        M,
        raw=b"user_id=alice&content=x",
        headers={"content-type": "application/x-www-form-urlencoded"},
    ),
    Bad("truncated JSON", "POST", M, raw=b'{"user_id": "alice", "content": ', headers=JSON),
    Bad("invalid UTF-8 in a string", "POST", M, raw=b'{"user_id": "alice", "content": "\xff\xfe"}', headers=JSON),
    Bad("invalid UTF-8 in a batch", "POST", f"{M}/batch", raw=b'{"items": [\xc3\x28]}', headers=JSON),
    Bad("UTF-16 body", "POST", M, raw=json.dumps(memory()).encode("utf-16"), headers=JSON),
    Bad("lone surrogate in content", "POST", M, raw=b'{"user_id": "alice", "content": "x\\ud800y"}', headers=JSON),
    Bad("lone surrogate in user_id", "POST", M, raw=b'{"user_id": "a\\udfffb", "content": "x"}', headers=JSON),
    Bad("lone surrogate in metadata", "POST", M, raw=raw_memory('"metadata": {"k": "\\ud800"}'), headers=JSON),
    Bad("lone surrogate in metadata key", "POST", M, raw=raw_memory('"metadata": {"\\ud800": 1}'), headers=JSON),
    Bad(
        "lone surrogate in a conversation",
        "POST",
        "/v1/conversations/t/messages",
        raw=b'{"user_id": "alice", "messages": [{"role": "user", "content": "I like \\udc00 tea"}]}',
        headers=JSON,
    ),
    Bad(
        "duplicate JSON keys resolving to an invalid value",
        "POST",
        M,
        raw=b'{"user_id": "alice", "content": "x", "content": ""}',
        headers=JSON,
    ),
    # -- ids: length and control characters ------------------------------------------------------------------------
    Bad("user_id of 129 characters", "POST", M, body={"user_id": "u" * 129, "content": "x"}),
    Bad("user_id of 10,000 characters in the query", "GET", M, params={"user_id": "u" * 10_000}),
    Bad("memory id of 10,000 characters", "GET", f"{M}/{'m' * 10_000}", params={"user_id": USER}),
    Bad("agent_id of 129 characters", "POST", M, body=memory(agent_id="a" * 129)),
    Bad(
        "thread_id of 129 characters",
        "POST",
        f"/v1/conversations/{'t' * 129}/messages",
        body={"user_id": USER, "messages": [{"role": "user", "content": "hi"}]},
    ),
    Bad("Idempotency-Key of 129 characters", "POST", M, body=memory(), headers={"Idempotency-Key": "k" * 129}),
    Bad("operation id of 10,000 characters", "GET", f"/v1/operations/{'o' * 10_000}"),
    Bad("NUL in user_id", "POST", M, body={"user_id": "al\x00ice", "content": "x"}),
    Bad("escape in user_id (query)", "GET", M, params={"user_id": "al\x1bice"}),
    Bad("newline in user_id (query)", "GET", f"{M}/search", params={"user_id": "al\nice", "q": "x"}),
    Bad("NUL in the memory id", "GET", f"{M}/ab%00cd", params={"user_id": USER}),
    Bad(
        "NUL in thread_id",
        "POST",
        "/v1/conversations/t%00x/messages",
        body={"user_id": USER, "messages": [{"role": "user", "content": "hi"}]},
    ),
    Bad("tab in Idempotency-Key", "POST", M, body=memory(), headers={"Idempotency-Key": "a\tb"}),
    Bad("leading space in user_id", "POST", M, body={"user_id": " alice", "content": "x"}),
    Bad("control character in agent_id", "POST", M, body=memory(agent_id="a\x07")),
    Bad("control character in a bulk delete id", "POST", f"{M}/delete", body={"user_id": USER, "ids": ["a\x00"]}),
    Bad("bulk delete id of 10,000 characters", "POST", f"{M}/delete", body={"user_id": USER, "ids": ["i" * 10_000]}),
    Bad("control character in an operations filter", "GET", "/v1/operations", params={"user_id": "a\x00"}),
    # -- control and invisible characters in text (the duplicate rule and the stored fields) ------------------------
    Bad("zero-width space inside a stored fact", "POST", M, body={"user_id": USER, "content": "Lives in\u200b Berlin"}),
    Bad("byte-order mark before a stored fact", "POST", M, body={"user_id": USER, "content": "\ufeffLives in Berlin"}),
    Bad("soft hyphen inside a stored fact", "POST", M, body={"user_id": USER, "content": "Lives in Ber\u00adlin"}),
    Bad("word joiner inside a stored fact", "POST", M, body={"user_id": USER, "content": "Lives\u2060 in Berlin"}),
    Bad(
        "bidi override around a stored fact",
        "POST",
        M,
        body={"user_id": USER, "content": "\u202eLives in Berlin\u202c"},
    ),
    Bad(
        "invisible duplicate in a batch",
        "POST",
        f"{M}/batch",
        body={"items": [{"user_id": USER, "content": "Lives in\u200d Berlin"}]},
        expect=ITEM_REFUSED,
    ),
    Bad("control character in content", "POST", M, body=memory(content="bell\x07")),
    Bad("control character in summary", "POST", M, body=memory(summary="a\x07b")),
    Bad("NUL in summary", "POST", M, body=memory(summary="a\x00b")),
    Bad("control character in a topic", "POST", M, body=memory(topics=["t\x00"])),
    Bad("escape in an entity name", "POST", M, body=memory(entities=[{"name": "n\x1b[31m", "type": "person"}])),
    Bad("control character in an entity type", "POST", M, body=memory(entities=[{"name": "Ana", "type": "p\x00"}])),
    Bad("control character in summary on patch", "PATCH", f"{M}/{ID}", body={"user_id": USER, "summary": "s\x01"}),
    Bad("control character in topics on patch", "PATCH", f"{M}/{ID}", body={"user_id": USER, "topics": ["a\x02"]}),
    Bad("zero-width content on patch", "PATCH", f"{M}/{ID}", body={"user_id": USER, "content": "\u200b\u2060"}),
    # -- dates -----------------------------------------------------------------------------------------------------
    Bad(
        "created_after at year 1 east of UTC",
        "GET",
        M,
        params={"user_id": USER, "created_after": "0001-01-01T00:00:00+14:00"},
    ),
    Bad(
        "created_before at year 9999 west of UTC",
        "GET",
        M,
        params={"user_id": USER, "created_before": "9999-12-31T23:59:59-14:00"},
    ),
    Bad(
        "start_date at year 1 east of UTC",
        "GET",
        f"{M}/search",
        params={"user_id": USER, "q": "Berlin", "start_date": "0001-01-01T00:00:00+14:00"},
    ),
    Bad(
        "end_date at year 9999 west of UTC",
        "GET",
        f"{M}/search",
        params={"user_id": USER, "q": "Berlin", "end_date": "9999-12-31T23:59:59-14:00"},
    ),
    Bad("expires_at at year 9999 west of UTC", "POST", M, body=memory(expires_at="9999-12-31T23:59:59-14:00")),
    Bad(
        "expires_at at year 9999 west of UTC on patch",
        "PATCH",
        f"{M}/{ID}",
        body={"user_id": USER, "expires_at": "9999-12-31T23:59:59-14:00"},
    ),
    Bad(
        "expires_at in a batch at year 9999 west of UTC",
        "POST",
        f"{M}/batch",
        body={"items": [memory(expires_at="9999-12-31T23:59:59-14:00")]},
        expect=ITEM_REFUSED,
    ),
    Bad("expires_at year 10000", "POST", M, body=memory(expires_at="10000-01-01T00:00:00Z")),
    Bad("expires_at as a huge epoch number", "POST", M, body=memory(expires_at=10**20)),
    Bad("expires_at in the past", "POST", M, body=memory(expires_at="2000-01-01T00:00:00Z")),
    Bad(
        "conversation ts out of range",
        "POST",
        "/v1/conversations/t/messages",
        body={"user_id": USER, "messages": [{"role": "user", "content": "hi", "ts": "0000-01-01T00:00:00Z"}]},
    ),
    # -- query text, limits, offsets, cursors ----------------------------------------------------------------------
    Bad(
        "q of 1,000 non-ASCII characters (the limit)",
        "GET",
        f"{M}/search",
        params={"user_id": USER, "q": "é" * 1000},
        expect=ANSWERED,
    ),
    Bad(
        "q of 1,000 emoji (the limit)",
        "GET",
        f"{M}/search",
        params={"user_id": USER, "q": "👩‍👩‍👧" * 200},
        expect=ANSWERED,
    ),
    Bad("q of 1,001 non-ASCII characters", "GET", f"{M}/search", params={"user_id": USER, "q": "é" * 1001}),
    Bad("q blank", "GET", f"{M}/search", params={"user_id": USER, "q": "   "}),
    Bad("q of control characters", "GET", f"{M}/search", params={"user_id": USER, "q": "\x00\x01"}, expect=EITHER),
    Bad("limit -1", "GET", M, params={"user_id": USER, "limit": -1}),
    Bad("limit 10**30", "GET", M, params={"user_id": USER, "limit": 10**30}),
    Bad("limit 1e3", "GET", M, params={"user_id": USER, "limit": "1e3"}),
    Bad("offset -5", "GET", M, params={"user_id": USER, "offset": -5}),
    Bad("offset 10**30", "GET", M, params={"user_id": USER, "offset": 10**30}),
    Bad(
        "search offset + limit over 1,000",
        "GET",
        f"{M}/search",
        params={"user_id": USER, "q": "x", "offset": 995, "limit": 10},
    ),
    Bad("search limit NaN", "GET", f"{M}/search", params={"user_id": USER, "q": "x", "limit": "NaN"}),
    Bad("min_importance NaN", "GET", f"{M}/search", params={"user_id": USER, "q": "x", "min_importance": "nan"}),
    Bad("min_importance Infinity", "GET", f"{M}/search", params={"user_id": USER, "q": "x", "min_importance": "inf"}),
    Bad("related limit 0", "GET", f"{M}/{ID}/related", params={"user_id": USER, "limit": 0}),
    Bad("related limit 10**30", "GET", f"{M}/{ID}/related", params={"user_id": USER, "limit": 10**30}),
    Bad("operations limit 101", "GET", "/v1/operations", params={"limit": 101}),
    Bad("operations limit -1", "GET", "/v1/operations", params={"limit": -1}),
    Bad(
        "recall_limit 21",
        "POST",
        "/v1/conversations/t/messages",
        body={"user_id": USER, "recall_limit": 21, "messages": [{"role": "user", "content": "hi"}]},
    ),
    Bad(
        "recall_limit -1",
        "POST",
        "/v1/conversations/t/messages",
        body={"user_id": USER, "recall_limit": -1, "messages": [{"role": "user", "content": "hi"}]},
    ),
    Bad("cursor garbage", "GET", M, params={"user_id": USER, "cursor": "garbage"}),
    Bad("cursor empty", "GET", M, params={"user_id": USER, "cursor": ""}),
    Bad("cursor of 5,000 characters", "GET", M, params={"user_id": USER, "cursor": "a" * 5000}),
    Bad("cursor base64 of JSON with no signature", "GET", M, params={"user_id": USER, "cursor": "eyJwIjp7fX0"}),
    Bad("cursor with a forged signature", "GET", M, params={"user_id": USER, "cursor": "eyJwIjp7fX0.AAAAAAAAAAAA"}),
    Bad("cursor with invalid UTF-8", "GET", f"{M}?user_id=alice&cursor=%FF%FE.%C3%28"),
    Bad("operations before garbage", "GET", "/v1/operations", params={"before": "\x00"}),
    # -- unknown fields, repeated parameters, flags ----------------------------------------------------------------
    Bad("unknown field on create", "POST", M, body=memory(tenant="globex")),
    Bad("unknown field on patch", "PATCH", f"{M}/{ID}", body={"user_id": USER, "owner": "bob"}),
    Bad("unknown field in a batch item", "POST", f"{M}/batch", body={"items": [memory(admin=True)]}),
    Bad("unknown field on settings", "PUT", "/v1/settings/memory", body={"max_content_chars": 300, "tenant": "x"}),
    Bad(
        "unknown field on a message",
        "POST",
        "/v1/conversations/t/messages",
        body={"user_id": USER, "messages": [{"role": "user", "content": "hi", "name": "x"}]},
    ),
    Bad("parameter a job kind does not take", "POST", "/v1/jobs/optimize", body={"user_id": USER, "force": True}),
    Bad("unknown job kind", "POST", "/v1/jobs/defragment", body={"user_id": USER}),
    Bad("repeated user_id on list", "GET", f"{M}?user_id=bob&user_id=alice"),
    Bad("repeated user_id on get", "GET", f"{M}/{ID}?user_id=bob&user_id=alice"),
    Bad("repeated user_id on delete", "DELETE", f"{M}/{ID}?user_id=bob&user_id=alice"),
    Bad("repeated limit on search", "GET", f"{M}/search?user_id=alice&q=x&limit=1&limit=100"),
    Bad("repeated user_id on stats", "GET", "/v1/stats?user_id=alice&user_id=bob"),
    Bad("dry_run 'yes'", "POST", "/v1/jobs/optimize", body={"user_id": USER, "dry_run": "yes"}),
    Bad("dry_run 1", "POST", "/v1/jobs/optimize", body={"user_id": USER, "dry_run": 1}),
    Bad("dry_run 'true'", "POST", "/v1/jobs/optimize", body={"user_id": USER, "dry_run": "true"}),
    Bad("force null", "POST", "/v1/jobs/reindex", body={"user_id": USER, "force": None}, expect=EITHER),
    Bad("include_superseded 'maybe'", "GET", M, params={"user_id": USER, "include_superseded": "maybe"}),
    # -- enums, paths, methods, headers ----------------------------------------------------------------------------
    Bad("search mode unknown", "GET", f"{M}/search", params={"user_id": USER, "q": "x", "mode": "psychic"}),
    Bad("search rank unknown", "GET", f"{M}/search", params={"user_id": USER, "q": "x", "rank": "random"}),
    Bad(
        "message role unknown",
        "POST",
        "/v1/conversations/t/messages",
        body={"user_id": USER, "messages": [{"role": "robot", "content": "hi"}]},
    ),
    Bad(
        "memory mode unknown",
        "POST",
        "/v1/conversations/t/messages",
        body={"user_id": USER, "memory": "sometimes", "messages": [{"role": "user", "content": "hi"}]},
    ),
    Bad("no messages", "POST", "/v1/conversations/t/messages", body={"user_id": USER, "messages": []}),
    Bad(
        "message of 8,001 characters",
        "POST",
        "/v1/conversations/t/messages",
        body={"user_id": USER, "messages": [{"role": "user", "content": "x" * 8001}]},
    ),
    Bad("path traversal as a memory id", "GET", f"{M}/..%2F..%2Fetc%2Fpasswd", params={"user_id": USER}),
    Bad("invalid percent-encoding in a path", "GET", f"{M}/%ZZ", params={"user_id": USER}),
    Bad("overlong UTF-8 in a path", "GET", f"{M}/%C0%AF", params={"user_id": USER}),
    Bad("invalid UTF-8 in a query value", "GET", f"{M}?user_id=%FF%FE"),
    Bad("invalid UTF-8 in a query name", "GET", f"{M}?user_id=alice&%FF=1"),
    Bad("unknown method on a memory", "PUT", f"{M}/{ID}", body={"user_id": USER}),
    Bad(
        "content-type JSON with a charset that is not UTF-8",
        "POST",
        M,
        raw=json.dumps(memory()).encode("utf-16-le"),
        headers={"content-type": "application/json; charset=utf-16"},
    ),
    Bad("Content-Length that is not a number", "POST", M, raw=b"{}", headers={**JSON, "content-length": "abc"}),
    Bad("tenant-wide stats without admin", "GET", "/v1/stats"),
    Bad("bulk delete of 101 ids", "POST", f"{M}/delete", body={"user_id": USER, "ids": [f"id{i}" for i in range(101)]}),
    Bad("batch of 101 items", "POST", f"{M}/batch", body={"items": [memory(content=f"c{i}") for i in range(101)]}),
    Bad("21 topics", "POST", M, body=memory(topics=[f"t{i}" for i in range(21)])),
    Bad("topic of 65 characters", "POST", M, body=memory(topics=["t" * 65])),
    Bad("51 entities", "POST", M, body=memory(entities=[{"name": f"n{i}", "type": "x"} for i in range(51)])),
    Bad("summary of 1,001 characters", "POST", M, body=memory(summary="s" * 1001)),
    Bad("metadata over 8 KiB", "POST", M, body=memory(metadata={"k": "v" * 9000})),
    Bad("body over 256 KiB", "POST", M, body=memory(metadata={"k": "v" * (256 * 1024)})),
]


def test_corpus_names_are_unique() -> None:
    assert len({bad.name for bad in CORPUS}) == len(CORPUS)


def send(api: Api, bad: Bad, memory_id: str) -> Any:
    path = bad.path.replace(ID, memory_id)
    headers = {**api.headers, **bad.headers}
    if bad.raw is not None:
        return api.client.request(bad.method, path, params=bad.params, content=bad.raw, headers=headers)
    if bad.body is None:
        return api.client.request(bad.method, path, params=bad.params, headers=headers)
    return api.client.request(bad.method, path, params=bad.params, json=bad.body, headers=headers)


def assert_refused_as_a_problem(response: Any, bad: Bad) -> None:
    where = f"{bad.name}: {response.status_code} {response.text[:300]}"
    assert 400 <= response.status_code < 500, where
    assert response.headers["content-type"] == "application/problem+json", where
    problem = response.json()
    assert {"type", "title", "status", "detail", "code"} <= set(problem), where
    assert problem["status"] == response.status_code, where
    assert problem["type"] == f"urn:agent-memory:problem:{problem['code']}", where
    assert all(isinstance(problem[k], str) and problem[k] for k in ("type", "title", "detail", "code")), where


def assert_no_stack_trace(response: Any) -> None:
    assert "Traceback" not in response.text
    assert 'File "' not in response.text


def reads_of_the_user(api: Api) -> dict[str, int]:
    """Every read of the user, and of each of their memories: the status of each."""
    statuses: dict[str, int] = {}
    listed = api.get(M, params={"user_id": USER, "include_superseded": "true", "limit": 100})
    statuses["list"] = listed.status_code
    ids = [m["id"] for m in listed.json().get("items", [])] if listed.status_code == 200 else []
    for mode in ("hybrid", "keyword", "semantic"):
        found = api.get(f"{M}/search", params={"user_id": USER, "q": "Berlin lives fact", "mode": mode})
        statuses[f"search {mode}"] = found.status_code
    statuses["stats"] = api.get("/v1/stats", params={"user_id": USER}).status_code
    for memory_id in ids:
        for name, path in (("get", ""), ("history", "/history"), ("related", "/related")):
            statuses[f"{name} {memory_id}"] = api.get(f"{M}/{memory_id}{path}", params={"user_id": USER}).status_code
    statuses["settings"] = api.get("/v1/settings/memory").status_code
    return statuses


def assert_reads_answer_200(api: Api, after: str) -> None:
    failing = {read: status for read, status in reads_of_the_user(api).items() if status != 200}
    assert failing == {}, f"after {after}"


@pytest.fixture
def stored(api: Api, runtime: Runtime) -> Iterator[str]:
    # Jobs run on a background worker in this process on either backend (Step Functions have their own tests).
    worker = LocalJobWorker(lambda: runtime.job_steps, lambda: [])
    runtime.__dict__["job_runner"] = worker
    yield api.remember(USER, STORED, topics=["home"])["id"]
    assert worker.wait_idle(30)
    worker.stop()


@pytest.mark.parametrize("runtime", ["local"], indirect=True)
@pytest.mark.parametrize("bad", CORPUS, ids=[bad.name for bad in CORPUS])
def test_bad_input_is_a_4xx_problem_and_reads_still_work(api: Api, admin: Api, stored: str, bad: Bad) -> None:
    # Given alice with one stored memory
    # When the bad request is sent (settings through an admin key, so the refusal is about the input, not the scope)
    caller = admin if bad.path.startswith("/v1/settings") else api
    response = send(caller, bad, stored)
    # Then it is refused with a complete problem (or, for a valid edge case, answered), never with a stack trace
    assert_no_stack_trace(response)
    if bad.expect == REFUSED or (bad.expect == EITHER and response.status_code >= 400):
        assert_refused_as_a_problem(response, bad)
    else:
        assert 200 <= response.status_code < 300, (bad.name, response.status_code, response.text[:300])
    if bad.expect == ITEM_REFUSED:
        results = response.json()["results"]
        assert results and all(400 <= r["status"] < 500 and r["error"]["code"] for r in results), response.text
    # And every read of alice and of each of her memories still answers 200
    assert_reads_answer_200(api, bad.name)


def test_the_whole_corpus_in_one_store_leaves_every_read_working(api: Api, admin: Api, stored: str) -> None:
    # Given alice with one stored memory, on each backend
    # When the whole corpus is sent to the same store, one request after another
    server_errors = []
    for bad in CORPUS:
        response = send(admin if bad.path.startswith("/v1/settings") else api, bad, stored)
        assert_no_stack_trace(response)
        if response.status_code >= 500:
            server_errors.append((bad.name, response.status_code))
    # Then none of them was a server error, and every read of alice still answers 200 afterwards
    assert server_errors == []
    assert_reads_answer_200(api, "the whole corpus")
    assert api.get(f"{M}/{stored}", params={"user_id": USER}).json()["content"] == STORED
