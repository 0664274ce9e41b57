"""Clusters of a user's memories on demand, and the user's topics.

Clusters come from the memories' vectors (the optimize job's spherical k-means: fixed seed, so the same memories give
the same clusters), each named by the curator from its most important members. A cluster's id is derived from n, the
agent filter and its members, so it stays the same as long as the user's memories do; `cluster_id` on listing and
search resolves it again (an id from before a change is 404: list the clusters again). Results are cached per
(user, n, agent) until the user's memories change (any version of any memory).
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
from agent_memory.ports import Curator, Embedder, MemoryStore
from agent_memory.services.jobs.corpus import Corpus
from agent_memory.services.jobs.optimize import kmeans

MIN_CLUSTERS, MAX_CLUSTERS, DEFAULT_CLUSTERS = 2, 8, 4
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
        for group in _partition(memories, vectors, n):
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
        groups = _partition([corpus.memories[i] for i in keep], corpus.vectors[keep], n)
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


def _partition(memories: list[Memory], vectors: np.ndarray, n: int) -> list[list[Memory]]:
    if not memories:
        return []
    k = min(n, len(memories))
    labels = kmeans(vectors, k) if k > 1 else np.zeros(len(memories), dtype=np.int64)
    groups = [[memories[i] for i in np.flatnonzero(labels == group)] for group in range(k)]
    return [group for group in groups if group]


CLUSTER_ID = re.compile(r"c([2-8])-[0-9a-f]{16}", re.ASCII)


def _n_of(cluster: str) -> int:
    match = CLUSTER_ID.fullmatch(cluster)
    if match is None:
        raise InvalidInput("cluster_id is not a cluster id (as GET /v1/clusters returns them).")
    return int(match.group(1))
