"""Removes installed distributions from a pip `--target` folder, file by file as their RECORD lists them.

    python prune.py TARGET NAME [NAME ...]

Used by the dependency layer's build (infra/constructs/bundling.py) for what pip installs as a dependency but the
layer must not ship. Standard library only: it also runs in the build image when bundling falls back to Docker.
"""

from __future__ import annotations

import csv
import re
import shutil
import sys
from pathlib import Path


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def prune(target: Path, names: set[str]) -> list[str]:
    """Deletes every file of the named distributions (and their folders left empty); returns what was removed."""
    wanted = {canonical(name) for name in names}
    removed = []
    for info in sorted(target.glob("*.dist-info")):
        distribution = canonical(info.name[: -len(".dist-info")].rsplit("-", 1)[0])
        if distribution not in wanted:
            continue
        with (info / "RECORD").open(newline="") as record:
            files = [target / row[0] for row in csv.reader(record) if row]
        for path in files:
            path.unlink(missing_ok=True)
        for folder in sorted({p.parent for p in files}, key=lambda p: len(p.parts), reverse=True):
            while folder != target and folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
                folder = folder.parent
        shutil.rmtree(info, ignore_errors=True)
        removed.append(distribution)
    return removed


if __name__ == "__main__":
    print("not shipped:", ", ".join(prune(Path(sys.argv[1]), set(sys.argv[2:]))) or "nothing")
