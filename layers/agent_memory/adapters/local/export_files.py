"""Export files of jobs in the data folder (implements ExportStore): `<data dir>/exports/<tenant>/<user>/<id>.ndjson`,
owner-only, written as numbered part files that `complete` joins."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from agent_memory.adapters.local.private_files import create_private
from agent_memory.domain.errors import NotFound

CHUNK = 1 << 20


def _segment(value: str) -> str:
    """A path segment for any id: readable when it is plain, a digest when it holds anything a path must not."""
    if value.replace("-", "").replace("_", "").replace(".", "").isalnum() and not value.startswith("."):
        return value
    return "h-" + hashlib.sha256(value.encode()).hexdigest()[:32]


class FolderExports:
    def __init__(self, root: Path) -> None:
        self._root = root

    def _folder(self, tenant: str, user_id: str) -> Path:
        return self._root / _segment(tenant) / _segment(user_id)

    def _file(self, tenant: str, user_id: str, operation_id: str) -> Path:
        return self._folder(tenant, user_id) / f"{_segment(operation_id)}.ndjson"

    def begin(self, tenant: str, user_id: str, operation_id: str) -> dict[str, Any]:
        self._folder(tenant, user_id).mkdir(parents=True, exist_ok=True)
        return {"tenant": tenant, "user_id": user_id, "operation_id": operation_id}

    def write_part(self, state: dict[str, Any], number: int, data: bytes) -> dict[str, Any]:
        final = self._file(state["tenant"], state["user_id"], state["operation_id"])
        part = final.with_suffix(f".part{number:05d}")
        create_private(part)
        part.write_bytes(data)
        return {"number": number, "bytes": len(data)}

    def complete(self, state: dict[str, Any], parts: Sequence[dict[str, Any]]) -> None:
        final = self._file(state["tenant"], state["user_id"], state["operation_id"])
        create_private(final)
        with final.open("wb") as out:
            for part in parts:
                path = final.with_suffix(f".part{int(part['number']):05d}")
                with path.open("rb") as source:
                    shutil.copyfileobj(source, out)
        for part in parts:
            final.with_suffix(f".part{int(part['number']):05d}").unlink(missing_ok=True)

    def download_url(self, tenant: str, user_id: str, operation_id: str) -> str | None:
        return None

    def read(self, tenant: str, user_id: str, operation_id: str) -> Iterator[bytes]:
        path = self._file(tenant, user_id, operation_id)
        if not path.is_file():
            raise NotFound(f"The export of operation {operation_id} is not there (erased or never finished).")
        return self._chunks(path)

    @staticmethod
    def _chunks(path: Path) -> Iterator[bytes]:
        with path.open("rb") as source:
            while chunk := source.read(CHUNK):
                yield chunk

    def erase_user(self, tenant: str, user_id: str) -> int:
        folder = self._folder(tenant, user_id)
        if not folder.is_dir():
            return 0
        files = [path for path in folder.iterdir() if path.is_file()]
        for path in files:
            path.unlink()
        folder.rmdir()
        return sum(1 for path in files if path.suffix == ".ndjson")
