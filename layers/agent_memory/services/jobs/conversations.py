"""Jobs over the user's stored raw conversation logs: episodes that summarise threads, and consolidation, which
extracts the facts not yet extracted from them (logs ingested with memory off, or by an older extractor)."""

from __future__ import annotations

from typing import Any

from agent_memory.domain.conversation import MemoryMode, Role
from agent_memory.domain.conversation_log import RejectedLog, address_of, parse
from agent_memory.domain.errors import DuplicateMemory
from agent_memory.domain.models import MemoryPatch, NewMemory, Owner, Source
from agent_memory.domain.operations import Operation
from agent_memory.domain.topics import topics_of
from agent_memory.ports import ConversationArchive, Curator, Extractor, MemoryStore
from agent_memory.services.ingestion import IngestionService
from agent_memory.services.jobs.corpus import all_memories
from agent_memory.services.jobs.steps import PhaseProgress, SecondsLeft
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

    def run(self, operation: Operation, cursor: dict[str, Any] | None, seconds_left: SecondsLeft) -> PhaseProgress:
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
        rejected: list[dict[str, str]] = []
        index = start
        while index < len(keys) and index - start < LOGS_PER_STEP and seconds_left() >= SECONDS_PER_LOG:
            key = keys[index]
            index += 1
            counts["logs"] += 1
            data, version = self._archive.read(key)
            try:
                parsed = parse(data, address_of(key))
            except RejectedLog as exc:
                counts["rejected_logs"] += 1
                rejected.append({"log": key, "reason": exc.detail})
                continue
            messages = [line.message for line in parsed.lines]
            if not any(m.role is Role.USER for m in messages):
                continue
            before = existing.get(key)
            if before is not None and before.metadata.get("log_version") == version:
                counts["unchanged"] += 1
                continue
            summary = _shorten(self._curator.summarize(messages), max_chars)
            metadata = {"kind": EPISODE, "log": key, "log_version": version, "messages": len(messages)}
            if before is not None:
                self._memories.update(owner, before.id, MemoryPatch(content=summary, metadata=metadata))
                counts["episodes_updated"] += 1
                continue
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
                counts["episodes_created"] += 1
            except DuplicateMemory:
                counts["unchanged"] += 1  # the same summary is already remembered
        result = {"rejected_logs": rejected} if rejected else {}
        return PhaseProgress(
            done=index >= len(keys),
            cursor={"index": index},
            advanced=index - start,
            total=len(keys),
            counts=counts,
            result=result,
        )


class ConsolidateConversations:
    """Runs extraction over each stored log once per extractor version, saving the facts not already known
    (auto mode: duplicates and near-duplicates of what is remembered are skipped)."""

    def __init__(self, archive: ConversationArchive, ingestion: IngestionService, extractor: Extractor) -> None:
        self._archive = archive
        self._ingestion = ingestion
        self._extractor = extractor

    def run(self, operation: Operation, cursor: dict[str, Any] | None, seconds_left: SecondsLeft) -> PhaseProgress:
        keys = self._archive.logs_of(operation.tenant, operation.user_id)
        start = 0 if cursor is None else int(cursor.get("index", 0))
        after_line = 0 if cursor is None else int(cursor.get("after_line", 0))
        counts = {"logs": 0, "messages": 0, "facts_saved": 0, "facts_skipped": 0, "rejected_logs": 0}
        rejected: list[dict[str, str]] = []
        index = start
        while index < len(keys) and seconds_left() >= SECONDS_PER_LOG:
            key = keys[index]
            data, version = self._archive.read(key)
            try:
                parsed = parse(data, address_of(key))
            except RejectedLog as exc:
                counts["rejected_logs"] += 1
                rejected.append({"log": key, "reason": exc.detail})
                index, after_line = index + 1, 0
                continue
            report = self._ingestion.ingest(
                parsed,
                log=key,
                version=f"consolidate/{self._extractor.name}/{self._extractor.version}/{version}",
                after_line=after_line,
                mode=MemoryMode.AUTO,
                seconds_left=seconds_left,
            )
            counts["messages"] += report.messages
            counts["facts_saved"] += report.saved
            counts["facts_skipped"] += report.skipped
            if report.resume_after_line is not None:
                after_line = report.resume_after_line
                break
            counts["logs"] += 1
            index, after_line = index + 1, 0
        result = {"rejected_logs": rejected} if rejected else {}
        return PhaseProgress(
            done=index >= len(keys),
            cursor={"index": index, "after_line": after_line},
            advanced=index - start,
            total=len(keys),
            counts=counts,
            result=result,
        )
