"""`agent-memory export / import / clear / erase` on a data folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent_memory.cli import main


@pytest.fixture
def run(tmp_path: Path, capsys):  # type: ignore[no-untyped-def]
    def invoke(*args: str, data: str = "data") -> tuple[int, str, str]:
        code = main([*args, "--data-dir", str(tmp_path / data)])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return invoke


def test_export_to_a_file_then_import_into_a_new_folder_gives_the_same_memories(run, tmp_path: Path) -> None:
    # Given two memories of alice
    for content in ("Lives in Lisbon", "Has a cat named Miso"):
        assert run("add", content, "--tenant", "acme", "--user-id", "alice")[0] == 0
    # When they are exported to a file and imported into another data folder
    export = tmp_path / "alice.ndjson"
    assert run("export", "--tenant", "acme", "--user-id", "alice", "--output", str(export))[0] == 0
    code, out, _ = run("import", str(export), "--tenant", "acme", data="elsewhere")
    # Then both are there with their ids, and importing again skips them
    assert code == 0 and json.loads(out)["imported"] == 2
    original = json.loads(run("list", "--tenant", "acme", "--user-id", "alice")[1])["items"]
    copied = json.loads(run("list", "--tenant", "acme", "--user-id", "alice", data="elsewhere")[1])["items"]
    assert [m["id"] for m in copied] == [m["id"] for m in original]
    assert json.loads(run("import", str(export), "--tenant", "acme", data="elsewhere")[1])["skipped"] == 2


def test_clear_needs_confirmation_and_erase_prints_a_verified_receipt(run) -> None:
    run("add", "Lives in Lisbon", "--tenant", "acme", "--user-id", "alice")
    run("add", "Likes tea", "--tenant", "acme", "--user-id", "bob")
    # When clear is not confirmed with the user id, nothing goes
    code, _, err = run("clear", "--tenant", "acme", "--user-id", "alice", "--confirm", "yes")
    assert code == 2 and "confirmation_required" in err
    # When alice is erased, the receipt counts her memory and is verified
    code, out, _ = run("erase", "--tenant", "acme", "--user-id", "alice")
    receipt = json.loads(out)
    assert code == 0 and receipt["status"] == "succeeded" and receipt["verified"] is True
    assert receipt["erased"]["memories"] == 1
    # And clearing bob (confirmed) leaves nothing of his
    assert json.loads(run("clear", "--tenant", "acme", "--user-id", "bob", "--confirm", "bob")[1]) == {"cleared": 1}
