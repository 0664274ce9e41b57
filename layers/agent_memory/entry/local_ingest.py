"""`agent-memory ingest PATH`: conversation logs from a file or a folder into memories, on this machine.

Each file is addressed like its S3 key (`conversations/<tenant>/<user_id>/<thread_id>.jsonl`): the user is the file's
folder, the thread its name, the tenant `--tenant`. The raw log is kept under `<data dir>/raw/` so memories can be
re-extracted later; a rejected file gets a report under `<data dir>/rejected/` and is not ingested at all. A file
that fails for any other reason (the store unavailable, an unexpected error) is reported the same way as failed: the
run goes on with the next file, and nothing is recorded as done for what was not done, so running again retries it.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from agent_memory.adapters.local.private_files import write_private
from agent_memory.domain.conversation import MemoryMode
from agent_memory.domain.conversation_log import MAX_LOG_BYTES, SUFFIXES, LogAddress, RejectedLog, address_of, parse
from agent_memory.domain.errors import AgentMemoryError, InvalidInput
from agent_memory.services.ingestion import IngestionService


@dataclass
class FolderReport:
    files: int = 0
    ingested: int = 0
    messages: int = 0
    saved: int = 0
    skipped: int = 0
    line_errors: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[dict[str, str]] = field(default_factory=list)  # refused as they are: fix the file
    failed: list[dict[str, str]] = field(default_factory=list)  # not ingested this time: running again retries


def _display(file: Path) -> str:
    """The file's name as text that can always be printed (undecodable bytes in a name as `\\xNN`)."""
    return os.fsencode(file).decode("utf-8", "backslashreplace")


def log_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in SUFFIXES)
    raise InvalidInput(f"{path} is neither a file nor a folder.")


def address_for(file: Path, tenant: str) -> LogAddress:
    return address_of(f"conversations/{tenant}/{file.parent.name}/{file.stem}{file.suffix}")


class LocalIngest:
    def __init__(self, ingestion: IngestionService, data_dir: Path, progress: TextIO | None = None) -> None:
        self._ingestion = ingestion
        self._data_dir = data_dir
        self._progress = progress or sys.stderr

    def run(self, path: Path, tenant: str, mode: MemoryMode = MemoryMode.AUTO) -> FolderReport:
        files = log_files(path)
        report = FolderReport(files=len(files))
        for position, file in enumerate(files, start=1):
            self._show(position, len(files), file, report)
            try:
                self._one(file, tenant, mode, report)
            except RejectedLog as exc:
                self._report(file, tenant, "rejected", exc.detail, report.rejected)
            except OSError as exc:
                self._report(file, tenant, "rejected", f"unreadable: {exc.strerror or exc}", report.rejected)
            except AgentMemoryError as exc:
                self._report(file, tenant, "failed", exc.detail, report.failed)
            except Exception as exc:  # one file's unexpected failure must not stop the others
                self._report(
                    file, tenant, "failed", f"unexpected error: {type(exc).__name__}: {exc}"[:500], report.failed
                )
        self._show(len(files), len(files), None, report)
        self._progress.write("\n")
        return report

    def _one(self, file: Path, tenant: str, mode: MemoryMode, report: FolderReport) -> None:
        address = address_for(file, tenant)
        size = file.stat().st_size
        if size > MAX_LOG_BYTES:  # refused before it is read into memory
            raise RejectedLog(f"the log is {size} bytes; at most {MAX_LOG_BYTES} are accepted per file")
        data = file.read_bytes()
        parsed = parse(data, address)
        result = self._ingestion.ingest(parsed, log=address.key, version=hashlib.sha256(data).hexdigest(), mode=mode)
        raw = self._data_dir / "raw" / address.key
        raw.parent.mkdir(parents=True, exist_ok=True)
        raw.write_bytes(data)  # kept as received (once ingested): re-extraction later starts from here
        self._report_path(file, tenant).unlink(missing_ok=True)  # an earlier run's report no longer holds
        report.ingested += 1
        report.messages += result.messages
        report.saved += result.saved
        report.skipped += result.skipped
        for error in result.errors:
            report.line_errors.append({"file": _display(file), "line": error.line, "reason": error.reason})
            self._progress.write(f"\n{_display(file)}:{error.line}: {error.reason}")

    def _report(self, file: Path, tenant: str, outcome: str, reason: str, into: list[dict[str, str]]) -> None:
        into.append({"file": _display(file), "reason": reason})
        report = {"file": _display(file), "outcome": outcome, "reason": reason}
        write_private(self._report_path(file, tenant), json.dumps(report, indent=2) + "\n")
        self._progress.write(f"\n{_display(file)}: {outcome}: {reason}")

    def _report_path(self, file: Path, tenant: str) -> Path:
        name = hashlib.sha256(os.fsencode(file.resolve())).hexdigest()[:16]
        return self._data_dir / "rejected" / tenant / f"{file.stem}-{name}.json"

    def _show(self, position: int, total: int, file: Path | None, report: FolderReport) -> None:
        width = 30
        done = int(width * (position - (file is not None)) / total) if total else width
        bar = "#" * done + "-" * (width - done)
        name = f" {file.name}" if file is not None else ""
        self._progress.write(
            f"\r[{bar}] {position - (file is not None)}/{total} files, {report.messages} messages, "
            f"{report.saved} saved{name}"
        )
        self._progress.flush()
