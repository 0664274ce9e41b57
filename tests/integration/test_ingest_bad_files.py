"""`agent-memory ingest` on a folder where hostile files come first: each bad file is reported and skipped, every
good file after it is still ingested, and what failed is retried by the next run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent_memory.cli import main
from agent_memory.domain.errors import StoreUnavailable
from agent_memory.entry import local_ingest
from agent_memory.services.ingestion import IngestionService

PLACES = "Lisbon Berlin Oslo Kyoto Lima Austin Porto Turin Quito Hanoi Accra Perth Cairo Dakar Seoul Dublin".split()


def said(content: str, **extra: object) -> str:
    return json.dumps({"role": "user", "content": content, "ts": "2026-11-20T09:00:00Z", **extra}, ensure_ascii=False)


def run(capsys, *args: str) -> tuple[int, dict, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, json.loads(captured.out), captured.err


def contents(capsys, data: Path, user: str) -> set[str]:
    _, page, _ = run(capsys, "list", "--tenant", "acme", "--user-id", user, "--limit", "100", "--data-dir", str(data))
    return {m["content"] for m in page["items"]}


def by_file(report: dict, key: str) -> dict[str, str]:
    return {Path(r["file"]).name: r["reason"] for r in report[key]}


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """Bad files named to come first; 16 good files after them (one per place)."""
    folder = tmp_path / "logs" / "alice"
    folder.mkdir(parents=True)
    (folder / "a1-deep-line.jsonl").write_text(said("I have two cats.") + "\n" + "[" * 30_000 + "]" * 30_000 + "\n")
    (folder / "a2-deep-only.jsonl").write_text("[" * 30_000 + "]" * 30_000 + "\n")
    (folder / "a3-deep-document.json").write_text('{"messages": ' + "[" * 30_000 + "]" * 30_000 + "}")
    (folder / "a4-huge-number.jsonl").write_text(
        '{"role": "user", "content": "I own a boat.", "n": ' + "9" * 5000 + "}\n" + said("I play the violin.") + "\n"
    )
    (folder / "a5-long-agent.jsonl").write_text(
        "\n".join(said(f"I like zorb{i}.", agent_id="a" * 200) for i in range(4)) + "\n" + said("I play chess.") + "\n"
    )
    (folder / "a6-separators.jsonl").write_text(
        said("I live in\u2028Madrid.") + "\n" + said("I work at\u0085Acme.\u2029") + "\n" + said("I have a dog.") + "\n"
    )
    for place in PLACES:
        (folder / f"z-{place.lower()}.jsonl").write_text(said(f"I want to visit {place} in spring.") + "\n")
    return folder.parent


def test_given_hostile_files_first_when_ingested_then_each_is_reported_and_every_good_file_still_goes_in(
    hostile, tmp_path, capsys
) -> None:
    data = tmp_path / "data"
    # When the folder is ingested
    code, report, progress = run(capsys, "ingest", str(hostile), "--tenant", "acme", "--data-dir", str(data))
    # Then the run went through every file: the whole-file failures are rejected, with a report each
    assert code == 1 and report["files"] == 6 + len(PLACES) and report["failed"] == []
    rejected = by_file(report, "rejected")
    assert set(rejected) == {"a2-deep-only.jsonl", "a3-deep-document.json"}
    assert all("nested deeper than 64 levels" in reason for reason in rejected.values())
    reports = [json.loads(p.read_text()) for p in (data / "rejected" / "acme").glob("*.json")]
    assert {Path(r["file"]).name for r in reports} == set(rejected) and {r["outcome"] for r in reports} == {"rejected"}
    # And every bad line is reported by file and number, the rest of its file ingested
    lines = {(Path(e["file"]).name, e["line"]): e["reason"] for e in report["line_errors"]}
    assert lines == {
        ("a1-deep-line.jsonl", 2): "nested deeper than 64 levels",
        ("a4-huge-number.jsonl", 1): "a number is longer than 100 characters",
        **{("a5-long-agent.jsonl", n): "agent_id must be at most 128 characters." for n in range(1, 5)},
    }
    assert "a4-huge-number.jsonl:1: a number is longer than 100 characters" in progress
    # And a raw U+2028 / U+0085 / U+2029 inside a string did not split its line: three lines, three messages
    assert report["ingested"] == 4 + len(PLACES)
    assert report["messages"] == 1 + 1 + 1 + 3 + len(PLACES)
    memories = contents(capsys, data, "alice")
    assert {f"Wants to visit {place} in spring" for place in PLACES} <= memories
    assert {"Has two cats", "Plays the violin", "Plays chess", "Has a dog"} <= memories
    assert "Lives in\u2028Madrid" in memories
    assert not any("zorb" in m for m in memories)


def test_given_the_same_hostile_folder_when_ingested_again_then_bad_lines_are_reported_again_and_nothing_doubles(
    hostile, tmp_path, capsys
) -> None:
    data = tmp_path / "data"
    run(capsys, "ingest", str(hostile), "--tenant", "acme", "--data-dir", str(data))
    before = contents(capsys, data, "alice")
    code, again, _ = run(capsys, "ingest", str(hostile), "--tenant", "acme", "--data-dir", str(data))
    # Then nothing is added twice, and the refusals are not silently remembered as successes
    assert code == 1 and again["saved"] == 0 and len(again["rejected"]) == 2
    assert len([e for e in again["line_errors"] if Path(e["file"]).name == "a5-long-agent.jsonl"]) == 4
    assert contents(capsys, data, "alice") == before


@pytest.mark.parametrize("error", [RuntimeError("boom"), RecursionError("too deep"), StoreUnavailable("try later")])
def test_given_one_file_fails_unexpectedly_when_ingested_then_the_others_go_in_and_a_rerun_retries_it(
    error, tmp_path, capsys, monkeypatch
) -> None:
    # Given three logs, and ingestion that fails once on the second
    folder = tmp_path / "logs" / "bob"
    folder.mkdir(parents=True)
    for name, place in (("a", "Lisbon"), ("b", "Oslo"), ("c", "Lima")):
        (folder / f"{name}.jsonl").write_text(said(f"I want to visit {place} in spring.") + "\n")
    real = IngestionService.ingest
    failures = [error]

    def flaky(self, parsed, log, *args, **kwargs):
        if log.endswith("/b.jsonl") and failures:
            raise failures.pop()
        return real(self, parsed, log, *args, **kwargs)

    monkeypatch.setattr(IngestionService, "ingest", flaky)
    data = tmp_path / "data"
    # When the folder is ingested
    code, report, progress = run(capsys, "ingest", str(folder.parent), "--tenant", "acme", "--data-dir", str(data))
    # Then the run goes on past the failure, which is reported as that file's failure (output and report file)
    assert code == 1 and report["ingested"] == 2 and report["rejected"] == []
    (failed,) = report["failed"]
    assert Path(failed["file"]).name == "b.jsonl" and str(error) in failed["reason"]
    assert "b.jsonl: failed:" in progress
    (written,) = (data / "rejected" / "acme").glob("*.json")
    assert json.loads(written.read_text())["outcome"] == "failed"
    assert contents(capsys, data, "bob") == {"Wants to visit Lisbon in spring", "Wants to visit Lima in spring"}
    # And the failed log was not kept as if ingested
    assert not (data / "raw" / "conversations" / "acme" / "bob" / "b.jsonl").exists()
    # When the folder is ingested again; Then the failed file goes in, and its stale report is removed
    code, again, _ = run(capsys, "ingest", str(folder.parent), "--tenant", "acme", "--data-dir", str(data))
    assert code == 0 and again["saved"] == 1 and again["failed"] == []
    assert "Wants to visit Oslo in spring" in contents(capsys, data, "bob")
    assert list((data / "rejected" / "acme").glob("*.json")) == []
    assert (data / "raw" / "conversations" / "acme" / "bob" / "b.jsonl").exists()


def test_given_a_file_over_the_size_limit_when_ingested_then_it_is_rejected_without_being_read(
    tmp_path, capsys, monkeypatch
) -> None:
    folder = tmp_path / "logs" / "bob"
    folder.mkdir(parents=True)
    (folder / "big.jsonl").write_text(said("I want to visit Oslo in spring.") + "\n")
    monkeypatch.setattr(local_ingest, "MAX_LOG_BYTES", 10)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail(f"{self} was read"))
    code, report, _ = run(capsys, "ingest", str(folder.parent), "--tenant", "acme", "--data-dir", str(tmp_path / "d"))
    assert code == 1 and "at most 10 are accepted" in by_file(report, "rejected")["big.jsonl"]
