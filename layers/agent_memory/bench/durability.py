"""Durability under crashes: concurrent writers against a real `agent-memory serve` that is killed (SIGKILL) mid-burst
and restarted, then every acknowledged write is checked to exist exactly once.

Each client runs a fixed plan of writes, one request at a time, on its own connection:
- unique facts (no key): 201, or, when a retry follows a request whose answer was lost, 409 naming the id it made;
- Idempotency-Key writes, each sent twice: the second must replay the first answer (same status, same id);
- duplicate races: the same fact written by several clients at about the same moment: one 201, the others 409
  naming that same id.
A request whose answer never arrives (connection dropped by the kill) is "in doubt": the client waits for the server
to come back and retries it (the same key for keyed writes), as a careful client would. 503 answers are retried too.
An acknowledgement is a 201 or a 409 naming an existing id. At the end the server is killed once more and restarted,
then the store is listed through the API and compared with the acknowledgements.
"""

from __future__ import annotations

import http.client
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent_memory.bench.server_process import Client, Server, free_port
from agent_memory.domain.text import content_key


@dataclass(frozen=True)
class Write:
    client: int
    index: int
    kind: str  # "unique", "keyed" or "race"
    user_id: str
    content: str
    key: str | None = None


@dataclass
class Outcome:
    write: Write
    status: int | None = None  # 201 or 409 once acknowledged
    memory_id: str | None = None
    attempts: int = 0
    in_doubt: int = 0  # answers lost to a crash, then retried
    key_in_progress: int = 0  # 409 idempotency_key_in_progress: a killed request still held the key
    unresolved: str | None = None  # why it was never acknowledged
    replay_ok: bool | None = None  # keyed writes: did the deliberate retry replay the first answer?


