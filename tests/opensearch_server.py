"""A loopback OpenSearch stand-in that understands exactly the requests the adapter sends, and nothing more.

It checks SigV4 signing for the `aoss` service, validates every query against the small DSL the adapter is allowed to
emit (anything else is a 400, so the adapter cannot drift into DSL the test would not prove), and answers with
OpenSearch's response shapes. Scores: BM25 (k1 1.2, b 0.75, english-like stemming) and faiss inner-product scores.
Documents become visible on `refresh()` when `refresh_on_write` is off, to play a collection's refresh window.
"""

from __future__ import annotations

import hashlib
import json
import math
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from agent_memory.domain.text import STOPWORDS, stem, tokens

ALLOWED_TOP = {"size", "query", "_source", "sort", "search_after"}


class DslError(ValueError):
    pass


def analyse(text: str) -> list[str]:
    return [stem(token) for token in tokens(text) if token not in STOPWORDS]


class FakeCollection:
    def __init__(self, custom_ids: bool, refresh_on_write: bool) -> None:
        self.custom_ids = custom_ids
        self.refresh_on_write = refresh_on_write
        self.indexes: dict[str, dict[str, Any]] = {}
        self.pending: dict[str, dict[str, dict[str, Any] | None]] = {}
        self.down = False
        self.forbidden = False  # as a collection answers before its data access policy has propagated
        self.requests: list[tuple[str, str]] = []
        self._serial = 0
        self.lock = threading.Lock()

    # -- writes -----------------------------------------------------------------------------------

    def refresh(self) -> None:
        with self.lock:
            for name, changes in self.pending.items():
                docs = self.indexes[name]["docs"]
                for doc_id, doc in changes.items():
                    if doc is None:
                        docs.pop(doc_id, None)
                    else:
                        docs[doc_id] = doc
            self.pending = {}

    def _stage(self, index: str, doc_id: str, doc: dict[str, Any] | None) -> None:
        if self.refresh_on_write:
            docs = self.indexes[index]["docs"]
            if doc is None:
                docs.pop(doc_id, None)
            else:
                docs[doc_id] = doc
        else:
            self.pending.setdefault(index, {})[doc_id] = doc

    def _exists(self, index: str, doc_id: str) -> bool:
        pending = self.pending.get(index, {})
        if doc_id in pending:
            return pending[doc_id] is not None
        return doc_id in self.indexes[index]["docs"]

    def bulk(self, lines: list[dict[str, Any]]) -> dict[str, Any]:
        results = []
        position = 0
        with self.lock:
            while position < len(lines):
                action_line = lines[position]
                if len(action_line) != 1 or next(iter(action_line)) not in {"index", "delete"}:
                    raise DslError(f"unsupported bulk action {action_line}")
                kind, meta = next(iter(action_line.items()))
                if set(meta) - {"_index", "_id"} or meta.get("_index") not in self.indexes:
                    raise DslError(f"bad bulk metadata {meta}")
                index = meta["_index"]
                if kind == "delete":
                    position += 1
                    doc_id = meta.get("_id")
                    if doc_id is None:
                        raise DslError("delete needs _id")
                    found = self._exists(index, doc_id)
                    if found:
                        self._stage(index, doc_id, None)
                    results.append({"delete": {"_id": doc_id, "status": 200 if found else 404}})
                    continue
                doc = lines[position + 1]
                position += 2
                if "_id" in meta and not self.custom_ids:
                    results.append(
                        {
                            "index": {
                                "status": 400,
                                "error": {
                                    "type": "illegal_argument_exception",
                                    "reason": "Document ID is not supported in create/index operation request",
                                },
                            }
                        }
                    )
                    continue
                error = self._invalid_document(index, doc)
                if error:
                    results.append(
                        {"index": {"status": 400, "error": {"type": "mapper_parsing_exception", "reason": error}}}
                    )
                    continue
                self._serial += 1
                doc_id = meta.get("_id") or f"auto-{self._serial}"
                self._stage(index, doc_id, doc)
                results.append({"index": {"_id": doc_id, "status": 201}})
        return {"took": 1, "errors": any(r[next(iter(r))]["status"] >= 300 for r in results), "items": results}

    def _invalid_document(self, index: str, doc: dict[str, Any]) -> str | None:
        properties = self.indexes[index]["mappings"]["properties"]
        unknown = set(doc) - set(properties)
        if unknown:
            return f"unmapped fields {sorted(unknown)}"
        dimension = properties["vector"]["dimension"]
        if "vector" in doc and len(doc["vector"]) != dimension:
            return f"vector of {len(doc.get('vector', []))} dimensions, mapping says {dimension}"
        return None

    # -- queries ----------------------------------------------------------------------------------

    def search(self, index: str, body: dict[str, Any]) -> dict[str, Any]:
        if set(body) - ALLOWED_TOP or "query" not in body:
            raise DslError(f"unsupported top-level keys {sorted(set(body) - ALLOWED_TOP)}")
        size = body.get("size", 10)
        if not isinstance(size, int) or not 0 <= size <= 1000:
            raise DslError("size must be 0..1000")
        source = body.get("_source", True)
        query = body["query"]
        with self.lock:
            docs = dict(self.indexes[index]["docs"])
        if set(query) == {"knn"}:
            if "sort" in body:
                raise DslError("the adapter never sorts a k-NN query")
            scored = self._knn(query["knn"], docs)
        elif set(query) == {"bool"}:
            scored = self._bool_query(query["bool"], docs)
        else:
            raise DslError(f"unsupported query {sorted(query)}")
        scored.sort(key=lambda item: (-item[1], item[0]))
        sort_field = self._sort_field(index, body)
        if sort_field is not None:
            # Sorted on a keyword, paged with search_after (Serverless has no scroll); ties in the index's own order.
            keyed = [(doc_id, docs[doc_id].get(sort_field)) for doc_id, _ in scored]
            keyed = [(doc_id, value) for doc_id, value in keyed if isinstance(value, str)]
            keyed.sort(key=lambda item: (item[1], item[0]))
            if "search_after" in body:
                (after,) = body["search_after"]
                keyed = [(doc_id, value) for doc_id, value in keyed if value > after]
            scored = [(doc_id, 0.0) for doc_id, _ in keyed]
        hits = []
        for doc_id, score in scored[:size]:
            doc = docs[doc_id]
            shown = {k: doc[k] for k in source if k in doc} if isinstance(source, list) else doc
            hit = {"_index": index, "_id": doc_id, "_score": score, "_source": shown}
            if sort_field is not None:
                hit.update({"_score": None, "sort": [doc[sort_field]]})
            hits.append(hit)
        return {
            "took": 1,
            "timed_out": False,
            "hits": {"total": {"value": len(scored), "relation": "eq"}, "hits": hits},
        }

    def _sort_field(self, index: str, body: dict[str, Any]) -> str | None:
        if "sort" not in body:
            if "search_after" in body:
                raise DslError("search_after needs a sort")
            return None
        sort = body["sort"]
        if not (isinstance(sort, list) and len(sort) == 1 and isinstance(sort[0], dict) and len(sort[0]) == 1):
            raise DslError("sort is one keyword field, ascending")
        ((field, order),) = sort[0].items()
        if order != "asc" or self.indexes[index]["mappings"]["properties"].get(field, {}).get("type") != "keyword":
            raise DslError("sort is one keyword field, ascending")
        after = body.get("search_after")
        if after is not None and not (isinstance(after, list) and len(after) == 1 and isinstance(after[0], str)):
            raise DslError("search_after holds one value per sort field")
        return str(field)

    def _knn(self, knn: dict[str, Any], docs: dict[str, dict[str, Any]]) -> list[tuple[str, float]]:
        if set(knn) != {"vector"} or set(knn["vector"]) != {"vector", "k", "filter"}:
            raise DslError("knn must be {vector: {vector, k, filter}}: filtering belongs inside the knn clause")
        spec = knn["vector"]
        filtered = [doc_id for doc_id, doc in docs.items() if "vector" in doc and matches(spec["filter"], doc)]
        query = spec["vector"]
        scored = []
        for doc_id in filtered:
            vector = docs[doc_id]["vector"]
            if len(vector) != len(query):
                raise DslError("query vector dimension differs from the mapping")
            product = sum(a * b for a, b in zip(vector, query, strict=True))
            scored.append((doc_id, 1 + product if product >= 0 else 1 / (1 - product)))
        scored.sort(key=lambda item: -item[1])
        return scored[: spec["k"]]

    def _bool_query(self, query: dict[str, Any], docs: dict[str, dict[str, Any]]) -> list[tuple[str, float]]:
        if set(query) - {"must", "filter", "must_not"}:
            raise DslError(f"unsupported bool keys {sorted(query)}")
        must = query.get("must", [])
        if len(must) > 1 or any(set(clause) != {"multi_match"} for clause in must):
            raise DslError("must holds at most one multi_match")
        candidates = [
            doc_id
            for doc_id, doc in docs.items()
            if matches({"bool": {k: v for k, v in query.items() if k != "must"}}, doc)
        ]
        if not must:
            return [(doc_id, 0.0) for doc_id in candidates]
        return self._bm25(must[0]["multi_match"], docs, candidates)

    def _bm25(
        self, spec: dict[str, Any], docs: dict[str, dict[str, Any]], candidates: list[str]
    ) -> list[tuple[str, float]]:
        if set(spec) != {"query", "fields"}:
            raise DslError("multi_match takes query and fields only")
        terms = analyse(spec["query"])
        scores: dict[str, float] = {}
        for field_spec in spec["fields"]:
            name, _, boost_text = field_spec.partition("^")
            boost = float(boost_text or 1)
            analysed = {doc_id: analyse(str(doc.get(name, ""))) for doc_id, doc in docs.items()}
            average = sum(len(v) for v in analysed.values()) / max(1, len(analysed)) or 1.0
            for term in set(terms):
                holding = sum(1 for v in analysed.values() if term in v)
                if not holding:
                    continue
                idf = math.log(1 + (len(docs) - holding + 0.5) / (holding + 0.5))
                for doc_id in candidates:
                    frequency = analysed[doc_id].count(term)
                    if frequency:
                        norm = frequency + 1.2 * (1 - 0.75 + 0.75 * len(analysed[doc_id]) / average)
                        scores[doc_id] = scores.get(doc_id, 0.0) + boost * idf * frequency * 2.2 / norm
        return list(scores.items())


