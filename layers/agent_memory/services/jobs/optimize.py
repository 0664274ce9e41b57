"""Optimize: merge duplicates, let newer facts supersede the ones they contradict, and refresh topics.

Nothing is deleted. A merged-away or superseded memory is kept with `superseded_by` (hidden from default search and
listing, visible in history and with `include_superseded`), and each merge or supersession is one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np

from agent_memory.domain import limits
from agent_memory.domain.clock import utcnow
from agent_memory.domain.curation import (
    NEIGHBOURS_PER_MEMORY,
    RELATED_SIMILARITY,
    MergeAction,
    MergeDecision,
    canonical,
)
from agent_memory.domain.errors import DuplicateMemory, NotFound, VersionConflict
from agent_memory.domain.models import Entity, HistoryEntry, HistoryEvent, Memory, Owner
from agent_memory.domain.operations import Operation
from agent_memory.domain.text import embedding_text
from agent_memory.ports import Curator, Embedder, MemoryStore, SettingsStore, Vector
from agent_memory.services.jobs.corpus import Change, Corpus, apply_changes
from agent_memory.services.jobs.steps import PhaseProgress, SecondsLeft

BLOCK = 1024  # rows of the similarity matrix computed at once: 1024 x n float32 stays small for any user
SECONDS_PER_APPLY = 5.0  # stop applying while this much time is left, so the step saves its progress in time
MAX_CLUSTERS = 8
MAX_ROUNDS = 5  # plans per step; chains of replacements longer than this finish on the next optimize


Pair = tuple[int, int, float]


@dataclass(frozen=True, slots=True)
class PlannedChange:
    """Positions in the corpus: `survivor` stays; `retired` is kept with superseded_by = survivor. For a merge the
    survivor may take new content; for a supersession the survivor is the newer memory."""

    action: MergeAction
    survivor: int
    retired: int
    reason: str
    similarity: float
    content: str | None = None

    def summary(self, memories: list[Memory]) -> dict[str, Any]:
        survivor, retired = memories[self.survivor], memories[self.retired]
        return {
            "action": self.action.value,
            "kept": survivor.id,
            "superseded": retired.id,
            "kept_content": self.content or survivor.content,
            "superseded_content": retired.content,
            "similarity": round(self.similarity, 3),
            "reason": self.reason,
        }


def _older_first(memories: list[Memory], i: int, j: int) -> tuple[int, int]:
    a, b = memories[i], memories[j]
    return (i, j) if (a.created_at, a.id) <= (b.created_at, b.id) else (j, i)


def candidate_pairs(vectors: np.ndarray) -> list[tuple[int, int, float]]:
    """(i, j, cosine) with i < j: each memory's closest others at or above RELATED_SIMILARITY, closest first."""
    pairs: dict[tuple[int, int], float] = {}
    count = len(vectors)
    keep = min(NEIGHBOURS_PER_MEMORY, max(count - 1, 0))
    if keep == 0:
        return []
    for start in range(0, count, BLOCK):
        block = vectors[start : start + BLOCK] @ vectors.T
        rows = np.arange(len(block))
        block[rows, rows + start] = -1.0  # a memory is not its own neighbour
        nearest = np.argpartition(-block, keep - 1, axis=1)[:, :keep]
        for row, columns in enumerate(nearest):
            i = start + row
            for j in columns:
                similarity = float(block[row, j])
                if similarity >= RELATED_SIMILARITY:
                    pairs[(min(i, int(j)), max(i, int(j)))] = similarity
    return sorted(((i, j, s) for (i, j), s in pairs.items()), key=lambda p: (-p[2], p[0], p[1]))


def plan(corpus: Corpus, curator: Curator) -> tuple[list[PlannedChange], list[Pair]]:
    """Exact duplicates (same words once case, punctuation and spacing are ignored) first, then the candidate pairs
    the curator judges, closest first. A memory takes part in at most one judged change per plan; the pairs left
    for that reason are returned for the next round."""
    memories = corpus.memories
    changes: list[PlannedChange] = []
    used: set[int] = set()
    groups: dict[str, list[int]] = {}
    for index, memory in enumerate(memories):
        groups.setdefault(canonical(memory.content), []).append(index)
    for members in groups.values():
        if len(members) < 2:
            continue
        ordered = sorted(members, key=lambda i: (-len(memories[i].content), memories[i].created_at, memories[i].id))
        keeper = ordered[0]
        changes.extend(PlannedChange(MergeAction.MERGE, keeper, other, "same words", 1.0) for other in ordered[1:])
        used.update(ordered)
    judged, deferred = judge(corpus, curator, candidate_pairs(corpus.vectors), used)
    return changes + judged, deferred


def judge(
    corpus: Corpus, curator: Curator, pairs: list[Pair], used: set[int]
) -> tuple[list[PlannedChange], list[Pair]]:
    changes: list[PlannedChange] = []
    deferred: list[Pair] = []
    for i, j, similarity in pairs:
        if i in used or j in used:
            deferred.append((i, j, similarity))
            continue
        older, newer = _older_first(corpus.memories, i, j)
        decision = curator.decide_merge(corpus.memories[older].content, corpus.memories[newer].content)
        change = _change(corpus, decision, older, newer, similarity)
        if change is not None:
            changes.append(change)
            used.update((i, j))
    return changes, deferred


