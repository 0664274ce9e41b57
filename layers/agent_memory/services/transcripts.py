"""Transcripts of conversation turns and the assistant's previous runs.

Every turn's messages (user, assistant, tool) are appended to the thread's log in the conversation archive, in the
layout and format of ingested logs, so consolidate, generate-episodes, retention and erase see one history whatever
its source. An assistant's earlier outputs are searchable per user ("previous runs"): keyword scoring (BM25 over
stemmed terms) of the assistant messages in the user's logs, newest logs first, at most MAX_LOGS_READ of them.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from agent_memory.domain.clock import utcnow
from agent_memory.domain.conversation import Message, Role, Turn
from agent_memory.domain.conversation_log import address_of, parse, transcript_address, transcript_lines
from agent_memory.domain.errors import AgentMemoryError, InvalidInput
from agent_memory.domain.models import Owner
from agent_memory.domain.text import query_terms, stem, tokens
from agent_memory.ports import ConversationArchive, ErasureMarks, SettingsStore
from agent_memory.services.erasure_guard import refuse_while_erasing

MAX_LOGS_READ = 200
MAX_RUN_RESULTS = 20
MAX_RUN_QUERY_CHARS = 1_000
BM25_K1, BM25_B = 1.2, 0.75


@dataclass(frozen=True, slots=True)
class Run:
    """One output of the assistant in an earlier conversation."""

    thread_id: str
    content: str
    ts: datetime | None
    agent_id: str | None
    score: float


def _terms(text: str) -> list[str]:
    return [stem(word) for word in tokens(text)]


class TranscriptService:
    def __init__(
        self,
        archive: ConversationArchive,
        settings: SettingsStore,
        erasures: ErasureMarks,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._archive = archive
        self._settings = settings
        self._erasures = erasures
        self._clock = clock

    def keep(self, tenant: str, turn: Turn) -> str | None:
        """Appends the turn to its thread's log; the log's key, or None when the ids cannot form one. Refused
        (UserBeingErased) while the user is being erased."""
        address = transcript_address(tenant, turn.user_id, turn.thread_id)
        if address is None:
            return None
        refuse_while_erasing(self._erasures, Owner(tenant, turn.user_id))
        retention = self._settings.get_settings(tenant).raw_log_retention_days
        data = transcript_lines(address, turn.agent_id, list(turn.messages), self._clock())
        self._archive.append(address.key, data, retention)
        return address.key

    def _outputs(
        self, owner: Owner, agent_id: str | None, skip_thread: str | None
    ) -> list[tuple[str, Message, str | None]]:
        found: list[tuple[str, Message, str | None]] = []
        for key in self._archive.logs_of(owner.tenant, owner.user_id)[-MAX_LOGS_READ:]:
            try:
                address = address_of(key)
                if address.thread_id == skip_thread:
                    continue
                parsed = parse(self._archive.read(key)[0], address)
            except AgentMemoryError:
                continue  # a log that cannot be read as a whole has no runs to offer (ingestion reports it)
            found.extend(
                (address.thread_id, line.message, line.agent_id)
                for line in parsed.lines
                if line.message.role is Role.ASSISTANT and (agent_id is None or line.agent_id == agent_id)
            )
        return found

    def search(
        self, owner: Owner, query: str, agent_id: str | None = None, limit: int = 5, skip_thread: str | None = None
    ) -> list[Run]:
        """The assistant outputs of the user's conversations that best match `query`, best first (none below a
        shared term: an output that shares no word with the query is never offered)."""
        if not query.strip() or len(query) > MAX_RUN_QUERY_CHARS:
            raise InvalidInput(f"q must hold 1 to {MAX_RUN_QUERY_CHARS} characters.")
        if not 1 <= limit <= MAX_RUN_RESULTS:
            raise InvalidInput(f"limit must be 1 to {MAX_RUN_RESULTS}.")
        wanted = {stem(word) for word in query_terms(query)}
        outputs = self._outputs(owner, agent_id, skip_thread)
        if not outputs or not wanted:
            return []
        documents = [Counter(_terms(message.content)) for _, message, _ in outputs]
        average = sum(sum(d.values()) for d in documents) / len(documents) or 1.0
        frequency = Counter(term for d in documents for term in wanted if term in d)
        runs = []
        for (thread_id, message, agent), terms in zip(outputs, documents, strict=True):
            length = sum(terms.values())
            score = 0.0
            for term in wanted & terms.keys():
                idf = math.log(1 + (len(documents) - frequency[term] + 0.5) / (frequency[term] + 0.5))
                tf = terms[term]
                score += idf * tf * (BM25_K1 + 1) / (tf + BM25_K1 * (1 - BM25_B + BM25_B * length / average))
            if score > 0:
                runs.append(Run(thread_id, message.content, message.ts, agent, round(score, 4)))
        return sorted(runs, key=lambda run: (-run.score, run.thread_id))[:limit]
