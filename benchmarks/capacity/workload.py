"""What one request of each kind costs the single table, in capacity units per kind of partition key.

Item sizes come from the store's own item builders (`agent_memory.adapters.aws.dynamo.items`) applied to a
synthetic memory, measured with DynamoDB's size rule; the request shapes follow the AWS adapters' code paths
(docs/capacity.md lists them). Every request touches up to three kinds of key: the user's partition
`U#{tenant}#{user}` (memories, their uniqueness, history, recall counters, recalls, job locks; LSI1 reads and writes
count here too, an LSI lives in its table partition), the tenant's partition `T#{tenant}` (settings, idempotency
records, operations) and the memory's GSI1 partition `T#{tenant}#{shard}`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np

from agent_memory.adapters.aws.dynamo import items
from agent_memory.adapters.aws.dynamo.schema import GSI1_ATTRIBUTES
from agent_memory.adapters.aws.opensearch_documents import document
from agent_memory.domain.models import Entity, HistoryEntry, HistoryEvent, Memory, Owner, Source
from agent_memory.domain.operations import PHASES, JobKind

Array = np.ndarray | float
ITEM_OVERHEAD = 100  # bytes DynamoDB adds to every stored item and index entry (storage, not capacity units)
INDEX_KEYS = ("pk", "sk")
# unique ids of a hybrid search's two pools of 50 each (services/search.py: max(50, 2 * (offset + limit)))
HYDRATED_HITS = 75
HYDRATED_IN_RANK_ORDER = 25  # proposed: hydrate each ranking's head until the page is decided
CLOSEST_HITS = 6  # the already-known check: 1 + RECHECK_SLACK hits
OPERATION_BYTES = 1_500  # an operation record (its JSON `data`, counts, cursor); no builder is imported for it
OTHER_ID = "01JABCDEFGHJKMNPQRSTVWXYZ2"  # a ULID-shaped id for the items that name other records
MEMORIES_PER_STEP = 5_000  # memories a job step gets through before it checkpoints and loops (an assumption)


def attribute_size(value: dict[str, Any]) -> int:
    """Bytes of one attribute value by DynamoDB's rule (numbers: 1 byte per 2 significant digits, plus 1)."""
    ((kind, inner),) = value.items()
    if kind == "S":
        return len(inner.encode())
    if kind == "B":
        return len(inner)
    if kind == "N":
        digits = inner.lstrip("-").replace(".", "").strip("0") or "0"
        return math.ceil(len(digits) / 2) + 1
    if kind == "SS":
        return sum(len(part.encode()) for part in inner)
    if kind == "L":
        return 3 + sum(1 + attribute_size(part) for part in inner)
    if kind == "M":
        return 3 + sum(len(name.encode()) + 1 + attribute_size(part) for name, part in inner.items())
    return 1  # BOOL, NULL


def item_size(item: dict[str, Any]) -> int:
    return sum(len(name.encode()) + attribute_size(value) for name, value in item.items())


def write_units(size: int) -> int:
    return max(1, math.ceil(size / 1024))


def read_units(size: int) -> int:
    """A strongly consistent read (every read of this store is one)."""
    return max(1, math.ceil(size / 4096))


@dataclass(frozen=True)
class Sizes:
    """Bytes of each item, as the store writes it, for one synthetic memory."""

    dimension: int
    memory: int
    memory_lean: int  # the same item without its vector (the proposed layout keeps the vector in an item of its own)
    vector_item: int
    gsi1_entry: int
    lsi1_entry: int
    unique: int
    history: int
    counter: int
    recall: int
    idempotency: int
    document_json: int  # the OpenSearch document's JSON (its `_source`)

    def per_memory_stored(self, proposed: bool = False) -> int:
        """What one memory with one history entry adds to its user's item collection (table items, LSI1 entry)."""
        if proposed:  # the vector apart, no LSI1 entry
            return self.memory_lean + self.vector_item + self.unique + self.counter + self.history + 5 * ITEM_OVERHEAD
        table = self.memory + self.unique + self.counter + self.history + 4 * ITEM_OVERHEAD
        return table + self.lsi1_entry + ITEM_OVERHEAD

    def read_size(self, proposed: bool) -> int:
        """Bytes a read of a memory item costs: without its vector in the proposed layout."""
        return self.memory_lean if proposed else self.memory


