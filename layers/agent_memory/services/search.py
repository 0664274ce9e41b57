"""Finding memories again: keyword, semantic and hybrid search, related memories and statistics."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from agent_memory.domain import limits, validation
from agent_memory.domain.clock import utcnow
from agent_memory.domain.errors import InvalidInput, NotFound
from agent_memory.domain.filtering import admits
from agent_memory.domain.ids import new_ulid
from agent_memory.domain.models import Memory, MemoryFilter, MemoryStats, Owner
from agent_memory.domain.recalls import MAX_FEEDBACK_IDS, Recall, RecallStats
from agent_memory.domain.text import CHARS_PER_TOKEN, embedding_text, query_terms, stem
from agent_memory.ports import Embedder, IndexHit, MemoryStore, RecallLog, SearchIndex, Vector
from agent_memory.services.graph_recall import SEEDS, GraphRecall, graph_ranking


class SearchMode(StrEnum):
    HYBRID = "hybrid"
    KEYWORD = "keyword"
    SEMANTIC = "semantic"


class Ranking(StrEnum):
    RELEVANCE = "relevance"
    BLENDED = "blended"


@dataclass(frozen=True, slots=True)
class Nearest:
    text: str
    vector: Vector
    memory_id: str | None
    similarity: float


@dataclass(frozen=True, slots=True)
class Hit:
    memory: Memory
    score: float
    highlights: list[str]
    matches: list[tuple[int, int]]
    """[start, end) of each matched word or phrase in memory.content (code point offsets): exact where the `**` of a
    highlight cannot be told from the content's own."""


@dataclass(frozen=True, slots=True)
class SearchResult:
    query: str
    mode: SearchMode
    total: int
    hits: list[Hit]
    recall_id: str | None = None  # what the client reports feedback on (None when nothing was returned)


@dataclass(frozen=True, slots=True)
class Stats:
    stats: MemoryStats
    estimated_tokens: int
    recalls: RecallStats


# Reciprocal-rank fusion (Cormack et al., 2009): score = sum of weight / (RRF_K + rank) over the rankings.
# The paper's k = 60 flattens the top of each list; k = 5 lets a first place in either ranking count, which
# measured better on conversational memory (docs/benchmarks.md).
RRF_K = 5
KEYWORD_WEIGHT = 1.0
SEMANTIC_WEIGHT = 1.0
# Graph-aware recall (services/graph_recall.py): hybrid search may fuse a third ranking, the memories the entities
# of the query and of its best hits reach in the user's knowledge graph. Off unless asked for: on held-out LoCoMo
# conversations it moved R@5 and R@10 by less than 0.005 and cost R@1 0.01-0.03 (docs/benchmarks.md).
GRAPH_WEIGHT = 0.25
GRAPH_RECALL = False
# rank=blended: final = BLEND_RELEVANCE * relevance + BLEND_RECENCY * recency + BLEND_IMPORTANCE * importance
BLEND_RELEVANCE = 0.7
BLEND_RECENCY = 0.15
BLEND_IMPORTANCE = 0.15
RECENCY_HALF_LIFE_DAYS = 30.0
MAX_QUERY_CHARS = 1_000
MAX_CANDIDATES = 1_000
SNIPPET_CHARS = 160
# `closest` and `related` ask the index for this many hits beyond what they return, in case the re-check drops some.
RECHECK_SLACK = 5


def fuse(rankings: Sequence[tuple[float, Sequence[str]]]) -> list[tuple[str, float]]:
    """Weighted reciprocal-rank fusion of ranked id lists; ties keep the first ranking's order."""
    scores: dict[str, float] = {}
    for weight, ids in rankings:
        for rank, memory_id in enumerate(ids, start=1):
            scores[memory_id] = scores.get(memory_id, 0.0) + weight / (RRF_K + rank)
    return sorted(scores.items(), key=lambda item: -item[1])


def fuse_hits(rankings: Sequence[tuple[float, Sequence[IndexHit]]]) -> list[tuple[str, float]]:
    return fuse([(weight, [hit.memory_id for hit in hits]) for weight, hits in rankings])


