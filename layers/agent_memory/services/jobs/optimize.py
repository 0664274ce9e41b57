"""Optimize: merge duplicates, let newer facts supersede the ones they contradict, and refresh topics.

Nothing is deleted. A merged-away or superseded memory is kept with `superseded_by` (hidden from default search and
listing, visible in history and with `include_superseded`), and each merge or supersession is one transaction, which
also saves the job's progress and counts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np

from agent_memory.domain import knowledge, limits
from agent_memory.domain.clock import utcnow
from agent_memory.domain.curation import (
    NEIGHBOURS_PER_MEMORY,
    RELATED_SIMILARITY,
    MergeAction,
    MergeDecision,
    canonical,
    same_content,
)
from agent_memory.domain.errors import DuplicateMemory, NotFound, VersionConflict
from agent_memory.domain.models import Entity, HistoryEntry, HistoryEvent, Memory, Owner
from agent_memory.domain.operations import Operation
from agent_memory.domain.text import embedding_text
from agent_memory.ports import Curator, Embedder, MemoryStore, SettingsStore, Vector
from agent_memory.services.clusters import LABEL_SAMPLES, partition
from agent_memory.services.jobs.corpus import WRITE_BATCH, Corpus, apply_changes
from agent_memory.services.jobs.steps import Change, Checkpoint, PhaseProgress, SecondsLeft

BLOCK = 1024  # rows of the similarity matrix computed at once: 1024 x n float32 stays small for any user
SECONDS_PER_APPLY = 5.0  # a transaction fits in this: less left and the step saves its progress and returns
SECONDS_PER_JUDGEMENT = 15.0  # a curator's judgement (a model call, with its retries) and the change it leads to


Pair = tuple[int, int, float]
PairKey = tuple[float, str, str]


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


def pair_key(memories: list[Memory], pair: Pair) -> PairKey:
    """A pair's place in the judging order, closest first: it outlives a reload of the corpus (positions shift as
    memories are retired; the ids and the similarity to six places do not), so a resumed step starts after it."""
    i, j, similarity = pair
    return (-round(similarity, 6), memories[i].id, memories[j].id)


def exact_duplicates(memories: list[Memory]) -> list[PlannedChange]:
    """Memories with the same words once case, punctuation and spacing are ignored: the longest wording (then the
    oldest) is kept and the others are merged into it, in the order of the merged memories' ids."""
    groups: dict[str, list[int]] = {}
    for index, memory in enumerate(memories):
        groups.setdefault(canonical(memory.content), []).append(index)
    changes: list[PlannedChange] = []
    for members in groups.values():
        if len(members) < 2:
            continue
        ordered = sorted(members, key=lambda i: (-len(memories[i].content), memories[i].created_at, memories[i].id))
        changes.extend(PlannedChange(MergeAction.MERGE, ordered[0], other, "same words", 1.0) for other in ordered[1:])
    return sorted(changes, key=lambda change: memories[change.retired].id)


def planned_change(
    memories: list[Memory], decision: MergeDecision, older: int, newer: int, similarity: float
) -> PlannedChange | None:
    """The change a curator's decision about two memories makes, if any."""
    if decision.action is MergeAction.SUPERSEDE:
        return PlannedChange(MergeAction.SUPERSEDE, newer, older, decision.reason, similarity)
    if decision.action is not MergeAction.MERGE:
        return None
    merged = (decision.merged_content or "").strip()
    # The kept memory is the one whose content the merged words are, once normalised: it keeps its own content key,
    # and the retired one keeps its, so each key is written once (never one key for both memories, which no store
    # holds and DynamoDB refuses within one transaction).
    newer_words = bool(merged) and same_content(merged, memories[newer].content)
    survivor, retired = (newer, older) if newer_words else (older, newer)
    content = merged if merged and merged != memories[survivor].content else None
    return PlannedChange(MergeAction.MERGE, survivor, retired, decision.reason, similarity, content)


def _union_entities(a: tuple[Entity, ...], b: tuple[Entity, ...]) -> tuple[Entity, ...]:
    found = {entity.id: entity for entity in b}
    found.update({entity.id: entity for entity in a})
    return tuple(found.values())