def synthetic_memory(dimension: int, content_chars: int) -> tuple[Memory, np.ndarray]:
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    memory = Memory(
        id="01JABCDEFGHJKMNPQRSTVWXYZ0",
        tenant="tenant-0001",
        user_id="user-0000001",
        content=("Prefers window seats on long flights and " * 8)[:content_chars],
        source=Source.CONVERSATION,
        created_at=moment,
        updated_at=moment,
        thread_id="thread-0001",
        importance=0.7,
        valence=0.2,
        topics=("travel", "preferences"),
        entities=(Entity.named("Lyon", "place"),),
        metadata={"extractor": "bedrock", "extractor_version": "1", "fact_kind": "preference", "turn_id": OTHER_ID},
        source_refs=("turn:01JABCDEFGHJKMNPQRSTVWXYZ1#0",),
        embedding_model=f"amazon.titan-embed-text-v2:0/{dimension}",
    )
    vector = np.random.default_rng(0).standard_normal(dimension).astype(np.float32)
    return memory, vector / np.linalg.norm(vector)


def measure(dimension: int, content_chars: int) -> Sizes:
    memory, vector = synthetic_memory(dimension, content_chars)
    owner = Owner(memory.tenant, memory.user_id)
    item = items.memory_item(memory, vector)
    gsi1 = {name: value for name, value in item.items() if name in (*INDEX_KEYS, "gsi1pk", "gsi1sk", *GSI1_ATTRIBUTES)}
    lsi1 = {name: item[name] for name in (*INDEX_KEYS, "lsi1sk")}
    entry = HistoryEntry(memory.id, 1, HistoryEvent.CREATED, memory.created_at, memory.content, None, ())
    counter = {**items.access_key(owner, memory.id), "access_count": items.n(12)}
    recall = {
        "pk": items.s(items.user_pk(owner)),
        "sk": items.s(items.RECALL_PREFIX + OTHER_ID),
        "memory_ids": {"L": [items.s(OTHER_ID)] * 10},
        "recalled_at": items.n(1_767_225_600_000_000),
    }
    body = json.dumps(asdict(memory), default=str).encode()
    idempotency = {
        "pk": items.s(items.tenant_pk(memory.tenant)),
        "sk": items.s(items.IDEMPOTENCY_PREFIX + "3f2b8c1e-5d7a-4e9b-a1c2-0f6e8d9b7a45"),
        "fingerprint": items.s("f" * 64),
        "created_at": items.n(1_767_225_600_000_000),
        "ttl": items.n(1_767_312_000),
        "user_ids": {"SS": [memory.user_id]},
        "status": items.n(201),
        "body": {"B": body},
    }
    lean = {name: value for name, value in item.items() if name != "vector"}
    vector_item = {"pk": item["pk"], "sk": items.s("V#" + memory.id), "vector": item["vector"]}
    return Sizes(
        dimension=dimension,
        memory=item_size(item),
        memory_lean=item_size(lean),
        vector_item=item_size(vector_item),
        gsi1_entry=item_size(gsi1),
        lsi1_entry=item_size(lsi1),
        unique=item_size(items.unique_item(memory)),
        history=item_size(items.history_item(owner, entry)),
        counter=item_size(counter),
        recall=item_size(recall),
        idempotency=item_size(idempotency),
        document_json=len(json.dumps(document(memory, vector)).encode()),
    )


@dataclass(frozen=True)
class Units:
    """What one request spends on each kind of key, and what it leaves on the table's stream and in Step Functions."""

    user_rcu: Array = 0.0
    user_wcu: Array = 0.0
    tenant_rcu: Array = 0.0
    tenant_wcu: Array = 0.0
    gsi_wcu: Array = 0.0  # on the GSI1 partition of the memory written
    stream_records: Array = 0.0  # every item the request writes is one stream record
    memory_records: Array = 0.0  # of which memory items: what the stream indexer turns into index writes
    transitions: Array = 0.0  # Step Functions state transitions (jobs)
    recall_items: Array = 0.0  # `Q#` items left in the user's partition (never expire)
    idempotency_items: Array = 0.0  # `I#` items left in the tenant's partition (24 h TTL)
    operation_items: Array = 0.0  # `O#` items left in the tenant's partition (kept)


@dataclass(frozen=True)
class Operation:
    name: str
    rate: float  # requests per second
    units: Callable[[np.ndarray], Units]  # of the memory counts of the users the requests are for
    scheduled: bool = False  # a job: as likely for any user (a sweep), not in proportion to activity; writes many
    # memories, so its GSI1 writes spread over all the tenant's shards


@dataclass(frozen=True)
class Mix:
    """The workload's shape besides its rates (docs/capacity.md, Assumptions)."""

    update_share: float = 0.2
    delete_share: float = 0.1
    idempotent_share: float = 0.5
    facts_per_turn: float = 1.0
    kept_share: float = 0.5
    topics_per_turn: float = 0.5
    polls_per_job: float = 10.0
    proposed: bool = False  # docs/capacity.md, What to change: no LSI, vector apart, paged reads, records apart
    page: int = 10


