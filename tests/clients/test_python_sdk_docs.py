"""The SDK against what the server documents: its OpenAPI document, and the README examples run as written."""

from __future__ import annotations

import inspect
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import get_args, get_type_hints

import httpx
from agent_memory_client import _api, inputs, models

from agent_memory.domain.conversation import ENTITY_TYPES

REPO = Path(__file__).resolve().parents[2]


# The SDK's answer models and the server's schemas of the same answers (by the OpenAPI document's names).
ANSWER_SCHEMAS = {
    models.Entity: "EntityOut",
    models.Memory: "MemoryOut",
    models.MemoryPage: "MemoryPage",
    models.BatchItemResult: "BatchItemResult",
    models.BatchResult: "BatchCreateResponse",
    models.HistoryEntry: "HistoryEntryOut",
    models.History: "HistoryResponse",
    models.SearchHit: "SearchHitOut",
    models.SearchResult: "SearchResponse",
    models.Related: "RelatedResponse",
    models.RecallFeedbackStats: "RecallFeedbackOut",
    models.Stats: "StatsResponse",
    models.RecallFeedback: "RecallFeedbackResult",
    models.MemorySettings: "MemorySettingsOut",
    models.Cluster: "ClusterOut",
    models.Clusters: "ClustersOut",
    models.Topic: "TopicOut",
    models.Topics: "TopicsOut",
    models.Progress: "ProgressOut",
    models.Operation: "OperationOut",
    models.OperationPage: "OperationPage",
    models.SavedFact: "SavedOut",
    models.SkippedFact: "SkippedOut",
    models.RecalledMemory: "RecalledOut",
    models.ConversationTurn: "ConversationTurnResponse",
    models.ImportSkip: "ImportSkipOut",
    models.ImportReport: "ImportOut",
    models.Cleared: "ClearedOut",
    models.EntityRef: "EntityRef",
    models.Relation: "RelationOut",
    models.EntityNode: "EntityNodeOut",
    models.Edge: "EdgeOut",
    models.Graph: "GraphOut",
    models.Entities: "EntitiesOut",
    models.EntityDetail: "EntityDetailOut",
    models.Run: "RunOut",
    models.Runs: "RunsResponse",
    models.Reply: "ReplyOut",
}


def parameters(build, *, path: tuple[str, ...] = (), renamed: dict[str, str] | None = None) -> set[str]:
    """The query parameters (or body fields) an `_api` builder sends: its own, less the path's, some renamed."""
    names = set(inspect.signature(build).parameters) - set(path)
    return {(renamed or {}).get(name, name) for name in names}


# What the SDK sends, and the server's request schema or query parameters it must fit.
REQUEST_FIELDS = {
    "CreateMemoryRequest": {"user_id", "content", *get_type_hints(inputs.MemoryFields)},
    "UpdateMemoryRequest": {"user_id", *get_type_hints(inputs.MemoryChanges)},
    "MemorySettingsUpdate": set(get_type_hints(inputs.SettingsChanges)),
    "EntityIn": set(inputs.EntityIn.model_fields),
    "MessageIn": set(inputs.Message.model_fields),
    "ConversationTurnRequest": parameters(_api.conversation_turn, path=("thread_id",)),
}
QUERY_PARAMETERS = {
    ("get", "/v1/memories"): {"user_id", "limit", "cursor", "offset", *get_type_hints(inputs.ListFilters)},
    ("get", "/v1/memories/search"): {"q", "user_id", *get_type_hints(inputs.SearchOptions)},
    ("get", "/v1/operations"): {"limit", "before", *get_type_hints(inputs.OperationFilters)},
    ("get", "/v1/graph"): parameters(_api.graph),
    ("get", "/v1/entities"): parameters(_api.list_entities),
    ("get", "/v1/entities/{entity_id}"): parameters(_api.get_entity),
    ("get", "/v1/runs/search"): parameters(_api.search_runs, renamed={"query": "q"}),
}
ENUMS = {
    "Source": inputs.Source,
    "SearchMode": inputs.SearchMode,
    "Ranking": inputs.Ranking,
    "MemoryMode": inputs.MemoryMode,
    "Role": inputs.Role,
    "ExportFormat": inputs.ExportFormat,
    "OperationStatus": inputs.OperationStatus,
    "JobKind": inputs.JobKind,
}
# Enumerations the server declares inline, on one field of a request schema.
FIELD_ENUMS = {("ConversationTurnRequest", "scope"): inputs.TurnScope}


def test_given_the_servers_openapi_when_compared_then_the_sdk_sends_and_reads_only_what_it_describes(server) -> None:
    # Given the document the running server describes itself with
    document = httpx.get(f"{server.base_url}/openapi.json", timeout=10).json()
    schemas = document["components"]["schemas"]
    # Then every field an SDK model reads is one the server answers (fields the server adds are kept as extras)
    for sdk_model, name in ANSWER_SCHEMAS.items():
        assert set(sdk_model.model_fields) <= set(schemas[name]["properties"]), (sdk_model.__name__, name)
    # And every field or parameter the SDK sends is one the server takes
    assert set(inputs.NewMemory.model_fields) == REQUEST_FIELDS["CreateMemoryRequest"]
    for name, sent in REQUEST_FIELDS.items():
        assert sent <= set(schemas[name]["properties"]), name
    for (method, path), sent in QUERY_PARAMETERS.items():
        assert sent <= {parameter["name"] for parameter in document["paths"][path][method]["parameters"]}, path
    for name, literal in ENUMS.items():
        assert set(get_args(literal)) <= set(schemas[name]["enum"]), name
    for (name, field), literal in FIELD_ENUMS.items():
        assert set(get_args(literal)) <= set(schemas[name]["properties"][field]["enum"]), (name, field)
    assert set(get_args(inputs.EntityType)) <= set(ENTITY_TYPES)


def python_example(readme: Path, marker: str | None = None) -> str:
    text = readme.read_text()
    if marker is not None:
        text = text.split(f"<!-- {marker}:start -->")[1].split(f"<!-- {marker}:end -->")[0]
    return re.search(r"```python\n(.*?)```", text, re.S).group(1)  # type: ignore[union-attr]


def run_example(server, script: str) -> str:
    script = script.replace("http://127.0.0.1:8080", server.base_url)
    environment = {**os.environ, "AGENT_MEMORY_API_KEY": server.admin_key}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, env=environment)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_given_the_readme_python_sdk_example_when_run_as_written_then_it_works(server) -> None:
    out = run_example(server, python_example(REPO / "README.md", "python-sdk"))
    assert "already known: True" in out
    assert "Prefers window seats on long flights" in out and out.strip().endswith("1 memories")


def test_given_the_sdk_readme_example_when_run_as_written_then_it_works(server) -> None:
    out = run_example(server, python_example(REPO / "clients" / "python" / "README.md"))
    assert "Prefers aisle seats on long flights" in out
    assert "['created', 'updated']" in out


def test_given_the_sdk_readme_knowledge_example_when_run_as_written_then_it_works(server) -> None:
    readme = REPO / "clients" / "python" / "README.md"
    out = run_example(server, python_example(readme, "python-sdk-knowledge")).splitlines()
    assert "user lives_in place:lisbon" in out and "user works_at organization:feedzai" in out
    assert "['Coimbra', 'Lisbon']" in out or "['Lisbon', 'Coimbra']" in out
    assert "place:lisbon ['Lives in Lisbon with her partner Ana']" in out
    assert "['place:lisbon', 'user']" in out and "no such entity" in out
    assert out[-1] == "trip-1 The Alfa Pendular train from Lisbon reaches Coimbra in two hours."
