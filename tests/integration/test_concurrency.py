"""The SQLite store under concurrent writers: threads of one server, and two processes on one file."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from agent_memory.adapters.local.sqlite import open_stores
from agent_memory.domain.errors import DuplicateMemory
from agent_memory.domain.models import MemoryFilter, NewMemory, Owner


def test_given_many_threads_when_they_write_then_nothing_is_lost_and_duplicates_win_once(runtime) -> None:
    service = runtime.memories
    rounds = 4 if runtime.is_aws else 25  # moto serialises every call; four rounds race the same way

    def write(worker: int) -> tuple[int, int]:
        created = duplicates = 0
        for i in range(rounds):
            for content in (f"worker {worker} fact {i}", f"shared fact {i}"):
                try:
                    service.create("acme", NewMemory(user_id="alice", content=content))
                    created += 1
                except DuplicateMemory:
                    duplicates += 1
        return created, duplicates

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(write, range(8)))
    created = sum(c for c, _ in results)
    assert created == 8 * rounds + rounds
    assert sum(d for _, d in results) == 7 * rounds
    page = service.list_memories(Owner("acme", "alice"), MemoryFilter(), limit=1)
    assert page.total == created


WRITER = textwrap.dedent(
    """
    import json, sys
    from agent_memory.adapters.local.sqlite import open_stores
    from agent_memory.domain.cursor import CursorCodec
    from agent_memory.adapters.local.events import InProcessEventPublisher
    from agent_memory.adapters.local.embedders import HashingEmbedder
    from agent_memory.services.memories import MemoryService
    from agent_memory.domain.errors import DuplicateMemory
    from agent_memory.domain.models import NewMemory

    stores = open_stores(sys.argv[1])
    service = MemoryService(
        stores.memories, stores.settings, InProcessEventPublisher(), CursorCodec(b"k"), HashingEmbedder()
    )
    created = duplicates = 0
    for i in range(100):
        for content in (f"process {sys.argv[2]} fact {i}", f"shared fact {i}"):
            try:
                service.create("acme", NewMemory(user_id="alice", content=content))
                created += 1
            except DuplicateMemory:
                duplicates += 1
    print(json.dumps({"created": created, "duplicates": duplicates}))
    """
)


def test_given_two_processes_on_one_file_when_both_write_then_every_write_lands_once(tmp_path: Path) -> None:
    db = tmp_path / "shared.db"
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(db), name], stdout=subprocess.PIPE, text=True)
        for name in ("a", "b")
    ]
    outputs = [json.loads(p.communicate(timeout=120)[0]) for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert sum(o["created"] for o in outputs) == 300
    assert sum(o["duplicates"] for o in outputs) == 100
    stores = open_stores(db)
    page = stores.memories.list_memories(Owner("acme", "alice"), MemoryFilter(), datetime.now(UTC), 1, None, 0)
    assert page.total == 300
    assert stores.database.schema_version >= 1