class Costs:
    """Capacity units of the store's building blocks for one layout (today's, or the proposed one)."""

    def __init__(self, sizes: Sizes, mix: Mix) -> None:
        self.sizes, self.mix = sizes, mix
        proposed = mix.proposed
        self.memory_read = read_units(sizes.read_size(proposed))
        # the memory's own write: the item (and, proposed, its vector item in the same transaction)
        self.memory_write = (
            write_units(sizes.memory_lean) + write_units(sizes.vector_item) if proposed else write_units(sizes.memory)
        )

    def scan(self, memories: Array) -> np.ndarray:
        """A query over all of a user's memory items (today: listing, topic recall, per-user stats)."""
        return np.ceil(np.asarray(memories, dtype=float) * self.sizes.read_size(self.mix.proposed) / 4096)

    def listing(self, memories: Array, page: int) -> np.ndarray:
        """One page of a user's memories and their counters: today a pass over every item, proposed a Limit-ed
        query of the page."""
        read = np.minimum(memories, page) if self.mix.proposed else np.asarray(memories, dtype=float)
        return self.scan(read) + np.minimum(memories, page)

    def corpus(self, memories: Array) -> np.ndarray:
        """A job's load of every memory with its vector (either layout reads every byte)."""
        return np.ceil(np.asarray(memories, dtype=float) * self.sizes.memory / 4096)

    def create(self) -> Units:
        """services/memories.create → DynamoMemories: settings read, the four-action transaction (memory, uniqueness,
        history, erasure check), LSI1 and GSI1 entries; with an Idempotency-Key, its reservation and its answer (on
        the tenant's partition today, on a partition of its own in the proposed layout)."""
        sizes, keyed = self.sizes, self.mix.idempotent_share
        transaction = 2 * (self.memory_write + write_units(sizes.unique) + write_units(sizes.history) + 1)
        on_tenant = 0.0 if self.mix.proposed else keyed
        # today LSI1's entry; proposed, a small recent-change item with a TTL inside the transaction instead
        recent = 2.0 if self.mix.proposed else write_units(sizes.lsi1_entry)
        return Units(
            user_wcu=transaction + recent,
            tenant_rcu=1.0,
            tenant_wcu=on_tenant * (1 + write_units(sizes.idempotency)),
            gsi_wcu=write_units(sizes.gsi1_entry),
            stream_records=3 + keyed * 2,
            memory_records=1.0,
            idempotency_items=on_tenant,
        )

    def search(self, memories: np.ndarray, page: int) -> tuple[np.ndarray, np.ndarray]:
        """FreshIndex's LSI1 query, hydration of both pools (memory and counter items); one counter update per hit."""
        hits = np.minimum(memories, HYDRATED_IN_RANK_ORDER if self.mix.proposed else HYDRATED_HITS)
        return 1 + hits * (self.memory_read + 1), np.minimum(memories, page).astype(float)