def still_true(
    hits: Sequence[IndexHit], memories: dict[str, Memory], filters: MemoryFilter, now: datetime
) -> list[IndexHit]:
    """The hits the hydrated records still stand behind. The index is a projection that may lag the store: a hit can
    come from a document of an older version (old wording, or from before the memory was superseded, expired or moved
    out of the filter's agent, source, topic or dates) or of a memory since deleted. Every hit is checked against its
    record: the memory must exist, pass every filter the query named (expiry and superseded state included), and
    the document must have been built from the record's current version."""
    kept = []
    for hit in hits:
        memory = memories.get(hit.memory_id)
        if memory is None or not admits(filters, memory, now):
            continue
        if hit.version is not None and hit.version < memory.version:
            continue
        kept.append(hit)
    return kept


def matched_spans(content: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """[start, end) of each matched word of `content`, a run of matches with only spaces between (a matched phrase)
    as one span."""
    wanted = {stem(term) for term in terms}
    runs: list[list[int]] = []
    for m in re.finditer(r"\w+", content):
        if stem(m.group(0).casefold()) not in wanted:
            continue
        if runs and content[runs[-1][1] : m.start()].isspace():
            runs[-1][1] = m.end()
        else:
            runs.append([m.start(), m.end()])
    return [(start, end) for start, end in runs]


def highlights(content: str, spans: Sequence[tuple[int, int]], max_snippets: int = 2) -> list[str]:
    """Short snippets around the matched spans, each wrapped in `**`."""
    snippets: list[str] = []
    used_until = -1
    for first, _ in spans:
        if first < used_until or len(snippets) >= max_snippets:
            continue
        start = max(0, first - SNIPPET_CHARS // 3)
        end = min(len(content), start + SNIPPET_CHARS)
        runs = [(a, b) for a, b in spans if a >= start and b <= end]
        parts: list[str] = []
        cursor = start
        for run_start, run_end in runs:
            parts.append(content[cursor:run_start])
            parts.append(f"**{content[run_start:run_end]}**")
            cursor = run_end
        parts.append(content[cursor:end])
        snippet = "".join(parts).strip()
        snippets.append(("…" if start > 0 else "") + snippet + ("…" if end < len(content) else ""))
        used_until = end
    return snippets


class SearchService:
    def __init__(
        self,
        store: MemoryStore,
        index: SearchIndex,
        embedder: Embedder,
        recalls: RecallLog,
        graph: GraphRecall | None = None,
        clock: Callable[[], datetime] = utcnow,
        new_id: Callable[[], str] = new_ulid,
    ) -> None:
        self._store = store
        self._index = index
        self._embedder = embedder
        self._recalls = recalls
        self._graph = graph
        self._clock = clock
        self._new_id = new_id

    def search(
        self,
        owner: Owner,
        query: str,
        mode: SearchMode = SearchMode.HYBRID,
        limit: int = 10,
        offset: int = 0,
        filters: MemoryFilter | None = None,
        ranking: Ranking = Ranking.RELEVANCE,
        record_access: bool = True,
        within: frozenset[str] | None = None,
        recall: bool = True,
        graph: bool | None = None,
    ) -> SearchResult:
        """`within`: only these memory ids (a cluster's members). `recall`: record what is returned as a recall the
        client can give feedback on (a caller that returns more than the hits records its own). `graph`: fuse the
        memories the query's entities reach in the knowledge graph (hybrid only; None: GRAPH_RECALL)."""
        validation.identifier("user_id", owner.user_id)
        if not query.strip():
            raise InvalidInput("q must not be empty.")
        if len(query) > MAX_QUERY_CHARS:
            raise InvalidInput(f"q must be at most {MAX_QUERY_CHARS} characters.")
        if not 1 <= limit <= limits.MAX_PAGE_SIZE:
            raise InvalidInput(f"limit must be between 1 and {limits.MAX_PAGE_SIZE}.")
        if not 0 <= offset <= MAX_CANDIDATES - limit:
            raise InvalidInput(f"offset + limit must be at most {MAX_CANDIDATES}.")
        filters = filters or MemoryFilter()
        now = self._clock()
        pool = MAX_CANDIDATES if within is not None else min(MAX_CANDIDATES, max(50, 2 * (offset + limit)))
        found: list[tuple[float, list[IndexHit]]] = []
        if mode in (SearchMode.KEYWORD, SearchMode.HYBRID):
            found.append((KEYWORD_WEIGHT, self._index.keyword(owner, query, filters, now, pool)))
        walk = self._graph if mode is SearchMode.HYBRID and (GRAPH_RECALL if graph is None else graph) else None
        nearest: list[IndexHit] = []
        if mode in (SearchMode.SEMANTIC, SearchMode.HYBRID):
            vector = self._embedder.embed([query])[0]
            # The graph's memories are ranked by similarity too: one wider semantic query serves both rankings.
            nearest = self._index.semantic(owner, vector, filters, now, pool if walk is None else MAX_CANDIDATES)
            floor = self._embedder.min_similarity
            found.append((SEMANTIC_WEIGHT, [hit for hit in nearest[:pool] if hit.score >= floor]))
        # An index that reads the records themselves cannot lag them: only the page's records are read (unless a
        # blend or the graph needs every candidate's). A projection's hits are all hydrated and re-checked before
        # ranking, so a stale document neither shows nor takes a rank from a true one.
        page_only = self._index.reads_records and ranking is Ranking.RELEVANCE and walk is None
        memories: dict[str, Memory] = {}
        if page_only:
            rankings = list(found)
        else:
            memories = self._store.get_many(owner, list({hit.memory_id for _, hits in found for hit in hits}), now)
            rankings = [(weight, still_true(hits, memories, filters, now)) for weight, hits in found]
        if within is not None:
            rankings = [(weight, [hit for hit in hits if hit.memory_id in within]) for weight, hits in rankings]
        if walk is not None:
            seeds = [memories[memory_id] for memory_id, _ in fuse_hits(rankings)[:SEEDS]]
            reached = walk.reach(owner, query, seeds, {hit.memory_id for hit in nearest}, now, filters.agent_id)
            linked = [hit for hit in graph_ranking(nearest, reached) if within is None or hit.memory_id in within]
            linked = linked[:pool]
            memories.update(
                self._store.get_many(owner, [h.memory_id for h in linked if h.memory_id not in memories], now)
            )
            rankings.append((GRAPH_WEIGHT, still_true(linked, memories, filters, now)))
        if mode is SearchMode.HYBRID:
            ranked = fuse_hits(rankings)
        else:
            ranked = [(hit.memory_id, hit.score) for hit in rankings[0][1]]
        total = len(ranked)
        if page_only:
            window = ranked[offset : offset + limit]
            memories = self._store.get_many(owner, [memory_id for memory_id, _ in window], now)
            # A memory deleted or changed since the index read it (a write in between) is left out of the page.
            page = [(memories[i], score) for i, score in window if i in memories and admits(filters, memories[i], now)]
        else:
            scored = [(memories[i], score) for i, score in ranked]
            if ranking is Ranking.BLENDED:
                scored = self._blend(scored, now)
            page = scored[offset : offset + limit]
        recall_id = None
        if record_access and page:
            self._store.record_access(owner, [memory.id for memory, _ in page])
            page = [(replace(memory, access_count=memory.access_count + 1), score) for memory, score in page]
            if recall:
                recall_id = self.remember_recall(owner, [memory.id for memory, _ in page])
        terms = query_terms(query)
        spans = {memory.id: matched_spans(memory.content, terms) for memory, _ in page}
        hits = [
            Hit(memory, round(score, 6), highlights(memory.content, spans[memory.id]), spans[memory.id])
            for memory, score in page
        ]
        return SearchResult(query=query, mode=mode, total=total, hits=hits, recall_id=recall_id)

    def remember_recall(self, owner: Owner, memory_ids: Sequence[str]) -> str:
        """Record what was handed to the client, so it can say which of it it used; returns the recall id."""
        recall = Recall(self._new_id(), tuple(memory_ids), self._clock())
        self._recalls.save_recall(owner, recall)
        return recall.id

    def recall_feedback(self, owner: Owner, recall_id: str, used: Sequence[str], ignored: Sequence[str]) -> Recall:
        """Which memories of a recall the client used and which it ignored; sent again, it replaces the first."""
        validation.identifier("user_id", owner.user_id)
        recall = self._recalls.get_recall(owner, validation.identifier("recall_id", recall_id))
        if recall is None:
            raise NotFound(f"Recall {recall_id} was not found for this user.")
        if not used and not ignored:
            raise InvalidInput("Name at least one memory in used or ignored.")
        if len(used) + len(ignored) > MAX_FEEDBACK_IDS:
            raise InvalidInput(f"used and ignored name at most {MAX_FEEDBACK_IDS} memories together.")
        both = set(used) & set(ignored)
        if both:
            raise InvalidInput(f"A memory is either used or ignored, not both: {sorted(both)[0]}.")
        strangers = [i for i in (*used, *ignored) if i not in recall.memory_ids]
        if strangers:
            raise InvalidInput(f"Memory {strangers[0]} was not part of recall {recall_id}.")
        used, ignored = list(dict.fromkeys(used)), list(dict.fromkeys(ignored))
        self._recalls.save_feedback(owner, recall.id, used, ignored)
        return replace(recall, used=tuple(used), ignored=tuple(ignored))

    @staticmethod
    def _blend(scored: list[tuple[Memory, float]], now: datetime) -> list[tuple[Memory, float]]:
        if not scored:
            return scored
        top = max(score for _, score in scored) or 1.0
        blended = []
        for memory, score in scored:
            age_days = max(0.0, (now - memory.created_at).total_seconds() / 86_400)
            recency = math.pow(0.5, age_days / RECENCY_HALF_LIFE_DAYS)
            final = BLEND_RELEVANCE * (score / top) + BLEND_RECENCY * recency + BLEND_IMPORTANCE * memory.importance
            blended.append((memory, final))
        return sorted(blended, key=lambda item: -item[1])

    def closest(self, owner: Owner, text: str) -> Nearest:
        """The stored memory nearest in meaning to `text`, and the vector `text` got (a write can reuse it)."""
        vector = self._embedder.embed([text])[0]
        now = self._clock()
        hits = self._index.semantic(owner, vector, MemoryFilter(), now, 1 + RECHECK_SLACK)
        memories = self._store.get_many(owner, [hit.memory_id for hit in hits], now)
        kept = still_true(hits, memories, MemoryFilter(), now)
        return Nearest(text, vector, kept[0].memory_id, kept[0].score) if kept else Nearest(text, vector, None, 0.0)

    def related(self, owner: Owner, memory_id: str, limit: int = 10, agent_id: str | None = None) -> list[Hit]:
        """`agent_id`: the memory and its neighbours are of this agent only (a key bound to it)."""
        validation.identifier("user_id", owner.user_id)
        if not 1 <= limit <= limits.MAX_PAGE_SIZE:
            raise InvalidInput(f"limit must be between 1 and {limits.MAX_PAGE_SIZE}.")
        now = self._clock()
        source = self._store.get(owner, memory_id, now)
        if source is None or (agent_id is not None and source.agent_id != agent_id):
            raise NotFound(f"Memory {memory_id} was not found for this user.")
        stored = self._index.vector_of(owner, memory_id)
        vector = (
            stored if stored is not None else self._embedder.embed([embedding_text(source.content, source.summary)])[0]
        )
        filters = MemoryFilter(agent_id=agent_id)
        neighbours = self._index.semantic(owner, vector, filters, now, limit + 1 + RECHECK_SLACK)
        others = [hit for hit in neighbours if hit.memory_id != memory_id]
        memories = self._store.get_many(owner, [hit.memory_id for hit in others], now)
        kept = still_true(others, memories, filters, now)[:limit]
        return [Hit(memories[hit.memory_id], round(hit.score, 6), [], []) for hit in kept]

    def stats(self, tenant: str, user_id: str | None) -> Stats:
        if user_id is not None:
            validation.identifier("user_id", user_id)
        stats = self._store.stats(tenant, user_id, self._clock())
        return Stats(
            stats=stats,
            estimated_tokens=math.ceil(stats.content_chars / CHARS_PER_TOKEN),
            recalls=self._recalls.recall_stats(tenant, user_id),
        )
