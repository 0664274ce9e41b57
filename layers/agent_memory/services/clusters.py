"""Clusters of a user's memories on demand, the optimize job's topic groups, and the user's topics.

A user's memories are grouped by what they are about: each memory's life topic (work, food, health, family, pets,
travel, hobbies, technology, education, finance, home, preferences: a stored topic of that name, else the one the
domain's lexicon classifier reads in its content). A memory no topic fits joins the topic group whose centroid is
closest when that is close enough, else the memories left over are split by spherical k-means (at most 8). To
give n clusters, the smallest group is merged into the group whose centroid is most similar until n remain (or the
largest is split by k-means while there are fewer). Everything is deterministic, so the same memories give the same
clusters. Each cluster is named by the curator from its most important members. A cluster's id is derived from n,
the agent filter and its members, so it stays the same as long as its members do; `cluster_id` on listing and search
resolves it again (an id whose cluster the user's memories no longer give is 404: list the clusters again). Results
are cached per (user, n, agent) until the user's memories change (any version of any memory).
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from agent_memory.domain import validation
from agent_memory.domain.clock import utcnow
from agent_memory.domain.errors import InvalidInput, NotFound
from agent_memory.domain.models import Memory, Owner
from agent_memory.domain.topics import LIFE_TOPICS, life_topics
from agent_memory.ports import Curator, Embedder, MemoryStore
from agent_memory.services.jobs.corpus import Corpus

MIN_CLUSTERS, MAX_CLUSTERS, DEFAULT_CLUSTERS = 2, 8, 4
JOIN_SIMILARITY = 0.3  # a memory no topic fits joins the topic group whose centroid is this close or closer
LABEL_SAMPLES = 8
CACHED_USERS = 256


@dataclass(frozen=True, slots=True)
class Cluster:
    id: str
    label: str
    size: int
    members: tuple[Memory, ...]  # most important first


@dataclass(frozen=True, slots=True)
class ClusterSet:
    n: int
    agent_id: str | None
    clusters: tuple[Cluster, ...]  # largest first


def _fingerprint(memories: list[Memory]) -> str:
    digest = hashlib.sha256()
    for memory in sorted(memories, key=lambda m: m.id):
        digest.update(f"{memory.id}:{memory.version}\n".encode())
    return digest.hexdigest()


def cluster_id(n: int, agent_id: str | None, member_ids: list[str]) -> str:
    digest = hashlib.sha256(f"{n}\x1f{agent_id or ''}\x1f{','.join(sorted(member_ids))}".encode()).hexdigest()
    return f"c{n}-{digest[:16]}"


class ClusterService:
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
        self._cache: OrderedDict[tuple[str, str, int, str | None], tuple[str, ClusterSet]] = OrderedDict()
        self._lock = threading.Lock()

    def clusters(self, owner: Owner, n: int = DEFAULT_CLUSTERS, agent_id: str | None = None) -> ClusterSet:
        validation.identifier("user_id", owner.user_id)
        validation.optional_identifier("agent_id", agent_id)
        if not MIN_CLUSTERS <= n <= MAX_CLUSTERS:
            raise InvalidInput(f"n must be between {MIN_CLUSTERS} and {MAX_CLUSTERS}.")
        corpus = Corpus.load(self._store, self._embedder, owner, self._clock())
        keep = [i for i, m in enumerate(corpus.memories) if agent_id is None or m.agent_id == agent_id]
        memories = [corpus.memories[i] for i in keep]
        key = (owner.tenant, owner.user_id, n, agent_id)
        fingerprint = _fingerprint(memories)
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None and cached[0] == fingerprint:
                self._cache.move_to_end(key)
                return cached[1]
        result = self._compute(memories, corpus.vectors[keep], n, agent_id)
        with self._lock:
            self._cache[key] = (fingerprint, result)
            self._cache.move_to_end(key)
            while len(self._cache) > CACHED_USERS:
                self._cache.popitem(last=False)
        return result

    def _compute(self, memories: list[Memory], vectors: np.ndarray, n: int, agent_id: str | None) -> ClusterSet:
        found: list[Cluster] = []
        for group in partition(memories, vectors, n, self._embedder.min_similarity):
            members = sorted(group, key=lambda m: (-m.importance, m.id))
            label = self._curator.label_topic([m.content for m in members[:LABEL_SAMPLES]])
            ids = [m.id for m in members]
            found.append(Cluster(cluster_id(n, agent_id, ids), label, len(members), tuple(members)))
        found.sort(key=lambda c: (-c.size, c.id))
        return ClusterSet(n, agent_id, tuple(found))

    def _groups(self, owner: Owner, n: int, agent_id: str | None) -> list[list[str]]:
        """The member ids of each cluster, without naming them (no model call)."""
        corpus = Corpus.load(self._store, self._embedder, owner, self._clock())
        keep = [i for i, m in enumerate(corpus.memories) if agent_id is None or m.agent_id == agent_id]
        groups = partition([corpus.memories[i] for i in keep], corpus.vectors[keep], n, self._embedder.min_similarity)
        return [[m.id for m in group] for group in groups]

    def members_of(self, owner: Owner, cluster: str, agent_id: str | None = None) -> frozenset[str]:
        """The memory ids of a cluster id as the user's memories stand now; NotFound when there is no such
        cluster (another user's, or from before the memories changed)."""
        n = _n_of(cluster)
        # The id was listed with or without an agent filter: either way it names the same members.
        for agent in dict.fromkeys((agent_id, None)):
            for candidate in self._groups(owner, n, agent):
                if cluster_id(n, agent, candidate) == cluster:
                    return frozenset(candidate)
        raise NotFound(
            f"Cluster {cluster} was not found for this user; memories may have changed since: list clusters again."
        )

    def topics(self, tenant: str, user_id: str | None) -> list[tuple[str, int]]:
        """The topic labels of live memories with how many memories carry each, most used first."""
        if user_id is not None:
            validation.identifier("user_id", user_id)
        counts = self._store.stats(tenant, user_id, self._clock()).by_topic
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


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


def topic_of(memory: Memory, read: str | None) -> str | None:
    """A memory's life topic: a stored topic that is one (given by the client, or by an earlier optimize), else
    the one read in its content."""
    return next((topic for topic in memory.topics if topic in LIFE_TOPICS), read)


def partition(memories: list[Memory], vectors: np.ndarray, n: int | None, min_similarity: float) -> list[list[Memory]]:
    """The user's memories in groups by life topic, as described above: exactly min(n, len(memories)) groups when
    n is given (the endpoint), every topic group and leftover group when it is None (the optimize job)."""
    if not memories:
        return []
    read = life_topics([m.content for m in memories])
    topics = [topic_of(memory, topic) for memory, topic in zip(memories, read, strict=True)]
    groups: dict[str, list[int]] = {}
    for i, topic in enumerate(topics):
        if topic is not None:
            groups.setdefault(topic, []).append(i)
    rest = [i for i, topic in enumerate(topics) if topic is None]
    if rest and groups:  # each joins the topic group whose centroid is closest, if close enough
        names = sorted(groups)
        similarity = vectors[rest] @ np.vstack([_centre(vectors[groups[name]]) for name in names]).T
        for row, i in enumerate(rest):
            best = int(np.argmax(similarity[row]))
            if float(similarity[row, best]) >= max(min_similarity, JOIN_SIMILARITY):
                groups[names[best]].append(i)
        rest = [i for row, i in enumerate(rest) if float(similarity[row].max()) < max(min_similarity, JOIN_SIMILARITY)]
    if rest:
        labels = kmeans(vectors[rest], min(MAX_CLUSTERS, max(1, round((len(rest) / 2) ** 0.5))))
        for i, label in zip(rest, labels, strict=True):
            groups.setdefault(f"~{int(label)}", []).append(i)
    found = sorted((sorted(members) for members in groups.values()), key=lambda members: members[0])
    if n is not None:
        found = _to_count(found, vectors, min(n, len(memories)))
    return [[memories[i] for i in members] for members in found]


def _centre(vectors: np.ndarray) -> np.ndarray:
    total: np.ndarray = vectors.sum(axis=0)
    norm = float(np.linalg.norm(total))
    return total / norm if norm else total


def _to_count(groups: list[list[int]], vectors: np.ndarray, n: int) -> list[list[int]]:
    """Merge the smallest group into the one with the most similar centroid until n remain; split the largest in
    two by k-means while there are fewer (a group of one cannot be split)."""
    groups = [list(members) for members in groups]
    while len(groups) > n:
        smallest = min(range(len(groups)), key=lambda g: (len(groups[g]), groups[g][0]))
        taken = groups.pop(smallest)
        centre = _centre(vectors[taken])
        closest = max(range(len(groups)), key=lambda g: (float(_centre(vectors[groups[g]]) @ centre), -groups[g][0]))
        groups[closest] = sorted(groups[closest] + taken)
    while len(groups) < n:
        largest = max(range(len(groups)), key=lambda g: (len(groups[g]), -groups[g][0]))
        members = groups[largest]
        labels = kmeans(vectors[members], 2)
        halves = [[m for m, label in zip(members, labels, strict=True) if label == side] for side in (0, 1)]
        if len(members) < 2 or not all(halves):
            halves = [members[: len(members) // 2], members[len(members) // 2 :]]
        if not all(halves):
            break
        groups[largest : largest + 1] = halves
    return sorted(groups, key=lambda members: members[0])


CLUSTER_ID = re.compile(r"c([2-8])-[0-9a-f]{16}", re.ASCII)


def _n_of(cluster: str) -> int:
    match = CLUSTER_ID.fullmatch(cluster)
    if match is None:
        raise InvalidInput("cluster_id is not a cluster id (as GET /v1/clusters returns them).")
    return int(match.group(1))
