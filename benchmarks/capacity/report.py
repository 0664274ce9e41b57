"""The simulation's result as plain-text tables (the form docs/capacity.md quotes)."""

from __future__ import annotations

from typing import Any


def _n(value: float, digits: int = 0) -> str:
    return f"{value:,.{digits}f}"


def _days(days: float) -> str:
    return "never" if days == float("inf") else f"{days:,.0f} days"


def _keys(title: str, block: dict[str, Any], with_memories: bool) -> list[str]:
    lines = [f"{title}: {block['over_limit']:,} of {block['keys']:,} keys above one partition's limit"]
    head = "  load   RCU/s     WCU/s    " + ("memories     " if with_memories else "") + "key"
    lines.append(head)
    for row in block["hottest"]:
        memories = f"{row['memories']:>11,}  " if with_memories else ""
        lines.append(
            f"  {row['load']:5.2f}  {row['rcu_per_s']:>8,.0f}  {row['wcu_per_s']:>7,.0f}    {memories}{row['key']}"
        )
    return lines


def _per_memory(result: dict[str, Any]) -> str:
    sizes, stored = result["sizes"], result["per_memory_stored"]
    if not result["args"]["proposed"]:
        return f"one memory in its user's partition (its items, overhead, LSI1 entry): {stored:,} bytes"
    return (
        f"one memory in its user's partition (its items, overhead): {stored:,} bytes; the memory item without its "
        f"vector {sizes['memory_lean']:,}, the vector item {sizes['vector_item']:,}"
    )


def render(result: dict[str, Any]) -> str:
    args, sizes, totals = result["args"], result["sizes"], result["totals"]
    lines = [
        f"population: {args['users']:,} users in {args['tenants']:,} tenants (tenant Zipf {args['tenant_zipf']}), "
        f"activity and memories Zipf {args['user_zipf']}, {args['memories']:,.0f} memories, "
        f"{args['dims']}-dim vectors; {args['seconds']} s simulated, seed {args['seed']}",
        f"item bytes: memory {sizes['memory']:,} ({totals['memory_write_units']} WCU to write, "
        f"{totals['memory_read_units']} RCU to read it in this layout), GSI1 entry {sizes['gsi1_entry']:,}, LSI1 entry "
        f"{sizes['lsi1_entry']:,}, uniqueness {sizes['unique']:,}, history {sizes['history']:,}, counter "
        f"{sizes['counter']:,}, recall {sizes['recall']:,}, idempotency {sizes['idempotency']:,}; "
        f"OpenSearch _source {sizes['document_json']:,}",
        _per_memory(result),
        "",
        "requests per second (simulated / configured):",
    ]
    for name, rate in result["requests"].items():
        lines.append(f"  {name:<34} {rate['simulated']:>10,.2f} / {rate['configured']:,.4g}")
    configured = sum(rate["configured"] for rate in result["requests"].values())
    lines += [
        f"  {'total':<34} {totals['requests_per_s']:>10,.2f} / {configured:,.4g}",
        "",
        f"table (with its local index): {_n(totals['table_rcu_per_s'])} RCU/s, {_n(totals['table_wcu_per_s'])} WCU/s; "
        f"GSI1: {_n(totals['gsi1_wcu_per_s'])} WCU/s",
        f"stream: {_n(totals['stream_records_per_s'])} records/s, of which memory items "
        f"{_n(totals['memory_records_per_s'])}/s",
        f"on-demand: reads ${_n(totals['reads_usd_month'])}/month, writes ${_n(totals['writes_usd_month'])}/month",
        "  by request kind:            RCU/s      WCU/s   GSI1 WCU/s",
        *(
            f"  {name:<24} {row['rcu']:>10,.0f} {row['wcu']:>10,.0f} {row['gsi_wcu']:>11,.0f}"
            for name, row in result["by_operation"].items()
        ),
        "",
        *_keys("user partitions U#", result["users"], True),
        "",
        *_keys("tenant partitions T#", result["tenants"], False),
        "",
        "GSI1 memory partitions of a tenant (hottest key per layout):",
    ]
    for shards, row in result["gsi1"].items():
        lines.append(
            f"  {shards:>3} key(s) per tenant: {row['wcu_per_s']:>8,.0f} WCU/s at {row['hottest_key']}, "
            f"{row['over_limit']} key(s) above 1,000 WCU/s"
        )
    c = result["collections"]
    user, tenant = c["largest_user"], c["largest_tenant"]
    limit = "10 GB each, because of LSI1" if c["limit_applies"] else "no LSI: no size limit; sizes as if there were"
    lines += [
        "",
        f"item collections ({limit}): {c['memories_at_limit']:,} memories fill 10 GB",
        f"  users above 10 GB now: {c['users_over_limit_now']:,}; after {args['days']:g} days of recalls: "
        f"{c['users_over_limit_after_days']:,}",
        f"  largest user {user['key']}: {user['memories']:,} memories, {user['gb_now']:.1f} GB, "
        f"+{user['gb_per_day_of_recalls']:.3f} GB/day of recall items, {_days(user['days_to_limit'])} to 10 GB",
        f"  largest tenant {tenant['key']} ({tenant['traffic_share']:.1%} of traffic): idempotency records alive "
        f"{tenant['idempotency_gb_alive']:.2f} GB, operations +{tenant['operations_gb_per_day']:.3f} GB/day, "
        f"{tenant['gb_after_days']:.1f} GB after {args['days']:g} days",
        f"  tenants above 10 GB after {args['days']:g} days: {c['tenants_over_limit_after_days']:,}",
    ]
    if result["jobs"]:
        lines += ["", "Step Functions (Standard): transitions per second, and per month at $0.025 per 1,000"]
        for name, row in result["jobs"].items():
            lines.append(f"  {name:<34} {row['transitions_per_s']:>8,.1f}/s  ${row['per_month_usd']:>9,.0f}/month")
    return "\n".join(lines)
