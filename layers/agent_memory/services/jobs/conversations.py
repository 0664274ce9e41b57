"""Jobs over the user's stored raw conversation logs: episodes that summarise threads, and consolidation, which
extracts the facts not yet extracted from them (logs ingested with memory off, or by an older extractor)."""

from __future__ import annotations

from typing import Any

from agent_memory.domain.conversation import MemoryMode, Role
from agent_memory.domain.conversation_log import RejectedLog, address_of, parse
from agent_memory.domain.errors import DuplicateMemory
from agent_memory.domain.models import Memory, MemoryPatch, NewMemory, Owner, Source
from agent_memory.domain.operations import Operation
from agent_memory.domain.topics import topics_of
from agent_memory.ports import ConversationArchive, Curator, Extractor, MemoryStore
from agent_memory.services.ingestion import IngestionService
from agent_memory.services.jobs.corpus import all_memories
from agent_memory.services.jobs.steps import Checkpoint, PhaseProgress, SecondsLeft
from agent_memory.services.memories import MemoryService
from agent_memory.services.settings import SettingsService

EPISODE = "episode"
SECONDS_PER_LOG = 30.0
LOGS_PER_STEP = 50


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + "…"


class GenerateEpisodes:
    """One episode memory per thread log (source `insight`, metadata kind `episode`); a log that changed since its
    episode was written gets the episode rewritten, an unchanged one is left alone."""

    def __init__(
        self,
        archive: ConversationArchive,
        store: MemoryStore,
        memories: MemoryService,
        settings: SettingsService,
        curator: Curator,
    ) -> None:
        self._archive = archive
        self._store = store
        self._memories = memories
        self._settings = settings
        self._curator = curator

    def run(
        self, operation: Operation, cursor: dict[str, Any] | None, seconds_left: SecondsLeft, checkpoint: Checkpoint
    ) -> PhaseProgress:
        owner = Owner(operation.tenant, operation.user_id)
        keys = self._archive.logs_of(owner.tenant, owner.user_id)
        start = 0 if cursor is None else int(cursor.get("index", 0))
        existing = {
            str(memory.metadata.get("log")): memory
            for memory, _ in all_memories(self._store, owner)
            if memory.source is Source.INSIGHT and memory.metadata.get("kind") == EPISODE
        }
        max_chars = self._settings.get(owner.tenant).max_content_chars
        counts = {"logs": 0, "episodes_created": 0, "episodes_updated": 0, "unchanged": 0, "rejected_logs": 0}
        progress = PhaseProgress(done=False, cursor={"index": start}, total=len(keys), counts=counts)
        index = start
        while index < len(keys) and index - start < LOGS_PER_STEP and seconds_left() >= SECONDS_PER_LOG:
            key = keys[index]
            index += 1
            outcome, rejected = self._episode(operation, owner, key, existing.get(key), max_chars)
            added: dict[str, int] = {"logs": 1} if outcome is None else {"logs": 1, outcome: 1}
            result = {"rejected_logs": [rejected]} if rejected else {}
            progress = progress.plus(advanced=1, counts=added, result=result, cursor={"index": index})
            if outcome in {"episodes_created", "episodes_updated"}:
                checkpoint.save(progress)  # the episode is written: save its count before the next log
            else:
                checkpoint.save_if_due(progress)
        return progress.plus(done=index >= len(keys))

    def _episode(
        self, operation: Operation, owner: Owner, key: str, before: Memory | None, max_chars: int
    ) -> tuple[str | None, dict[str, str] | None]:
        """Write the episode of one log: which count it adds (None: nothing to summarise), and why a log was
        rejected."""
        data, version = self._archive.read(key)
        try:
            parsed = parse(data, address_of(key))
        except RejectedLog as exc:
            return "rejected_logs", {"log": key, "reason": exc.detail}
        messages = [line.message for line in parsed.lines]
        if not any(m.role is Role.USER for m in messages):
            return None, None
        if before is not None and before.metadata.get("log_version") == version:
            if before.metadata.get("operation") == operation.id:
                # This job wrote it just before its step stopped, so the count was not saved with it: counted now.
                return ("episodes_created" if before.version == 1 else "episodes_updated"), None
            return "unchanged", None
        summary = _shorten(self._curator.summarize(messages), max_chars)
        metadata = {
            "kind": EPISODE,
            "log": key,
            "log_version": version,
            "messages": len(messages),
            "operation": operation.id,
        }
        if before is not None:
            self._memories.update(owner, before.id, MemoryPatch(content=summary, metadata=metadata))
            return "episodes_updated", None
        moments = [m.ts for m in messages if m.ts is not None]
        if moments:
            metadata["started_at"] = min(moments).isoformat()
            metadata["ended_at"] = max(moments).isoformat()
        new = NewMemory(
            user_id=owner.user_id,
            content=summary,
            thread_id=parsed.address.thread_id,
            agent_id=next((line.agent_id for line in parsed.lines if line.agent_id), None),
            source=Source.INSIGHT,
            topics=topics_of(" ".join(m.content for m in messages if m.role is Role.USER)),
            metadata=metadata,
            source_refs=(key,),
        )
        try:
            self._memories.create(owner.tenant, new)
        except DuplicateMemory:
            return "unchanged", None  # the same summary is already remembered
        return "episodes_created", None


