"""Simulate the single table's partition keys at a large deployment's request rates.

A Zipf-distributed population of tenants and users (how many users each tenant has, how active each user is, and so
how many memories each holds) sends every request kind of `workload.operations` at its rate for a simulated window;
each request is charged, in capacity units, to the keys it touches: its user's partition `U#{tenant}#{user}`, its
tenant's partition `T#{tenant}` and its memory's GSI1 partition `T#{tenant}#{shard}` (the keys come from
`agent_memory.adapters.aws.dynamo.items`). The report compares each key's rate with DynamoDB's per-partition limits
(3,000 RCU and 1,000 WCU a second, or a mix: load = RCU/3000 + WCU/1000 must stay below 1), compares GSI1 layouts
(one key per tenant, today's shards, more shards), and each item collection's size with the 10 GB that the table's
local secondary index imposes. Deterministic for a seed; stdlib and numpy only.

    python -m benchmarks.capacity.simulate --users 1000000 --tenants 1000 --memories 1000000000
"""

from __future__ import annotations

import argparse
import json
import sys
import zlib
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, fields
from typing import Any

import numpy as np

from agent_memory.adapters.aws.dynamo import items
from agent_memory.domain.limits import IDEMPOTENCY_TTL_SECONDS
from agent_memory.domain.models import Owner
from agent_memory.domain.operations import JobKind
from benchmarks.capacity.report import render
from benchmarks.capacity.workload import (
    ITEM_OVERHEAD,
    OPERATION_BYTES,
    Mix,
    Operation,
    Sizes,
    Units,
    measure,
    operations,
    read_units,
    write_units,
)

PARTITION_RCU = 3_000
PARTITION_WCU = 1_000
COLLECTION_LIMIT = 10 * 1024**3  # bytes: an item collection of a table with a local secondary index
SECONDS_PER_MONTH = 730 * 3600
PRICE_READ_UNIT = 0.125 / 1e6  # on-demand, us-east-1, USD (check the pricing page)
PRICE_WRITE_UNIT = 0.625 / 1e6
PRICE_TRANSITION = 0.025 / 1e3  # Step Functions Standard
RECALL_TTL_DAYS = 30  # the proposed layout lets recall items expire
DEFAULT_JOBS = (
    "optimize=0.5,consolidate-conversations=2.3,generate-episodes=2.3,backfill-entities=0.1,"
    "reindex=0.01,export=0.004,erase-user=0.0004"
)


def zipf(n: int, exponent: float) -> np.ndarray:
    weights: np.ndarray = np.arange(1, n + 1, dtype=float) ** -exponent
    return np.asarray(weights / weights.sum())


@dataclass(frozen=True)
class Population:
    tenant_of: np.ndarray  # user → tenant
    activity: np.ndarray  # each user's share of all requests (sums to 1)
    memories: np.ndarray  # memories per user, in proportion to activity
    tenants: int

    def tenant_share(self) -> np.ndarray:
        return np.bincount(self.tenant_of, weights=self.activity, minlength=self.tenants)


def population(
    users: int, tenants: int, tenant_zipf: float, user_zipf: float, memories: float, rng: np.random.Generator
) -> Population:
    sizes = 1 + np.floor(zipf(tenants, tenant_zipf) * (users - tenants)).astype(int)
    sizes[0] += users - sizes.sum()  # what the rounding left goes to the largest tenant
    activity = zipf(users, user_zipf)[rng.permutation(users)]
    return Population(np.repeat(np.arange(tenants), sizes), activity, np.round(activity * memories), tenants)


def tenant_name(tenant: int) -> str:
    return f"tenant-{tenant:04d}"


def user_key(pop: Population, user: int) -> str:
    return items.user_pk(Owner(tenant_name(int(pop.tenant_of[user])), f"user-{user:07d}"))


def memory_ids(rng: np.random.Generator, count: int) -> list[str]:
    return [f"01J{value:023X}" for value in rng.integers(0, 2**62, size=count)]


UNIT_FIELDS = tuple(unit.name for unit in fields(Units))
PER_USER = ("user_rcu", "user_wcu", "recall_items")
PER_TENANT = ("tenant_rcu", "tenant_wcu", "idempotency_items", "operation_items")


