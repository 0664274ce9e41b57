"""The OpenSearch index created at deploy time (custom resource), against the loopback collection."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent_memory.domain.errors import SearchUnavailable
from agent_memory.entry import shared
from agent_memory.entry.index_deployment import on_event
from agent_memory.invoke import LocalContext, load_handler
from tests.aws_support import aws_runtime

ROOT = Path(__file__).resolve().parents[2]


def _event(name: str) -> dict:
    return json.loads((ROOT / "events" / "deploy" / name).read_text())


@pytest.fixture
def deployment(monkeypatch):
    with aws_runtime() as (runtime, server):
        server.collection.indexes.clear()  # a collection as CloudFormation hands it over: no index yet
        monkeypatch.setattr(shared, "shared_runtime", lambda: runtime)
        yield runtime, server


def test_create_makes_the_index_with_the_adapter_mapping(deployment) -> None:
    runtime, server = deployment
    handler = load_handler("deploy/search_index", ROOT)
    answer = handler(_event("search_index_create.json"), LocalContext(function_name="search_index"))
    assert answer == {"PhysicalResourceId": "memories", "Data": {"IndexName": "memories", "Created": "true"}}
    assert "memories" in server.collection.indexes
    # And an update (or a retried create) finds it in place
    again = on_event(_event("search_index_create.json") | {"RequestType": "Update"}, runtime.opensearch, lambda: 600)
    assert again["Data"]["Created"] == "false"


def test_delete_keeps_the_index(deployment) -> None:
    runtime, server = deployment
    on_event(_event("search_index_create.json"), runtime.opensearch, lambda: 600)
    answer = on_event(_event("search_index_delete.json"), runtime.opensearch, lambda: 600)
    assert answer == {"PhysicalResourceId": "memories"} and "memories" in server.collection.indexes


def test_waits_out_a_data_access_policy_that_has_not_propagated(deployment) -> None:
    runtime, server = deployment
    server.collection.forbidden = True
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 3:
            server.collection.forbidden = False  # the policy reaches the collection

    answer = on_event(_event("search_index_create.json"), runtime.opensearch, lambda: 600, sleep)
    assert answer["Data"]["Created"] == "true" and waits == [5.0, 10.0, 20.0]


def test_gives_up_before_the_deadline_with_the_cause(deployment) -> None:
    runtime, server = deployment
    server.collection.down = True
    with pytest.raises(SearchUnavailable):
        on_event(_event("search_index_create.json"), runtime.opensearch, lambda: 12, lambda _: None)
