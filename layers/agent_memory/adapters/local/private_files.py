"""Files that hold secrets or user data (the database, API keys, the cursor secret, ingest reports): owner-only from
the moment they exist, never world-readable even for an instant."""

from __future__ import annotations

import os
from pathlib import Path


def create_private(path: Path) -> None:
    """Make sure the file exists and is owner-only, leaving its content as it is."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)  # a file made by an earlier version


def write_private(path: Path, text: str) -> None:
    """Create (or replace) the file with this text, owner-only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    path.chmod(0o600)