@dataclass
class Totals:
    """Capacity units summed per key over the window, and the other counts the report needs."""

    user_rcu: np.ndarray
    user_wcu: np.ndarray
    tenant_rcu: np.ndarray
    tenant_wcu: np.ndarray
    recall_items: np.ndarray  # per user
    idempotency_items: np.ndarray  # per tenant
    operation_items: np.ndarray  # per tenant
    gsi_wcu: dict[int, np.ndarray]  # per GSI1 layout (shards per tenant): key = tenant * shards + shard
    requests: dict[str, float] = field(default_factory=dict)
    by_operation: dict[str, dict[str, float]] = field(default_factory=dict)  # units summed over the window
    stream_records: float = 0.0
    memory_records: float = 0.0

    @classmethod
    def empty(cls, users: int, tenants: int, layouts: Sequence[int]) -> Totals:
        u, t = users, tenants
        return cls(
            user_rcu=np.zeros(u),
            user_wcu=np.zeros(u),
            tenant_rcu=np.zeros(t),
            tenant_wcu=np.zeros(t),
            recall_items=np.zeros(u),
            idempotency_items=np.zeros(t),
            operation_items=np.zeros(t),
            gsi_wcu={shards: np.zeros(t * shards) for shards in layouts},
        )


def each(value: object, count: int) -> np.ndarray:
    return np.broadcast_to(np.asarray(value, dtype=float), (count,))


def simulate(
    pop: Population, ops: Sequence[Operation], layouts: Sequence[int], seconds: int, rng: np.random.Generator
) -> Totals:
    """Requests in proportion to activity are drawn one by one (who, and which memory); scheduled jobs, a handful
    in the window, are charged to every user at their expected rate instead, so one draw cannot stand for a week."""
    users, tenants = len(pop.activity), pop.tenants
    cdf = np.cumsum(pop.activity)
    cdf[-1] = 1.0
    totals = Totals.empty(users, tenants, layouts)
    for op in ops:
        count: float = op.rate * seconds if op.scheduled else round(op.rate * seconds)
        totals.requests[op.name] = count
        if not count:
            continue
        if op.scheduled:
            who, weight = np.arange(users), np.full(users, count / users)
        else:
            who, weight = np.searchsorted(cdf, rng.random(int(count)), side="right"), np.ones(int(count))
        tenant, units = pop.tenant_of[who], op.units(pop.memories[who])
        charged = {name: each(getattr(units, name), len(who)) * weight for name in UNIT_FIELDS}
        for name in PER_USER:
            getattr(totals, name)[:] += np.bincount(who, weights=charged[name], minlength=users)
        for name in PER_TENANT:
            getattr(totals, name)[:] += np.bincount(tenant, weights=charged[name], minlength=tenants)
        gsi = charged["gsi_wcu"]
        crc = None if op.scheduled else np.array([zlib.crc32(i.encode()) for i in memory_ids(rng, int(count))])
        for shards, per_key in totals.gsi_wcu.items():
            if crc is None:  # a job writes many memories of its user: every shard of the tenant gets its part
                per_key += np.repeat(np.bincount(tenant, weights=gsi / shards, minlength=tenants), shards)
            else:  # items.memory_shard's rule, with `shards` in place of GSI1_SHARDS
                per_key += np.bincount(tenant * shards + crc % shards, weights=gsi, minlength=tenants * shards)
        totals.stream_records += float(charged["stream_records"].sum())
        totals.memory_records += float(charged["memory_records"].sum())
        totals.by_operation[op.name] = {
            "rcu": float(charged["user_rcu"].sum() + charged["tenant_rcu"].sum()),
            "wcu": float(charged["user_wcu"].sum() + charged["tenant_wcu"].sum()),
            "gsi_wcu": float(gsi.sum()),
            "transitions": float(charged["transitions"].sum()),
        }
    return totals


def load(rcu: np.ndarray, wcu: np.ndarray) -> np.ndarray:
    return rcu / PARTITION_RCU + wcu / PARTITION_WCU


def parse_rates(text: str) -> dict[str, float]:
    rates = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, value = part.partition("=")
        rates[JobKind(name.strip()).value] = float(value)
    return rates


