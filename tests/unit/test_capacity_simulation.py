"""The capacity simulation (benchmarks/capacity) at a tiny scale: its request rates and its GSI1 hot-key verdicts."""

from __future__ import annotations

import zlib

import numpy as np
import pytest
from benchmarks.capacity.simulate import PARTITION_WCU, memory_ids, parser, run

from agent_memory.adapters.aws.dynamo import items

QUIET = ["--searches", "0", "--turns", "0", "--gets", "0", "--lists", "0", "--feedback", "0", "--jobs", ""]


def simulate(*options: str) -> dict:
    return run(parser().parse_args(["--users", "2000", "--tenants", "20", "--memories", "2000000", *options]))


def test_given_the_default_mix_when_simulated_then_each_rate_and_the_total_match_the_configuration() -> None:
    result = simulate("--seconds", "20", "--searches", "123.4", "--writes", "56.7")

    requests = result["requests"]
    assert requests["search"]["simulated"] == pytest.approx(123.4, abs=0.5 / 20)
    assert requests["memory write"]["simulated"] == pytest.approx(56.7, abs=0.5 / 20)
    for rate in requests.values():
        assert rate["simulated"] == pytest.approx(rate["configured"], abs=0.5 / 20)
    configured = sum(rate["configured"] for rate in requests.values())
    assert result["totals"]["requests_per_s"] == pytest.approx(configured, abs=len(requests) * 0.5 / 20)


def test_given_one_tenant_writing_fast_when_simulated_then_one_gsi_key_is_hot_and_todays_shards_are_not() -> None:
    result = simulate("--tenants", "1", "--writes", "5000", "--seconds", "10", *QUIET)

    # the simulation shards as the store does
    ids = memory_ids(np.random.default_rng(1), 50)
    assert [zlib.crc32(i.encode()) % items.GSI1_SHARDS for i in ids] == [items.memory_shard(i) for i in ids]

    unsharded, sharded = result["gsi1"]["1"], result["gsi1"][str(items.GSI1_SHARDS)]
    assert unsharded["wcu_per_s"] > PARTITION_WCU
    assert unsharded["hottest_key"] == items.tenant_pk("tenant-0000")
    assert sharded["over_limit"] == 0
    assert sharded["wcu_per_s"] < PARTITION_WCU
    assert sharded["hottest_key"].startswith(items.tenant_pk("tenant-0000") + "#")


def test_given_a_seed_when_simulated_twice_then_the_results_are_identical() -> None:
    assert simulate("--seconds", "5") == simulate("--seconds", "5")
