"""Raw conversation logs kept under `<data dir>/raw/` by `agent-memory ingest` (implements ConversationArchive)."""

from __future__ import annotations

import fcntl
import hashlib
import os
from datetime import datetime
from pathlib import Path

from agent_memory.domain import conversation_log
from agent_memory.domain.conversation_log import PREFIX, SUFFIXES, address_of, key_part, transcript_full
from agent_memory.domain.errors import NotFound


class FolderArchive:
    def __init__(self, root: Path) -> None:
        self._root = root

    def _folder(self, *parts: str) -> Path | None:
        """A tenant's or a user's folder; None for ids no log key can hold (a user "..", read as a path, is the
        tenant's folder: its logs would be another user's)."""
        return self._root.joinpath(PREFIX, *parts) if all(key_part(part) for part in parts) else None

    def logs_of(self, tenant: str, user_id: str) -> list[str]:
        folder = self._folder(tenant, user_id)
        if folder is None or not folder.is_dir():
            return []
        return sorted(f"{PREFIX}/{tenant}/{user_id}/{p.name}" for p in folder.iterdir() if p.suffix in SUFFIXES)

    def read(self, key: str) -> tuple[bytes, str]:
        address_of(key)  # only a well-formed log key is ever turned into a path
        path = (self._root / key).resolve()
        if not path.is_relative_to(self._root.resolve()) or not path.is_file():
            raise NotFound(f"The log {key} is not in the archive.")
        data = path.read_bytes()
        return data, hashlib.sha256(data).hexdigest()[:32]

    def append(self, key: str, data: bytes, retention_days: int | None) -> None:
        """Appends under an exclusive lock on the file (turns of one thread from two requests never interleave
        inside a line); retention is the sweep's here (`expire`)."""
        address_of(key)
        path = (self._root / key).resolve()
        if not path.is_relative_to(self._root.resolve()):
            raise NotFound(f"The log {key} cannot be kept in the archive.")
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            size = os.fstat(fd).st_size + len(data)
            if size > conversation_log.MAX_LOG_BYTES:
                raise transcript_full(key, size)
            os.write(fd, data)
        finally:
            os.close(fd)

    def erase_user(self, tenant: str, user_id: str) -> dict[str, int]:
        folder = self._folder(tenant, user_id)
        if folder is None or not folder.is_dir():
            return {}
        removed = 0
        for path in sorted(folder.rglob("*"), reverse=True):  # files before the folders holding them
            if path.is_dir():
                path.rmdir()
            else:
                path.unlink()
                removed += 1
        folder.rmdir()
        return {"raw_logs": removed} if removed else {}

    def expire(self, tenant: str, before: datetime) -> int:
        folder = self._folder(tenant)
        if folder is None or not folder.is_dir():
            return 0
        cutoff = before.timestamp()
        removed = 0
        for path in folder.glob("*/*"):
            if path.suffix in SUFFIXES and path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        return removed
