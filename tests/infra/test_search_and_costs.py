"""What a stage costs when nobody uses it: dev's search scales to zero (a NextGen collection group with a 0 OCU
floor), prod keeps always-on Classic capacity with standby replicas and keeps its collection when the stack is
deleted; and the operations guide's counts are the template's."""

from __future__ import annotations

import re
from pathlib import Path

from tests.infra.conftest import Synthesized

ROOT = Path(__file__).resolve().parents[2]
OPERATIONS = ROOT / "docs" / "operations.md"
WORDS = {"one": 1, "two": 2, "three": 3, "four": 4}


def test_dev_search_lives_in_a_nextgen_collection_group_that_scales_to_zero(dev: Synthesized) -> None:
    # Given the dev stage; Then its collection belongs to a NextGen group whose floor is 0 OCU and ceiling is capped
    (group_id, group), *others = dev.of_type("AWS::OpenSearchServerless::CollectionGroup").items()
    assert others == []
    props = group["Properties"]
    assert props["Generation"] == "NEXTGEN" and props["StandbyReplicas"] == "DISABLED"
    limits = props["CapacityLimits"]
    assert limits["MinIndexingCapacityInOcu"] == limits["MinSearchCapacityInOcu"] == 0
    assert 1 <= limits["MaxIndexingCapacityInOcu"] <= 2 and 1 <= limits["MaxSearchCapacityInOcu"] <= 2
    (collection,) = dev.of_type("AWS::OpenSearchServerless::Collection").values()
    assert collection["Properties"]["CollectionGroupName"] == props["Name"]
    assert group_id in collection["DependsOn"]
    # And dev data goes with the stack
    assert collection["DeletionPolicy"] == group["DeletionPolicy"] == "Delete"


def test_prod_search_is_always_on_classic_with_standby_replicas_and_is_retained(prod: Synthesized) -> None:
    assert prod.of_type("AWS::OpenSearchServerless::CollectionGroup") == {}
    (collection,) = prod.of_type("AWS::OpenSearchServerless::Collection").values()
    assert "CollectionGroupName" not in collection["Properties"]
    assert collection["Properties"]["StandbyReplicas"] == "ENABLED"
    # Deleting the prod stack keeps the collection and the policies it needs to be encrypted and reached
    assert collection["DeletionPolicy"] == collection["UpdateReplacePolicy"] == "Retain"
    for policy in prod.of_type("AWS::OpenSearchServerless::SecurityPolicy").values():
        assert policy["DeletionPolicy"] == "Retain", policy["Properties"]["Type"]


def mentions(pattern: str) -> list[int]:
    return [int(n) if n.isdigit() else WORDS[n] for n in re.findall(pattern, OPERATIONS.read_text())]


def test_the_operations_guide_counts_the_alarms_and_keys_of_the_templates(dev: Synthesized, prod: Synthesized) -> None:
    # Given the numbers the operations guide states
    alarms = mentions(r"(\d+) alarms")
    keys = mentions(r"(\d+|one|two|three|four) customer-managed KMS keys?")
    assert alarms and keys, "the guide states how many alarms and KMS keys a stage has"
    # Then they are what each stage's template creates
    for synth in (dev, prod):
        assert set(alarms) == {len(synth.of_type("AWS::CloudWatch::Alarm"))}
        assert set(keys) == {len(synth.of_type("AWS::KMS::Key"))}


def test_the_operations_guide_never_suggests_an_account_ocu_cap_below_the_minimum() -> None:
    # update-account-settings refuses maxIndexingCapacityInOCU / maxSearchCapacityInOCU below 2
    caps = re.findall(r"max(?:Indexing|Search)CapacityInOCU=(\d+(?:\.\d+)?)", OPERATIONS.read_text())
    assert all(float(cap) >= 2 for cap in caps), caps