def matches(clause: dict[str, Any], doc: dict[str, Any]) -> bool:
    if len(clause) != 1:
        raise DslError(f"one clause per object: {clause}")
    kind, spec = next(iter(clause.items()))
    if kind == "term":
        ((name, value),) = spec.items()
        held = doc.get(name)
        return value in held if isinstance(held, list) else held == value
    if kind == "terms":
        ((name, values),) = spec.items()
        return doc.get(name) in values
    if kind == "exists":
        return doc.get(spec["field"]) is not None
    if kind == "range":
        ((name, bounds),) = spec.items()
        value = doc.get(name)
        if value is None:
            return False
        checks = {
            "gt": value > bounds.get("gt", value - 1),
            "gte": value >= bounds.get("gte", value),
            "lt": value < bounds.get("lt", value + 1),
            "lte": value <= bounds.get("lte", value),
        }
        if set(bounds) - set(checks):
            raise DslError(f"unsupported range {bounds}")
        return all(checks[key] for key in bounds)
    if kind == "bool":
        if set(spec) - {"filter", "must_not", "should", "minimum_should_match"}:
            raise DslError(f"unsupported bool keys {sorted(spec)}")
        if not all(matches(c, doc) for c in spec.get("filter", [])):
            return False
        if any(matches(c, doc) for c in spec.get("must_not", [])):
            return False
        should = spec.get("should", [])
        if should:
            return sum(matches(c, doc) for c in should) >= spec.get("minimum_should_match", 1)
        return True
    raise DslError(f"unsupported clause {kind}")


