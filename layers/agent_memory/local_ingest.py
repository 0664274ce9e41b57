"""`agent-memory ingest PATH`: conversation logs from a file or a folder into memories, on this machine.

Each file is addressed like its S3 key (`conversations/<tenant>/<user_id>/<thread_id>.jsonl`): the user is the file's
folder, the thread its name, the tenant `--tenant`. The raw log is kept under `<data dir>/raw/` so memories can be
re-extracted later; a rejected file gets a report under `<data dir>/rejected/` and is not ingested at all.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from agent_memory.domain.conversation import MemoryMode
from agent_memory.domain.conversation_log import SUFFIXES, LogAddress, RejectedLog, address_of, parse
from agent_memory.domain.errors import InvalidInput
from agent_memory.runtime import write_private_file
from agent_memory.services.ingestion import IngestionService


@dataclass
class FolderReport:
    files: int = 0
    ingested: int = 0
    messages: int = 0
    saved: int = 0
    skipped: int = 0
    line_errors: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[dict[str, str]] = field(default_factory=list)


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
                self._reject(file, tenant, exc.detail, report)
            except OSError as exc:
                self._reject(file, tenant, f"unreadable: {exc.strerror or exc}", report)
        self._show(len(files), len(files), None, report)
        self._progress.write("\n")
        return report

    def _one(self, file: Path, tenant: str, mode: MemoryMode, report: FolderReport) -> None:
        address = address_for(file, tenant)
        data = file.read_bytes()
        parsed = parse(data, address)
        raw = self._data_dir / "raw" / address.key
        raw.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(file, raw)  # kept as received: re-extraction later starts from here
        result = self._ingestion.ingest(parsed, log=address.key, version=hashlib.sha256(data).hexdigest(), mode=mode)
        report.ingested += 1
        report.messages += result.messages
        report.saved += result.saved
        report.skipped += result.skipped
        for error in result.errors:
            report.line_errors.append({"file": str(file), "line": error.line, "reason": error.reason})
            self._progress.write(f"\n{file}:{error.line}: {error.reason}")

    def _reject(self, file: Path, tenant: str, reason: str, report: FolderReport) -> None:
        report.rejected.append({"file": str(file), "reason": reason})
        name = hashlib.sha256(str(file.resolve()).encode()).hexdigest()[:16]
        target = self._data_dir / "rejected" / tenant / f"{file.stem}-{name}.json"
        write_private_file(target, json.dumps({"file": str(file), "reason": reason}, indent=2) + "\n")
        self._progress.write(f"\n{file}: rejected: {reason}")

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