class ResolveDuplicates:
    """One pass over the user's current memories: exact duplicates first, then the candidate pairs closest first,
    each judged on the memories as they are by then (a memory already retired in this pass is skipped) and its change
    applied at once, in one transaction with the progress that counts it. The cursor is the last merged id or pair
    key, so a step that stops (its time is up, or its process died) resumes after the last thing it did."""

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

    def run(
        self, operation: Operation, cursor: dict[str, Any] | None, seconds_left: SecondsLeft, checkpoint: Checkpoint
    ) -> PhaseProgress:
        owner = Owner(operation.tenant, operation.user_id)
        corpus = Corpus.load(self._store, self._embedder, owner, self._clock())
        memories = corpus.memories
        dry = operation.dry_run
        stage = "exact" if cursor is None else str(cursor.get("stage", "exact"))
        after = None if cursor is None else cursor.get("after")
        exact = exact_duplicates(memories) if stage == "exact" else []
        if after is not None and stage == "exact":
            exact = [change for change in exact if memories[change.retired].id > after]
        pairs = sorted(candidate_pairs(corpus.vectors), key=lambda pair: pair_key(memories, pair))
        if after is not None and stage == "pairs":
            pairs = [pair for pair in pairs if pair_key(memories, pair) > tuple(after)]
        base = 0 if cursor is None else operation.done  # the items of this phase done in earlier steps
        names = ("merges", "supersessions") if dry else ("merged", "superseded")
        progress = PhaseProgress(
            done=False,
            cursor={"stage": stage, "after": after},
            total=base + len(exact) + len(pairs),
            counts={"memories": 0 if cursor else len(memories), **dict.fromkeys(names, 0)},
            result={"merges": [], "supersessions": [], **({"dry_run": True} if dry else {})},
        )
        if not dry:
            progress = progress.plus(counts={"conflicts": 0})
        planned: set[int] = set()  # a dry run applies nothing, so a memory takes part in one planned change
        for change in exact:
            if seconds_left() < SECONDS_PER_APPLY:
                return progress
            progress = progress.plus(advanced=1, cursor={"stage": "exact", "after": memories[change.retired].id})
            progress = self._settle(corpus, change, progress, checkpoint, dry)
            planned.update((change.survivor, change.retired))
        progress = progress.plus(cursor={"stage": "pairs", "after": after if stage == "pairs" else None})
        for pair in pairs:
            if seconds_left() < SECONDS_PER_JUDGEMENT:
                return progress
            i, j, similarity = pair
            progress = progress.plus(advanced=1, cursor={"stage": "pairs", "after": list(pair_key(memories, pair))})
            gone = memories[i].superseded_by is not None or memories[j].superseded_by is not None
            if gone or (dry and (i in planned or j in planned)):
                continue
            older, newer = _older_first(memories, i, j)
            decision = self._curator.decide_merge(memories[older].content, memories[newer].content, similarity)
            judged = planned_change(memories, decision, older, newer, similarity)
            if judged is None:
                checkpoint.save_if_due(progress)
                continue
            progress = self._settle(corpus, judged, progress, checkpoint, dry)
            planned.update((i, j))
        return progress.plus(done=True, total=base + progress.advanced)

    def _settle(
        self, corpus: Corpus, change: PlannedChange, progress: PhaseProgress, checkpoint: Checkpoint, dry: bool
    ) -> PhaseProgress:
        """Apply a change with the progress that reports it (a dry run only reports it)."""
        merge = change.action is MergeAction.MERGE
        listed = "merges" if merge else "supersessions"
        counted = listed if dry else ("merged" if merge else "superseded")
        reported = progress.plus(counts={counted: 1}, result={listed: [change.summary(corpus.memories)]})
        if dry:
            checkpoint.save_if_due(reported)
            return reported
        batch = self._writes(corpus, change)
        try:
            checkpoint.apply(batch, reported)
        except (VersionConflict, NotFound, DuplicateMemory):
            return progress.plus(counts={"conflicts": 1})  # a memory changed since it was read: the next optimize
        corpus.memories[change.survivor] = batch[0][0]
        corpus.memories[change.retired] = batch[1][0]
        return reported

    def _writes(self, corpus: Corpus, change: PlannedChange) -> list[Change]:
        """The kept memory takes what the retired one knew; the retired one points to it. Later changes to the same
        memories expect these new versions once they are applied."""
        now = self._clock()
        survivor, retired = corpus.memories[change.survivor], corpus.memories[change.retired]
        max_chars = self._settings.get_settings(survivor.tenant).max_content_chars
        content = change.content if change.content and len(change.content) <= max_chars else survivor.content
        kept = survivor.with_changes(
            content=content,
            supersedes=retired.id,
            topics=tuple(dict.fromkeys((*survivor.topics, *retired.topics)))[: limits.MAX_TOPICS],
            entities=_union_entities(survivor.entities, retired.entities),
            # A merge says both memories' facts at once; a supersession ends the retired one's relations.
            relations=knowledge.union(survivor.relations, retired.relations)
            if change.action is MergeAction.MERGE
            else survivor.relations,
            source_refs=tuple(dict.fromkeys((*survivor.source_refs, *retired.source_refs)))[: limits.MAX_SOURCE_REFS],
            importance=max(survivor.importance, retired.importance)
            if change.action is MergeAction.MERGE
            else survivor.importance,
            updated_at=now,
            version=survivor.version + 1,
        )
        changed = [
            name
            for name in ("content", "supersedes", "topics", "entities", "relations", "source_refs", "importance")
            if getattr(kept, name) != getattr(survivor, name)
        ]
        vector: Vector | None = None
        if content != survivor.content:
            vector = self._embedder.embed([embedding_text(content, kept.summary)])[0]
            kept = kept.with_changes(embedding_model=self._embedder.model_id)
        gone = retired.with_changes(superseded_by=survivor.id, updated_at=now, version=retired.version + 1)
        return [
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


class RefreshTopics:
    """Groups the user's memories by topic (`partition`: as many groups as topics found), names each group, and
    gives memories without topics their group's name."""

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

    def run(
        self, operation: Operation, cursor: dict[str, Any] | None, seconds_left: SecondsLeft, checkpoint: Checkpoint
    ) -> PhaseProgress:
        owner = Owner(operation.tenant, operation.user_id)
        corpus = Corpus.load(self._store, self._embedder, owner, self._clock())
        count = len(corpus.memories)
        if count < 2:
            return PhaseProgress(done=True, counts={"clusters": 0}, result={"clusters": []})
        clusters: list[dict[str, Any]] = []
        names: dict[str, str] = {}  # memory id -> its group's label
        for members in partition(corpus.memories, corpus.vectors, None, self._embedder.min_similarity):
            ranked = sorted(members, key=lambda m: (-m.importance, m.id))
            label = self._curator.label_topic([m.content for m in ranked[:LABEL_SAMPLES]])
            names.update((m.id, label) for m in members)
            clusters.append({"label": label, "size": len(members), "sample_ids": [m.id for m in ranked[:3]]})
        untagged = [m for m in corpus.memories if not m.topics]
        counts = {"clusters": len(clusters) if cursor is None else 0, "topics_added": 0, "conflicts": 0}
        result: dict[str, Any] = {"clusters": clusters} if cursor is None else {}
        if operation.dry_run:
            counts["topics_to_add"] = len(untagged)
            return PhaseProgress(done=True, advanced=count, total=count, counts=counts, result=result)
        # done/total: memories; those that have topics are done at once (a resumed step: those not yet done remain)
        base = count - len(untagged) if cursor is None else operation.done
        progress = PhaseProgress(
            done=False,
            cursor={"resumed": True},
            advanced=base if cursor is None else 0,
            total=base + len(untagged),
            counts=counts,
            result=result,
        )
        now = self._clock()
        changes: list[Change] = []
        for memory in untagged:
            tagged = memory.with_changes(topics=(names[memory.id],), updated_at=now, version=memory.version + 1)
            entry = HistoryEntry(
                memory.id, tagged.version, HistoryEvent.UPDATED, now, memory.content, None, ("topics",)
            )
            changes.append((tagged, memory.version, entry, None))
        for start in range(0, len(changes), WRITE_BATCH):
            if seconds_left() < SECONDS_PER_APPLY:
                return progress
            batch = changes[start : start + WRITE_BATCH]
            progress = apply_changes(checkpoint, batch, progress, "topics_added", advance=True)
        return progress.plus(done=True)
