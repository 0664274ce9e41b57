"""`agent-memory ingest` on a folder of conversation logs: good, malformed and hostile files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent_memory.cli import main


def line(user: str, thread: str, role: str, content: str, **extra) -> str:
    return json.dumps({"user_id": user, "thread_id": thread, "role": role, "content": content,
                       "ts": "2026-11-20T09:00:00Z", **extra})  # fmt: skip


@pytest.fixture
def logs(tmp_path: Path) -> Path:
    root = tmp_path / "logs"
    (root / "alice").mkdir(parents=True)
    (root / "bob").mkdir()
    (root / "alice" / "trip.jsonl").write_text(
        "\n".join(
            [
                line("alice", "trip", "user", "Hi! I always book window seats."),
                line("alice", "trip", "assistant", "Noted. I love aisle seats myself."),
                "{this is not json",
                line("alice", "trip", "user", "I'm allergic to peanuts."),
                json.dumps({"user_id": "alice", "thread_id": "trip", "role": "narrator", "content": "x"}),
                line("alice", "trip", "user", "x" * 70_000),
            ]
        )
        + "\n"
    )
    (root / "bob" / "work.json").write_text(
        json.dumps(
            {
                "user_id": "bob",
                "thread_id": "work",
                "messages": [
                    {"role": "user", "content": "I work at Acme as a nurse.", "ts": "2026-11-20T10:00:00Z"},
                    {"role": "user", "content": "What time is it?"},
                ],
            }
        )
    )
    latin1 = json.dumps(
        {"user_id": "bob", "thread_id": "latin1", "role": "user", "content": "I live in Köln"}, ensure_ascii=False
    )
    (root / "bob" / "latin1.jsonl").write_bytes(latin1.encode("latin-1"))
    (root / "bob" / "blob.jsonl").write_bytes(b"\x00\x01\x02binary")
    # A log filed under bob that speaks for carol: never mis-filed
    (root / "bob" / "misfiled.jsonl").write_text(line("carol", "misfiled", "user", "I live in Rome.") + "\n")
    return root


def run(capsys, *args: str) -> tuple[int, dict, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, json.loads(captured.out), captured.err


def test_a_folder_is_ingested_with_bad_lines_reported_and_bad_files_rejected(logs, tmp_path, capsys) -> None:
    data = tmp_path / "data"
    code, report, progress = run(capsys, "ingest", str(logs), "--tenant", "acme", "--data-dir", str(data))
    # Then the good files are ingested and the hostile ones rejected, each with its reason
    assert code == 1  # some files were rejected
    assert report["files"] == 5 and report["ingested"] == 2
    reasons = {Path(r["file"]).name: r["reason"] for r in report["rejected"]}
    assert set(reasons) == {"latin1.jsonl", "blob.jsonl", "misfiled.jsonl"}
    assert "UTF-8" in reasons["latin1.jsonl"] and "binary" in reasons["blob.jsonl"]
    assert "user_id 'carol'" in reasons["misfiled.jsonl"]
    assert len(list((data / "rejected" / "acme").glob("*.json"))) == 3
    # And every malformed line is named with its file and number, while the rest of that file went in
    bad = {(Path(e["file"]).name, e["line"]) for e in report["line_errors"]}
    assert bad == {("trip.jsonl", 3), ("trip.jsonl", 5), ("trip.jsonl", 6)}
    assert "trip.jsonl:3: not JSON" in progress and "files" in progress
    assert report["saved"] == 3
    # And the memories are the users' own words, cited by file and line, kept beside the raw log
    code, alice, _ = run(capsys, "list", "--tenant", "acme", "--user-id", "alice", "--data-dir", str(data))
    by_content = {m["content"]: m for m in alice["items"]}
    assert set(by_content) == {"Always books window seats", "Is allergic to peanuts"}
    assert by_content["Is allergic to peanuts"]["source_refs"] == ["conversations/acme/alice/trip.jsonl#L4"]
    assert by_content["Is allergic to peanuts"]["thread_id"] == "trip"
    assert (data / "raw" / "conversations" / "acme" / "alice" / "trip.jsonl").read_bytes() == (
        logs / "alice" / "trip.jsonl"
    ).read_bytes()
    code, bob, _ = run(capsys, "list", "--tenant", "acme", "--user-id", "bob", "--data-dir", str(data))
    assert [m["content"] for m in bob["items"]] == ["Works at Acme as a nurse"]


def test_ingesting_the_same_logs_twice_adds_nothing(logs, tmp_path, capsys) -> None:
    data = tmp_path / "data"
    run(capsys, "ingest", str(logs / "alice"), "--tenant", "acme", "--data-dir", str(data))
    code, again, _ = run(capsys, "ingest", str(logs / "alice"), "--tenant", "acme", "--data-dir", str(data))
    assert code == 0 and again["saved"] == 0
    code, alice, _ = run(capsys, "list", "--tenant", "acme", "--user-id", "alice", "--data-dir", str(data))
    assert alice["total"] == 2


def test_a_missing_path_is_an_error(tmp_path, capsys) -> None:
    assert main(["ingest", str(tmp_path / "nope"), "--data-dir", str(tmp_path / "d")]) == 2
    assert "neither a file nor a folder" in capsys.readouterr().err