class _Handler(BaseHTTPRequestHandler):
    collection: FakeCollection
    region: str

    def log_message(self, *args: Any) -> None:  # keep test output clean
        return

    def _reply(self, status: int, body: dict[str, Any] | None = None) -> None:
        payload = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def _error(self, status: int, kind: str, reason: str) -> None:
        self._reply(status, {"error": {"type": kind, "reason": reason}, "status": status})

    def _signed(self, body: bytes) -> bool:
        auth = self.headers.get("authorization", "")
        digest = hashlib.sha256(body).hexdigest()
        return (
            auth.startswith("AWS4-HMAC-SHA256 Credential=")
            and f"/{self.region}/aoss/aws4_request" in auth
            and "SignedHeaders=" in auth
            and "x-amz-content-sha256" in auth
            and self.headers.get("x-amz-content-sha256") == digest
            and self.headers.get("x-amz-date") is not None
        )

    def _handle(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        collection = self.collection
        collection.requests.append((self.command, self.path))
        if collection.down:
            return self._error(503, "unavailable", "collection is down")
        if collection.forbidden:
            return self._error(403, "security_exception", "no permissions for [indices:admin/get]")
        if not self._signed(raw):
            return self._error(403, "security_exception", "missing or invalid SigV4 signature for aoss")
        path = self.path.split("?")[0].strip("/").split("/")
        try:
            if self.command == "HEAD" and len(path) == 1:
                return self._reply(200 if path[0] in collection.indexes else 404)
            if self.command == "PUT" and len(path) == 1:
                if path[0] in collection.indexes:
                    return self._error(400, "resource_already_exists_exception", f"index [{path[0]}] exists")
                body = json.loads(raw)
                if body.get("settings", {}).get("index", {}).get("knn") is not True:
                    raise DslError("a vector index needs settings.index.knn = true")
                collection.indexes[path[0]] = {"mappings": body["mappings"], "docs": {}}
                return self._reply(200, {"acknowledged": True, "index": path[0]})
            if self.command in {"POST", "PUT"} and path == ["_bulk"]:
                lines = [json.loads(line) for line in raw.decode().split("\n") if line.strip()]
                return self._reply(200, collection.bulk(lines))
            if self.command in {"POST", "GET"} and len(path) == 2 and path[1] == "_search":
                if path[0] not in collection.indexes:
                    return self._error(404, "index_not_found_exception", f"no such index [{path[0]}]")
                return self._reply(200, collection.search(path[0], json.loads(raw)))
        except DslError as exc:
            return self._error(400, "parsing_exception", str(exc))
        return self._error(400, "unsupported", f"{self.command} {self.path} is not part of the adapter's surface")

    do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = _handle  # noqa: N815 (http.server names them)


class LoopbackOpenSearch:
    """Serve a FakeCollection on 127.0.0.1 on a free port, in a thread."""

    def __init__(self, custom_ids: bool = False, refresh_on_write: bool = True, region: str = "us-east-1") -> None:
        self.collection = FakeCollection(custom_ids, refresh_on_write)
        handler = type("Handler", (_Handler,), {"collection": self.collection, "region": region})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> LoopbackOpenSearch:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()
        self._server.server_close()
