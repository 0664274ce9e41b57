"""The `agent-memory` command on a data folder: keys and memories without HTTP."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent_memory.cli import main


@pytest.fixture
def run(tmp_path: Path, capsys):
    def invoke(*args: str) -> tuple[int, str, str]:
        code = main([*args, "--data-dir", str(tmp_path / "data")])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return invoke


def test_keys_create_list_and_revoke(run) -> None:
    code, out, _ = run("keys", "create", "--tenant", "acme", "--scopes", "read,admin", "--name", "ci", "--json")
    assert code == 0
    created = json.loads(out)
    assert created["api_key"].startswith("am_")
    assert created["scopes"] == ["admin", "read"]
    code, out, _ = run("keys", "list")
    listed = json.loads(out)
    assert [k["key_id"] for k in listed] == [created["key_id"]]
    assert created["api_key"] not in out  # the secret is never shown again
    assert run("keys", "revoke", created["key_id"])[0] == 0
    assert json.loads(run("keys", "list", "--tenant", "acme")[1])[0]["revoked_at"] is not None
    code, _, err = run("keys", "revoke", created["key_id"])
    assert code == 2 and "not_found" in err


def test_keys_create_prints_only_the_key_on_stdout_for_scripts(run) -> None:
    code, out, err = run("keys", "create", "--tenant", "acme")
    assert code == 0 and out.strip().startswith("am_") and len(out.strip().splitlines()) == 1
    assert "shown only once" in err


def test_unknown_scope_is_an_error(run) -> None:
    code, _, err = run("keys", "create", "--tenant", "acme", "--scopes", "read,root")
    assert code == 2 and "scope" in err


def test_add_list_get_delete_round_trip_with_isolation(run) -> None:
    code, out, _ = run("add", "--tenant", "acme", "--user-id", "alice", "Allergic to peanuts", "--topic", "Health")
    assert code == 0
    memory = json.loads(out)
    assert memory["topics"] == ["health"]
    listed = json.loads(run("list", "--tenant", "acme", "--user-id", "alice")[1])
    assert listed["total"] == 1 and listed["items"][0]["id"] == memory["id"]
    assert json.loads(run("list", "--tenant", "other", "--user-id", "alice")[1])["total"] == 0
    assert json.loads(run("get", "--tenant", "acme", "--user-id", "alice", memory["id"])[1]) == memory
    assert run("get", "--tenant", "acme", "--user-id", "bob", memory["id"])[0] == 2
    assert run("delete", "--tenant", "acme", "--user-id", "bob", memory["id"])[0] == 2
    assert run("delete", "--tenant", "acme", "--user-id", "alice", memory["id"])[0] == 0
    assert run("get", "--tenant", "acme", "--user-id", "alice", memory["id"])[0] == 2


def test_duplicate_and_too_long_content_exit_2_with_a_message(run) -> None:
    run("add", "--user-id", "alice", "Likes tea")
    code, _, err = run("add", "--user-id", "alice", "LIKES tea")
    assert code == 2 and "duplicate_memory" in err
    code, _, err = run("add", "--user-id", "alice", "x" * 301)
    assert code == 2 and "max_content_chars=300" in err


def test_the_cli_works_unchanged_on_the_aws_backend(monkeypatch, capsys) -> None:
    # Given the aws backend selected by environment only (DynamoDB under moto, OpenSearch on loopback)
    from tests.aws_support import REGION, TABLE, aws_runtime

    with aws_runtime() as (_, server):
        for name, value in {
            "BACKEND": "aws",
            "TABLE_NAME": TABLE,
            "OPENSEARCH_ENDPOINT": server.url,
            "REGION": REGION,
            "EMBEDDER": "hashing",
            "CURSOR_SECRET": "cli-secret",
        }.items():
            monkeypatch.setenv(f"AGENT_MEMORY_{name}", value)
        # When memories are added and searched through the command
        assert main(["add", "--tenant", "acme", "--user-id", "alice", "Alice plays the cello"]) == 0
        added = json.loads(capsys.readouterr().out)
        assert main(["search", "--tenant", "acme", "--user-id", "alice", "cello"]) == 0
        found = json.loads(capsys.readouterr().out)
        # Then the fresh write is found at once, from the table, before the index has it
        assert [hit["memory"]["id"] for hit in found["results"]] == [added["id"]]


EVENTS = Path(__file__).resolve().parents[2] / "events"


def test_invoke_runs_a_function_with_its_sample_event(run, tmp_path, monkeypatch) -> None:
    # Given the local backend on a fresh folder
    monkeypatch.setenv("AGENT_MEMORY_DATA_DIR", str(tmp_path / "data"))
    # When the create and list functions are invoked with their sample events
    code, out, err = run("invoke", "api/create_memory", str(EVENTS / "api" / "create_memory.json"))
    assert code == 0, err
    created = json.loads(out)
    code, out, _ = run("invoke", "functions/api/list_memories.py", str(EVENTS / "api" / "list_memories.json"))
    listed = json.loads(out)
    # Then stdout holds exactly the Lambda responses (logs and metrics went to stderr)
    assert created["statusCode"] == 201 and listed["statusCode"] == 200
    assert [m["id"] for m in json.loads(listed["body"])["items"]] == [json.loads(created["body"])["id"]]
    assert '"Namespace":"AgentMemory"' in err


def test_invoke_explains_unknown_functions_and_unreadable_events(run, tmp_path) -> None:
    code, _, err = run("invoke", "api/no_such_thing", str(EVENTS / "api" / "health.json"))
    assert code == 2 and "api/create_memory" in err and "streams/indexer" in err
    code, _, err = run("invoke", "api/health", str(tmp_path / "missing.json"))
    assert code == 2 and "Cannot read the event" in err
    (tmp_path / "bad.json").write_text("{nope")
    code, _, err = run("invoke", "api/health", str(tmp_path / "bad.json"))
    assert code == 2 and "not JSON" in err
    code, _, err = run("invoke", "../etc/passwd", str(EVENTS / "api" / "health.json"))
    assert code == 2 and "not a function name" in err


def test_invoke_names_a_missing_dependency_rather_than_calling_the_function_unknown(run, monkeypatch) -> None:
    # Given an install without the aws extra (Powertools cannot be imported)
    import sys

    for loaded in list(sys.modules):
        if loaded.startswith("aws_lambda_powertools"):
            monkeypatch.setitem(sys.modules, loaded, None)
        elif loaded.startswith(("functions", "agent_memory.observability", "agent_memory.entry.api")):
            monkeypatch.delitem(sys.modules, loaded)
    monkeypatch.setitem(sys.modules, "aws_lambda_powertools", None)
    # When a real function is invoked
    code, _, err = run("invoke", "api/create_memory", str(EVENTS / "api" / "create_memory.json"))
    # Then the error names what is missing and how to install it, not "No function"
    assert code == 2
    assert "No function" not in err and "aws_lambda_powertools" in err and ".[aws]" in err


def test_a_read_command_from_a_folder_without_data_fails_clearly_and_creates_nothing(tmp_path, capsys) -> None:
    # Given a folder where no server ever ran
    empty = tmp_path / "elsewhere" / ".agent-memory"
    # When a read command runs there
    code = main(["list", "--tenant", "acme", "--user-id", "alice", "--data-dir", str(empty)])
    # Then it fails with the folder it looked in, and leaves nothing behind
    assert code == 2
    assert "No agent-memory data in" in capsys.readouterr().err
    assert not empty.exists()


def test_list_by_topic_matches_however_the_topic_is_cased(run) -> None:
    # Given a memory stored with the topic "travel"
    assert run("add", "--tenant", "acme", "--user-id", "alice", "Prefers window seats", "--topic", "Travel")[0] == 0
    # When listing with the topic as a person would type it
    code, out, _ = run("list", "--tenant", "acme", "--user-id", "alice", "--topic", "  Travel ")
    # Then the memory is found
    assert code == 0 and [m["content"] for m in json.loads(out)["items"]] == ["Prefers window seats"]