def _change(corpus: Corpus, decision: MergeDecision, older: int, newer: int, similarity: float) -> PlannedChange | None:
    if decision.action is MergeAction.SUPERSEDE:
        return PlannedChange(MergeAction.SUPERSEDE, newer, older, decision.reason, similarity)
    if decision.action is not MergeAction.MERGE:
        return None
    merged = (decision.merged_content or "").strip()
    # The kept memory is the one whose words are kept: its content key is already its own, so no clash.
    if not merged or merged == corpus.memories[older].content:
        return PlannedChange(MergeAction.MERGE, older, newer, decision.reason, similarity)
    if merged == corpus.memories[newer].content:
        return PlannedChange(MergeAction.MERGE, newer, older, decision.reason, similarity)
    return PlannedChange(MergeAction.MERGE, older, newer, decision.reason, similarity, content=merged)


def _union_entities(a: tuple[Entity, ...], b: tuple[Entity, ...]) -> tuple[Entity, ...]:
    found = {entity.id: entity for entity in b}
    found.update({entity.id: entity for entity in a})
    return tuple(found.values())


class ResolveDuplicates:
    def __init__(
        self,
        store: MemoryStore,
        settings: SettingsStore,
        embedder: Embedder,
        curator: Curator,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._store = store
        self._settings = settings
        self._embedder = embedder
        self._curator = curator
        self._clock = clock

    def run(self, operation: Operation, cursor: dict[str, Any] | None, seconds_left: SecondsLeft) -> PhaseProgress:
        owner = Owner(operation.tenant, operation.user_id)
        corpus = Corpus.load(self._store, self._embedder, owner, self._clock())
        changes, deferred = plan(corpus, self._curator)
        if operation.dry_run:
            merges = [c.summary(corpus.memories) for c in changes if c.action is MergeAction.MERGE]
            supersessions = [c.summary(corpus.memories) for c in changes if c.action is MergeAction.SUPERSEDE]
            return PhaseProgress(
                done=True,
                advanced=len(corpus.memories),
                total=len(corpus.memories),
                counts={"memories": len(corpus.memories), "merges": len(merges), "supersessions": len(supersessions)},
                result={"dry_run": True, "merges": merges, "supersessions": supersessions},
            )
        counts = {"memories": 0 if cursor else len(corpus.memories), "merged": 0, "superseded": 0, "conflicts": 0}
        reported: dict[str, list[dict[str, Any]]] = {"merges": [], "supersessions": []}
        retired: set[int] = set()
        # A memory takes part in one judged change per plan, so a chain (Berlin → Munich → Paris) takes rounds:
        # each judges only the pairs the last one left, among memories still current.
        for _ in range(MAX_ROUNDS):
            for change in changes:
                if seconds_left() < SECONDS_PER_APPLY:
                    return PhaseProgress(done=False, cursor={"resumed": True}, counts=counts, result=reported)
                summary = change.summary(corpus.memories)
                if not self._apply(corpus, change):
                    counts["conflicts"] += 1
                    continue
                retired.add(change.retired)
                merge = change.action is MergeAction.MERGE
                counts["merged" if merge else "superseded"] += 1
                reported["merges" if merge else "supersessions"].append(summary)
            pending = [pair for pair in deferred if pair[0] not in retired and pair[1] not in retired]
            if not pending:
                break
            changes, deferred = judge(corpus, self._curator, pending, set())
        return PhaseProgress(
            done=True,
            advanced=len(corpus.memories),
            total=len(corpus.memories),
            counts=counts,
            result=reported,
        )

    def _apply(self, corpus: Corpus, change: PlannedChange) -> bool:
        """One transaction: the kept memory takes what the retired one knew; the retired one points to it. The
        corpus is brought up to date, so later changes to the same memory expect its new version."""
        now = self._clock()
        survivor, retired = corpus.memories[change.survivor], corpus.memories[change.retired]
        max_chars = self._settings.get_settings(survivor.tenant).max_content_chars
        content = change.content if change.content and len(change.content) <= max_chars else survivor.content
        kept = survivor.with_changes(
            content=content,
            supersedes=retired.id,
            topics=tuple(dict.fromkeys((*survivor.topics, *retired.topics)))[: limits.MAX_TOPICS],
            entities=_union_entities(survivor.entities, retired.entities),
            source_refs=tuple(dict.fromkeys((*survivor.source_refs, *retired.source_refs)))[: limits.MAX_SOURCE_REFS],
            importance=max(survivor.importance, retired.importance)
            if change.action is MergeAction.MERGE
            else survivor.importance,
            updated_at=now,
            version=survivor.version + 1,
        )
        changed = [
            name
            for name in ("content", "supersedes", "topics", "entities", "source_refs", "importance")
            if getattr(kept, name) != getattr(survivor, name)
        ]
        vector: Vector | None = None
        if content != survivor.content:
            vector = self._embedder.embed([embedding_text(content, kept.summary)])[0]
            kept = kept.with_changes(embedding_model=self._embedder.model_id)
        gone = retired.with_changes(superseded_by=survivor.id, updated_at=now, version=retired.version + 1)
        batch: list[Change] = [
            (
                kept,
                survivor.version,
                HistoryEntry(
                    survivor.id,
                    kept.version,
                    HistoryEvent.UPDATED,
                    now,
                    kept.content,
                    survivor.content if content != survivor.content else None,
                    tuple(changed),
                ),
                vector,
            ),
            (
                gone,
                retired.version,
                HistoryEntry(
                    retired.id, gone.version, HistoryEvent.SUPERSEDED, now, retired.content, None, ("superseded_by",)
                ),
                None,
            ),
        ]
        try:
            self._store.update_many(batch)
        except (VersionConflict, NotFound, DuplicateMemory):
            return False  # either memory changed since the plan: the next optimize looks again
        corpus.memories[change.survivor] = kept
        corpus.memories[change.retired] = gone
        return True


def kmeans(vectors: np.ndarray, k: int, iterations: int = 20, seed: int = 7) -> np.ndarray:
    """Cluster labels of unit vectors by spherical k-means (k-means++ start, fixed seed: the same input gives the
    same clusters, so a resumed job labels what it started labelling)."""
    rng = np.random.default_rng(seed)
    count = len(vectors)
    centres = [vectors[int(rng.integers(count))]]
    for _ in range(1, k):
        distance = 1.0 - np.max(vectors @ np.vstack(centres).T, axis=1)
        distance = np.clip(distance, 0.0, None)
        total = float(distance.sum())
        pick = int(rng.integers(count)) if total == 0 else int(rng.choice(count, p=distance / total))
        centres.append(vectors[pick])
    matrix = np.vstack(centres)
    labels = np.zeros(count, dtype=np.int64)
    for _ in range(iterations):
        labels = np.argmax(vectors @ matrix.T, axis=1)
        for cluster in range(k):
            members = vectors[labels == cluster]
            if len(members):
                centre = members.sum(axis=0)
                norm = float(np.linalg.norm(centre))
                matrix[cluster] = centre / norm if norm else centre
    return labels


class RefreshTopics:
    """Clusters the user's vectors, names each cluster, and gives memories without topics their cluster's name."""

    def __init__(
        self,
        store: MemoryStore,
        embedder: Embedder,
        curator: Curator,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._store = store
        self._embedder = embedder
        self._curator = curator
        self._clock = clock

    def run(self, operation: Operation, cursor: dict[str, Any] | None, seconds_left: SecondsLeft) -> PhaseProgress:
        owner = Owner(operation.tenant, operation.user_id)
        corpus = Corpus.load(self._store, self._embedder, owner, self._clock())
        count = len(corpus.memories)
        if count < 2:
            return PhaseProgress(done=True, counts={"clusters": 0}, result={"clusters": []})
        k = min(MAX_CLUSTERS, max(1, round((count / 2) ** 0.5)))
        labels = kmeans(corpus.vectors, k)
        clusters: list[dict[str, Any]] = []
        names: dict[int, str] = {}
        for cluster in range(k):
            members = [corpus.memories[i] for i in np.flatnonzero(labels == cluster)]
            if not members:
                continue
            ranked = sorted(members, key=lambda m: (-m.importance, m.id))
            names[cluster] = self._curator.label_topic([m.content for m in ranked[:8]])
            clusters.append({"label": names[cluster], "size": len(members), "sample_ids": [m.id for m in ranked[:3]]})
        untagged = [(i, m) for i, m in enumerate(corpus.memories) if not m.topics]
        counts = {"clusters": len(clusters) if cursor is None else 0, "topics_added": 0, "conflicts": 0}
        result: dict[str, Any] = {"clusters": clusters} if cursor is None else {}
        if operation.dry_run:
            counts["topics_to_add"] = len(untagged)
            return PhaseProgress(done=True, advanced=count, total=count, counts=counts, result=result)
        now = self._clock()
        changes: list[Change] = []
        for i, memory in untagged:
            label = names[int(labels[i])]
            tagged = memory.with_changes(topics=(label,), updated_at=now, version=memory.version + 1)
            entry = HistoryEntry(
                memory.id, tagged.version, HistoryEvent.UPDATED, now, memory.content, None, ("topics",)
            )
            changes.append((tagged, memory.version, entry, None))
        for start in range(0, len(changes), 100):
            if seconds_left() < SECONDS_PER_APPLY:
                return PhaseProgress(done=False, cursor={"resumed": True}, counts=counts, result=result)
            applied, conflicts = apply_changes(self._store, changes[start : start + 100])
            counts["topics_added"] += applied
            counts["conflicts"] += conflicts
        return PhaseProgress(done=True, advanced=count, total=count, counts=counts, result=result)