def run(args: argparse.Namespace) -> dict[str, Any]:
    """The whole simulation; the report is built from the dictionary it returns."""
    rng = np.random.default_rng(args.seed)
    pop = population(args.users, args.tenants, args.tenant_zipf, args.user_zipf, args.memories, rng)
    sizes = measure(args.dims, args.content_chars)
    rates = {"searches": args.searches, "turns": args.turns, "writes": args.writes, "gets": args.gets}
    rates |= {"lists": args.lists, "feedback": args.feedback, **parse_rates(args.jobs)}
    mix = Mix(idempotent_share=args.idempotent_share, topics_per_turn=args.topics_per_turn, proposed=args.proposed)
    ops = operations(sizes, rates, mix)
    layouts = sorted({1, items.GSI1_SHARDS, args.shards})
    totals = simulate(pop, ops, layouts, args.seconds, rng)
    s = float(args.seconds)
    return {
        "args": vars(args),
        "sizes": asdict(sizes),
        "per_memory_stored": sizes.per_memory_stored(args.proposed),
        "requests": {
            op.name: {"configured": op.rate, "simulated": totals.requests[op.name] / s} for op in ops if op.rate
        },
        "totals": _totals(totals, s, sizes, args.proposed),
        "users": _hottest(totals.user_rcu / s, totals.user_wcu / s, args.top, lambda u: user_key(pop, u), pop),
        "tenants": _hottest(
            totals.tenant_rcu / s, totals.tenant_wcu / s, args.top, lambda t: items.tenant_pk(tenant_name(t)), None
        ),
        "gsi1": {str(shards): _gsi(per_key / s, shards) for shards, per_key in totals.gsi_wcu.items()},
        "collections": _collections(pop, totals, s, sizes, args),
        "by_operation": {
            name: {unit: value / s for unit, value in row.items()} for name, row in totals.by_operation.items()
        },
        "jobs": {
            name: {
                "transitions_per_s": row["transitions"] / s,
                "per_month_usd": row["transitions"] / s * SECONDS_PER_MONTH * PRICE_TRANSITION,
            }
            for name, row in totals.by_operation.items()
            if row["transitions"]
        },
    }


def _totals(totals: Totals, s: float, sizes: Sizes, proposed: bool) -> dict[str, float]:
    rcu = (totals.user_rcu.sum() + totals.tenant_rcu.sum()) / s
    wcu = (totals.user_wcu.sum() + totals.tenant_wcu.sum()) / s
    gsi = totals.gsi_wcu[items.GSI1_SHARDS].sum() / s
    return {
        "requests_per_s": sum(totals.requests.values()) / s,
        "table_rcu_per_s": rcu,
        "table_wcu_per_s": wcu,
        "gsi1_wcu_per_s": gsi,
        "stream_records_per_s": totals.stream_records / s,
        "memory_records_per_s": totals.memory_records / s,
        "reads_usd_month": rcu * SECONDS_PER_MONTH * PRICE_READ_UNIT,
        "writes_usd_month": (wcu + gsi) * SECONDS_PER_MONTH * PRICE_WRITE_UNIT,
        "memory_write_units": write_units(sizes.memory_lean) + write_units(sizes.vector_item)
        if proposed
        else write_units(sizes.memory),
        "memory_read_units": read_units(sizes.read_size(proposed)),
    }


def _hottest(
    rcu: np.ndarray, wcu: np.ndarray, top: int, name: Callable[[int], str], pop: Population | None
) -> dict[str, object]:
    loads = load(rcu, wcu)
    order = np.argsort(-loads, kind="stable")[:top]
    rows = [
        {
            "key": name(int(i)),
            "rcu_per_s": float(rcu[i]),
            "wcu_per_s": float(wcu[i]),
            "load": float(loads[i]),
            **({"memories": int(pop.memories[i])} if pop is not None else {}),
        }
        for i in order
    ]
    return {"over_limit": int((loads > 1).sum()), "keys": len(loads), "hottest": rows}


def _gsi(wcu: np.ndarray, shards: int) -> dict[str, object]:
    hottest = int(np.argmax(wcu))
    tenant, shard = divmod(hottest, shards)
    key = items.tenant_pk(tenant_name(tenant)) if shards == 1 else items.tenant_shard_pk(tenant_name(tenant), shard)
    return {"hottest_key": key, "wcu_per_s": float(wcu[hottest]), "over_limit": int((wcu > PARTITION_WCU).sum())}