def plan(clients: int, writes: int, race_group: int, run_id: str) -> list[list[Write]]:
    """Per client: 6 in 10 unique facts, 2 in 10 keyed, 2 in 10 races shared with the other clients of its group."""
    groups = max(1, clients // race_group)
    plans: list[list[Write]] = []
    for client in range(clients):
        group = client % groups
        user = f"user-{group}"  # the clients of one race group write for the same user
        mine: list[Write] = []
        for index in range(writes):
            slot = index % 10
            if slot in (8, 9):
                mine.append(Write(client, index, "race", user, f"Shared fact {index} of group {group}"))
            elif slot in (6, 7):
                key = f"{run_id}-c{client}-w{index}"
                mine.append(Write(client, index, "keyed", user, f"Client {client} keyed fact {index}", key))
            else:
                mine.append(Write(client, index, "unique", user, f"Client {client} remembers fact {index}"))
        plans.append(mine)
    return plans


@dataclass
class Progress:
    """Acknowledgements so far, for the crash controller to wait on (a condition, not a sleep)."""

    acknowledged: int = 0
    finished_clients: int = 0
    condition: threading.Condition = field(default_factory=threading.Condition)

    def add(self, acknowledged: int = 0, finished: int = 0) -> None:
        with self.condition:
            self.acknowledged += acknowledged
            self.finished_clients += finished
            self.condition.notify_all()


def _send(client: Client, server: Server, write: Write, outcome: Outcome, retry_deadline: float) -> tuple[int, Any]:
    """Sends one write until it has a definite answer; transport errors and 503 wait for the server and retry."""
    body = {"user_id": write.user_id, "content": write.content}
    headers = {"Idempotency-Key": write.key} if write.key else None
    give_up = time.monotonic() + retry_deadline
    while True:
        outcome.attempts += 1
        try:
            status, _, answer = client.request("POST", "/v1/memories", body, headers)
        except ConnectionRefusedError:
            status, answer = -1, None  # not sent: the server is down
        except (OSError, http.client.HTTPException):
            outcome.in_doubt += 1  # sent, answer lost: it may or may not have been applied
            status, answer = -1, None
        held = status == 409 and isinstance(answer, dict) and answer.get("code") == "idempotency_key_in_progress"
        outcome.key_in_progress += held
        if not (held or status in (-1, 503)):
            return status, answer
        if time.monotonic() > give_up:
            code = answer.get("code") if isinstance(answer, dict) else None
            return status, {"code": code or "no answer"}
        if status == -1 and not server.up.is_set():
            server.up.wait(timeout=max(0.0, give_up - time.monotonic()))
        else:
            time.sleep(0.25)  # "not now", or a dropped connection while the server is up: back off, then ask again


def _acknowledge(outcome: Outcome, status: int, answer: Any) -> bool:
    if status == 201 and isinstance(answer, dict):
        outcome.status, outcome.memory_id = 201, answer["id"]
        return True
    if status == 409 and isinstance(answer, dict) and answer.get("existing_id"):
        outcome.status, outcome.memory_id = 409, answer["existing_id"]
        return True
    detail = answer.get("code") if isinstance(answer, dict) else None
    outcome.unresolved = f"{status} {detail}"
    return False


def run_client(
    writes: list[Write],
    server: Server,
    key: str,
    progress: Progress,
    retry_deadline: float,
    start: threading.Barrier,
) -> list[Outcome]:
    client = Client(server.port, key)
    outcomes = []
    start.wait()
    try:
        for write in writes:
            outcome = Outcome(write)
            outcomes.append(outcome)
            status, answer = _send(client, server, write, outcome, retry_deadline)
            if not _acknowledge(outcome, status, answer):
                continue
            progress.add(acknowledged=1)
            if write.key is not None:  # the deliberate client retry: must replay, never write again
                again, replayed = _send(client, server, write, Outcome(write), retry_deadline)
                same_id = isinstance(replayed, dict) and outcome.memory_id in (
                    replayed.get("id"),
                    replayed.get("existing_id"),
                )
                outcome.replay_ok = again == outcome.status and same_id
    finally:
        client.close()
        progress.add(finished=1)
    return outcomes


def _crash_controller(server: Server, progress: Progress, thresholds: list[int], clients: int) -> list[int]:
    """Kills the server when the acknowledgements reach each threshold, and restarts it at once."""
    crashed_at = []
    for threshold in thresholds:
        with progress.condition:
            progress.condition.wait_for(
                lambda t=threshold: progress.acknowledged >= t or progress.finished_clients == clients  # type: ignore[misc]
            )
            if progress.finished_clients == clients:
                break
            crashed_at.append(progress.acknowledged)
        server.kill()
        server.start()
    return crashed_at


def stored_memories(client: Client, users: list[str]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for user in users:
        cursor = None
        while True:
            query = {"user_id": user, "limit": "100", "include_superseded": "true"}
            if cursor:
                query["cursor"] = cursor
            status, _, page = client.request("GET", "/v1/memories?" + urllib.parse.urlencode(query))
            if status != 200:
                raise RuntimeError(f"listing {user} answered {status}: {page}")
            found.extend(page["items"])
            cursor = page["next_cursor"]
            if not cursor:
                break
    return found


def verify(outcomes: list[Outcome], stored: list[dict[str, Any]]) -> dict[str, Any]:
    by_id = {m["id"]: m for m in stored}
    copies = Counter((m["user_id"], content_key(m["content"])) for m in stored)
    acknowledged = [o for o in outcomes if o.memory_id is not None]
    lost = [o for o in acknowledged if o.memory_id not in by_id or by_id[o.memory_id]["content"] != o.write.content]
    # Every client that acknowledged the same fact must have been told the same id.
    ids_per_fact: dict[tuple[str, str], set[str]] = {}
    for o in acknowledged:
        ids_per_fact.setdefault((o.write.user_id, o.write.content), set()).add(str(o.memory_id))
    planned = {(o.write.user_id, content_key(o.write.content)) for o in outcomes}
    return {
        "stored": len(stored),
        "verified": len(acknowledged) - len(lost),
        "lost": len(lost),
        "lost_examples": [(o.write.content, o.memory_id) for o in lost[:5]],
        "duplicated": sum(n - 1 for n in copies.values() if n > 1),
        "inconsistent_ids": sum(1 for ids in ids_per_fact.values() if len(ids) > 1),
        "unexpected": sum(1 for fact in copies if fact not in planned),
    }


def run(
    clients: int = 16,
    writes: int = 300,
    crashes: int = 3,
    race_group: int = 4,
    retry_deadline: float = 120.0,
    embedder: str = "hashing",
    data_dir: Path | None = None,
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="durability-") as scratch:
        folder = data_dir or Path(scratch) / "data"
        server = Server(folder, free_port(), embedder)
        server.start()
        try:
            return _run(server, clients, writes, crashes, race_group, retry_deadline, embedder)
        finally:
            server.stop()


def _run(
    server: Server, clients: int, writes: int, crashes: int, race_group: int, retry_deadline: float, embedder: str
) -> dict[str, Any]:
    plans = plan(clients, writes, race_group, run_id=str(time.time_ns()))
    total = clients * writes
    thresholds = [total * (n + 1) // (crashes + 1) for n in range(crashes)]
    progress = Progress()
    start = threading.Barrier(clients + 1)
    results: list[list[Outcome]] = [[] for _ in range(clients)]

    def client_thread(n: int) -> None:
        results[n] = run_client(plans[n], server, server.key, progress, retry_deadline, start)

    threads = [threading.Thread(target=client_thread, args=(n,), name=f"writer-{n}") for n in range(clients)]
    for thread in threads:
        thread.start()
    crashed_at: list[int] = []
    controller = threading.Thread(
        target=lambda: crashed_at.extend(_crash_controller(server, progress, thresholds, clients)), name="crasher"
    )
    controller.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    burst_seconds = time.perf_counter() - began
    controller.join()

    # A last SIGKILL once everything is acknowledged: what was acknowledged must be on disk, not in a buffer.
    server.kill()
    server.start()
    checker = Client(server.port, server.key)
    try:
        stored = stored_memories(checker, sorted({w.user_id for p in plans for w in p}))
    finally:
        checker.close()
    outcomes = [o for per_client in results for o in per_client]
    checked = verify(outcomes, stored)
    acknowledged = [o for o in outcomes if o.memory_id is not None]
    keyed = [o for o in acknowledged if o.write.key is not None]
    return {
        "embedder": embedder,
        "clients": clients,
        "writes_per_client": writes,
        "planned_writes": total,
        "crashes": len(crashed_at),
        "crashed_at_acknowledged": crashed_at,
        "requests": sum(o.attempts for o in outcomes) + len(keyed),
        "acknowledged": len(acknowledged),
        "acknowledged_201": sum(1 for o in acknowledged if o.status == 201),
        "acknowledged_409": sum(1 for o in acknowledged if o.status == 409),
        "in_doubt": sum(o.in_doubt for o in outcomes),
        "key_in_progress_answers": sum(o.key_in_progress for o in outcomes),
        "unresolved": len(outcomes) - len(acknowledged),
        "unresolved_reasons": dict(Counter(o.unresolved for o in outcomes if o.memory_id is None)),
        "replays": len(keyed),
        "replay_mismatches": sum(1 for o in keyed if not o.replay_ok),
        "race_winners": sum(1 for o in acknowledged if o.write.kind == "race" and o.status == 201),
        "burst_seconds": round(burst_seconds, 2),
        "acknowledged_per_second": round(len(acknowledged) / burst_seconds, 1),
        "restart_seconds_median": round(sorted(server.restart_seconds)[len(server.restart_seconds) // 2], 2),
        **checked,
    }


def failed(result: dict[str, Any]) -> bool:
    """Any acknowledged write missing, stored twice, told two different ids, or a replay that wrote again."""
    return bool(result["lost"] or result["duplicated"] or result["inconsistent_ids"] or result["replay_mismatches"])


def render(result: dict[str, Any]) -> str:
    verdict = "FAILED" if failed(result) else "ok"
    lines = [
        f"Durability: {result['clients']} clients x {result['writes_per_client']} writes "
        f"({result['planned_writes']} planned), {result['crashes']} SIGKILL(s) mid-burst "
        f"at {result['crashed_at_acknowledged']} acknowledgements, plus one before verifying; embedder "
        f"{result['embedder']}",
        f"  acknowledged {result['acknowledged']} (201: {result['acknowledged_201']}, 409 naming an id: "
        f"{result['acknowledged_409']}), requests {result['requests']}, in doubt {result['in_doubt']}, "
        f"'key in progress' answers {result['key_in_progress_answers']}, "
        f"unresolved {result['unresolved']} {result['unresolved_reasons'] or ''}",
        f"  verified {result['verified']}, lost {result['lost']}, duplicated {result['duplicated']}, "
        f"inconsistent ids {result['inconsistent_ids']}, replay mismatches {result['replay_mismatches']} "
        f"of {result['replays']}, unexpected {result['unexpected']}, stored {result['stored']}",
        f"  throughput {result['acknowledged_per_second']} acknowledged writes/s over {result['burst_seconds']} s "
        f"(restarts included; median restart to healthy {result['restart_seconds_median']} s)",
        f"  {verdict}",
    ]
    return "\n".join(lines)