def operations(sizes: Sizes, rates: dict[str, float], mix: Mix) -> list[Operation]:
    """Every request kind at its rate. `rates` keys: searches, turns, writes, gets, lists, feedback, and job kinds."""
    costs = Costs(sizes, mix)
    create = costs.create()

    def search(memories: np.ndarray) -> Units:
        rcu, counters = costs.search(memories, mix.page)
        return Units(user_rcu=rcu, user_wcu=counters + 1, stream_records=counters + 1, recall_items=1.0)

    def turn(memories: np.ndarray) -> Units:
        """Two settings reads, the already-known check per fact, the kept facts' creates, the recall (a search of
        five and the topic listings), the recall record."""
        saved = mix.facts_per_turn * mix.kept_share
        rcu, counters = costs.search(memories, 5)
        closest = mix.facts_per_turn * np.minimum(memories, CLOSEST_HITS) * (costs.memory_read + 1)
        topic_lists = mix.topics_per_turn * costs.listing(memories, 5)
        return Units(
            user_rcu=rcu + closest + topic_lists,
            user_wcu=counters + 1 + saved * np.asarray(create.user_wcu),
            tenant_rcu=2 + saved * 1.0,
            gsi_wcu=saved * np.asarray(create.gsi_wcu),
            stream_records=counters + 1 + saved * 3,
            memory_records=saved,
            recall_items=1.0,
        )

    def write(memories: np.ndarray) -> Units:
        """Creates, updates (read, versioned transaction, uniqueness moved half the time, LSI1 key moves) and deletes
        (read, transaction of memory, uniqueness and counter, history in batches)."""
        creates = 1 - mix.update_share - mix.delete_share
        update = 2 * (costs.memory_write + write_units(sizes.unique) + write_units(sizes.history) + 0.5) + 2
        delete = 2 * (costs.memory_write + 1 + 1) + 1.5 + 1
        return Units(
            user_rcu=(mix.update_share + mix.delete_share) * costs.memory_read + mix.delete_share,
            user_wcu=creates * np.asarray(create.user_wcu) + mix.update_share * update + mix.delete_share * delete,
            tenant_rcu=creates + mix.update_share,
            tenant_wcu=creates * np.asarray(create.tenant_wcu),
            gsi_wcu=float(np.asarray(create.gsi_wcu)),
            stream_records=creates * np.asarray(create.stream_records)
            + mix.update_share * 3.5
            + mix.delete_share * 4.5,
            memory_records=1.0,
            idempotency_items=creates * np.asarray(create.idempotency_items),
        )

    def get(memories: np.ndarray) -> Units:
        return Units(user_rcu=np.where(memories > 0, costs.memory_read + 1, 1).astype(float))

    def list_page(memories: np.ndarray) -> Units:
        return Units(user_rcu=costs.listing(memories, mix.page))

    def feedback(memories: np.ndarray) -> Units:
        return Units(user_rcu=1.0, user_wcu=1.0, stream_records=1.0)

    found: list[Operation] = [
        Operation("search", rates.get("searches", 0.0), search),
        Operation("conversation turn", rates.get("turns", 0.0), turn),
        Operation("memory write", rates.get("writes", 0.0), write),
        Operation("get memory", rates.get("gets", 0.0), get),
        Operation("list memories", rates.get("lists", 0.0), list_page),
        Operation("recall feedback", rates.get("feedback", 0.0), feedback),
    ]
    found += [
        Operation(f"job: {kind.value}", rates.get(kind.value, 0.0), _job(kind, costs), scheduled=True)
        for kind in JobKind
    ]
    return found


# What a job does with its user's memories: (full loads of the corpus, share of the memories it writes)
JOB_SHAPES: dict[JobKind, tuple[float, float]] = {
    JobKind.OPTIMIZE: (2.0, 0.05),  # the corpus is loaded twice; merges, supersessions and new topics
    JobKind.BACKFILL_ENTITIES: (1.0, 0.2),
    JobKind.CONSOLIDATE_CONVERSATIONS: (0.0, 0.01),  # reads logs from S3, saves facts as a turn does
    JobKind.GENERATE_EPISODES: (0.0, 0.005),
    JobKind.REINDEX: (1.0, 0.0),  # reads every memory, writes the index only
    JobKind.ERASE_USER: (2.0, 1.0),  # pages of deletes, then the verification pass
    JobKind.EXPORT: (1.0, 0.0),
}


def steps(kind: JobKind, memories: Array) -> np.ndarray:
    """Lambda step invocations of one job: begin, each phase looping per MEMORIES_PER_STEP, finish."""
    loops = np.maximum(1, np.ceil(np.asarray(memories, dtype=float) / MEMORIES_PER_STEP))
    return 2 + len(PHASES[kind]) * loops


def transitions(kind: JobKind, memories: Array) -> np.ndarray:
    """Standard workflow state transitions (infra/constructs/jobs.py): Begin, a Task and a Choice per phase loop,
    Finish, Done."""
    return 3 + 2 * (steps(kind, memories) - 2)


def _job(kind: JobKind, costs: Costs) -> Callable[[np.ndarray], Units]:
    loads, written = JOB_SHAPES[kind]
    op_r, op_w = read_units(OPERATION_BYTES), write_units(OPERATION_BYTES)
    sizes, mix = costs.sizes, costs.mix

    on_tenant = 0.0 if mix.proposed else 1.0  # proposed: each operation under a partition key of its own

    def units(memories: np.ndarray) -> Units:
        count = steps(kind, memories)
        changed = written * np.asarray(memories, dtype=float)
        return Units(
            # each step reads its operation and checkpoints it with the lock (one transaction); the client polls
            tenant_rcu=on_tenant * (count * op_r + mix.polls_per_job * op_r),
            tenant_wcu=on_tenant * (count + 1) * 2 * (op_w + 1),
            user_rcu=loads * costs.corpus(memories),
            user_wcu=changed * 2 * (costs.memory_write + 2) + count,
            gsi_wcu=changed * write_units(sizes.gsi1_entry),
            stream_records=changed * 3 + count * 2,
            memory_records=changed,
            transitions=transitions(kind, memories),
            operation_items=on_tenant,
        )

    return units