def _collections(
    pop: Population, totals: Totals, s: float, sizes: Sizes, args: argparse.Namespace
) -> dict[str, object]:
    """Item collection sizes against the 10 GB limit: users now and their recall growth, tenants' T# partitions."""
    per_user = pop.memories * sizes.per_memory_stored(args.proposed)
    recall_rate = pop.activity * (args.searches + args.turns)  # expected recall items a second
    growth = recall_rate * 86_400 * (sizes.recall + ITEM_OVERHEAD)  # bytes a day
    after = per_user + growth * min(args.days, RECALL_TTL_DAYS if args.proposed else args.days)
    biggest = int(np.argmax(after))
    share = pop.tenant_share()
    lifetime = IDEMPOTENCY_TTL_SECONDS + args.ttl_lag_hours * 3600  # seconds an idempotency record stays
    alive = totals.idempotency_items / s * lifetime * (sizes.idempotency + ITEM_OVERHEAD)
    ops_per_day = totals.operation_items / s * 86_400 * (OPERATION_BYTES + ITEM_OVERHEAD)
    tenant_after = alive + ops_per_day * args.days
    whale = int(np.argmax(tenant_after))
    settles = args.proposed and per_user[biggest] + growth[biggest] * RECALL_TTL_DAYS < COLLECTION_LIMIT
    days_left = (
        float("inf") if settles or not growth[biggest] else (COLLECTION_LIMIT - per_user[biggest]) / growth[biggest]
    )
    return {
        "limit_applies": not args.proposed,  # the proposed table has no local secondary index
        "users_over_limit_now": int((per_user > COLLECTION_LIMIT).sum()),
        "users_over_limit_after_days": int((after > COLLECTION_LIMIT).sum()),
        "memories_at_limit": int(COLLECTION_LIMIT // sizes.per_memory_stored(args.proposed)),
        "largest_user": {
            "key": user_key(pop, biggest),
            "memories": int(pop.memories[biggest]),
            "gb_now": float(per_user[biggest] / 1024**3),
            "gb_per_day_of_recalls": float(growth[biggest] / 1024**3),
            "days_to_limit": float(max(days_left, 0.0)),
        },
        "largest_tenant": {
            "key": items.tenant_pk(tenant_name(whale)),
            "traffic_share": float(share[whale]),
            "idempotency_gb_alive": float(alive[whale] / 1024**3),
            "operations_gb_per_day": float(ops_per_day[whale] / 1024**3),
            "gb_after_days": float(tenant_after[whale] / 1024**3),
        },
        "tenants_over_limit_after_days": int((tenant_after > COLLECTION_LIMIT).sum()),
    }


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m benchmarks.capacity.simulate", description=__doc__.split("\n\n")[0])
    p.add_argument("--users", type=int, default=1_000_000)
    p.add_argument("--tenants", type=int, default=1_000)
    p.add_argument("--memories", type=float, default=1e9, help="memories in all")
    p.add_argument("--tenant-zipf", type=float, default=1.0, help="skew of users over tenants")
    p.add_argument("--user-zipf", type=float, default=0.7, help="skew of activity (and memories) over users")
    p.add_argument("--searches", type=float, default=1_000.0, help="per second")
    p.add_argument("--turns", type=float, default=100.0, help="conversation turns per second")
    p.add_argument("--writes", type=float, default=300.0, help="memory creates, updates and deletes per second")
    p.add_argument("--gets", type=float, default=100.0, help="single-memory reads per second")
    p.add_argument("--lists", type=float, default=20.0, help="listing pages per second")
    p.add_argument("--feedback", type=float, default=100.0, help="recall feedback per second")
    p.add_argument("--jobs", default=DEFAULT_JOBS, help="kind=jobs per second, comma-separated")
    p.add_argument("--idempotent-share", type=float, default=0.5, help="share of creates with an Idempotency-Key")
    p.add_argument("--topics-per-turn", type=float, default=0.5, help="topic listings a turn's recall runs")
    p.add_argument("--dims", type=int, default=1024, help="vector dimension (Titan v2: 256, 512, 1024)")
    p.add_argument("--content-chars", type=int, default=120)
    p.add_argument("--shards", type=int, default=32, help="a GSI1 layout to compare with 1 and today's")
    p.add_argument("--days", type=float, default=365.0, help="horizon for item-collection growth")
    p.add_argument("--ttl-lag-hours", type=float, default=24.0, help="how late DynamoDB's TTL deletes")
    p.add_argument("--seconds", type=int, default=60, help="simulated window")
    p.add_argument("--top", type=int, default=5)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--proposed", action="store_true", help="the layout docs/capacity.md proposes")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    result = run(args)
    print(json.dumps(result, indent=2) if args.json else render(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
