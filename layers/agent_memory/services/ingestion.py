"""Conversation logs → memories, in chunks of one turn's size, resumable from any line and safe to run twice.

Only a chunk that was ingested is recorded as done: a chunk the conversation service refuses is reported line by line
and tried again on the next run, and a transient failure is raised with nothing recorded."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from agent_memory.domain.conversation import MAX_MESSAGES_PER_TURN, MemoryMode, Message, Turn
from agent_memory.domain.conversation_log import LineError, LogLine, ParsedLog
from agent_memory.domain.errors import AgentMemoryError
from agent_memory.services.conversations import ConversationService
from agent_memory.services.idempotency import IdempotencyService, fingerprint

# Below this many seconds left, stop before the next chunk and hand the rest on (one chunk never takes longer).
SECONDS_PER_CHUNK = 60.0


class _Refused(Exception):
    """Carries a refusal out through the idempotency record, which then releases the key instead of keeping it."""

    def __init__(self, error: AgentMemoryError) -> None:
        super().__init__(error.detail)
        self.error = error


@dataclass
class IngestReport:
    log: str
    messages: int = 0
    saved: int = 0
    skipped: int = 0
    errors: list[LineError] = field(default_factory=list)
    resume_after_line: int | None = None  # set when time ran out: continue after this line

    @property
    def finished(self) -> bool:
        return self.resume_after_line is None


class IngestionService:
    def __init__(self, conversations: ConversationService, idempotency: IdempotencyService) -> None:
        self._conversations = conversations
        self._idempotency = idempotency

    def ingest(
        self,
        parsed: ParsedLog,
        log: str,
        version: str = "",
        after_line: int = 0,
        mode: MemoryMode = MemoryMode.AUTO,
        seconds_left: Callable[[], float] | None = None,
    ) -> IngestReport:
        """`log` names the file (it prefixes each memory's source_refs, `<log>#L<line>`); `version` (an ETag or a
        hash of the bytes) makes a chunk already ingested from this exact file a no-op when it comes again."""
        report = IngestReport(log=log, errors=[e for e in parsed.errors if e.line > after_line])
        remaining = [line for line in parsed.lines if line.line > after_line]
        for start in range(0, len(remaining), MAX_MESSAGES_PER_TURN):
            chunk = remaining[start : start + MAX_MESSAGES_PER_TURN]
            if seconds_left is not None and seconds_left() < SECONDS_PER_CHUNK:
                report.resume_after_line = chunk[0].line - 1
                break
            outcome = self._chunk(parsed, chunk, log, version, mode)
            if isinstance(outcome, str):
                report.errors.extend(LineError(line.line, f"not ingested: {outcome}") for line in chunk)
                continue
            report.messages += len(chunk)
            report.saved += outcome[0]
            report.skipped += outcome[1]
        # Lines after the point reached are reported by the run that continues from there.
        reached = report.resume_after_line
        report.errors = sorted((e for e in report.errors if reached is None or e.line <= reached), key=lambda e: e.line)
        return report

    def _chunk(
        self, parsed: ParsedLog, chunk: list[LogLine], log: str, version: str, mode: MemoryMode
    ) -> tuple[int, int] | str:
        """(saved, skipped), or why the chunk was refused; a transient failure is raised."""
        address = parsed.address
        turn = Turn(
            user_id=address.user_id,
            thread_id=address.thread_id,
            agent_id=next((line.agent_id for line in chunk if line.agent_id), None),
            messages=tuple(
                Message(
                    line.message.role, line.message.content, line.message.ref or f"{log}#L{line.line}", line.message.ts
                )
                for line in chunk
            ),
        )

        def produce() -> tuple[int, bytes]:
            try:
                saved, skipped = self._conversations.remember(address.tenant, turn, mode)
            except AgentMemoryError as exc:
                if exc.status >= 500:
                    raise
                raise _Refused(exc) from exc  # not an outcome to keep: the next run tries these lines again
            return 200, json.dumps({"saved": len(saved), "skipped": len(skipped)}).encode()

        key = "ingest-" + fingerprint(log, version, str(chunk[0].line), str(chunk[-1].line))
        try:
            (status, body), replayed = self._idempotency.run(
                address.tenant,
                key,
                key,
                produce,
                lambda exc: (exc.status, exc.detail.encode()),
                user_ids=(address.user_id,),
            )
        except _Refused as refused:
            return refused.error.detail
        if status != 200:
            return body.decode("utf-8", "replace")  # refused by an earlier version that kept refusals
        if replayed:
            return 0, 0  # this exact chunk of this exact file was ingested before: nothing new
        counts = json.loads(body)
        return int(counts["saved"]), int(counts["skipped"])