class ConsolidateConversations:
    """Runs extraction over each stored log once per extractor version, saving the facts not already known
    (auto mode: duplicates and near-duplicates of what is remembered are skipped)."""

    def __init__(self, archive: ConversationArchive, ingestion: IngestionService, extractor: Extractor) -> None:
        self._archive = archive
        self._ingestion = ingestion
        self._extractor = extractor

    def run(
        self, operation: Operation, cursor: dict[str, Any] | None, seconds_left: SecondsLeft, checkpoint: Checkpoint
    ) -> PhaseProgress:
        keys = self._archive.logs_of(operation.tenant, operation.user_id)
        start = 0 if cursor is None else int(cursor.get("index", 0))
        after_line = 0 if cursor is None else int(cursor.get("after_line", 0))
        counts = {"logs": 0, "messages": 0, "facts_saved": 0, "facts_skipped": 0, "rejected_logs": 0}
        progress = PhaseProgress(
            done=False, cursor={"index": start, "after_line": after_line}, total=len(keys), counts=counts
        )
        index = start
        while index < len(keys) and seconds_left() >= SECONDS_PER_LOG:
            key = keys[index]
            data, version = self._archive.read(key)
            try:
                parsed = parse(data, address_of(key))
            except RejectedLog as exc:
                index, after_line = index + 1, 0
                progress = progress.plus(
                    advanced=1,
                    counts={"rejected_logs": 1},
                    result={"rejected_logs": [{"log": key, "reason": exc.detail}]},
                    cursor={"index": index, "after_line": after_line},
                )
                checkpoint.save_if_due(progress)
                continue
            report = self._ingestion.ingest(
                parsed,
                log=key,
                version=f"consolidate/{self._extractor.name}/{self._extractor.version}/{version}",
                after_line=after_line,
                mode=MemoryMode.AUTO,
                seconds_left=seconds_left,
            )
            added = {"messages": report.messages, "facts_saved": report.saved, "facts_skipped": report.skipped}
            if report.resume_after_line is not None:
                after_line = report.resume_after_line
                return progress.plus(counts=added, cursor={"index": index, "after_line": after_line})
            index, after_line = index + 1, 0
            progress = progress.plus(
                advanced=1, counts={**added, "logs": 1}, cursor={"index": index, "after_line": after_line}
            )
            checkpoint.save(progress)  # the log's facts are saved: so is the progress that counts them
        return progress.plus(done=index >= len(keys))
