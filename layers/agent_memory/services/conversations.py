"""One call per conversation turn: save what is worth keeping (per the memory mode), recall what is relevant, and
hand back a context block ready to put in front of the model."""

from __future__ import annotations

import math
from collections.abc import Sequence

from agent_memory.domain import limits, validation
from agent_memory.domain.conversation import (
    MAX_MESSAGE_CHARS,
    MAX_MESSAGES_PER_TURN,
    MAX_PROFILE_TOKENS,
    MAX_RECALL_LIMIT,
    MIN_PROFILE_TOKENS,
    ExtractedFact,
    MemoryMode,
    Message,
    Recalled,
    Reply,
    Role,
    Saved,
    SkippedFact,
    SkipReason,
    Turn,
    TurnOutcome,
)
from agent_memory.domain.errors import DuplicateMemory, InvalidInput
from agent_memory.domain.ids import new_ulid
from agent_memory.domain.models import Entity, Memory, MemoryFilter, NewMemory, Owner, Source
from agent_memory.domain.text import STOPWORDS, query_terms
from agent_memory.domain.topics import topics_of
from agent_memory.ports import Extractor, Responder
from agent_memory.services.memories import MemoryService
from agent_memory.services.search import MAX_QUERY_CHARS, SearchMode, SearchService
from agent_memory.services.settings import SettingsService
from agent_memory.services.transcripts import MAX_RUN_QUERY_CHARS, Run, TranscriptService

# auto mode: a stored memory at least this similar (cosine) already says the same thing
ALREADY_KNOWN_SIMILARITY = 0.9
# memories found only through a shared topic rank below every search hit
TOPIC_MATCH_SCORE = 0.0
CONTEXT_HEADER = "What you know about this user from earlier conversations:"


RUNS_HEADER = "What you answered this user in earlier conversations:"
PROFILE_HEADER = "Standing facts about this user:"
RESPONDER_SYSTEM = (
    "You are a helpful assistant with long-term memory of this user. Use what you know about them where it helps the "
    "answer, say so when you are unsure, and never recite this memory back unprompted."
)
PROFILE_SCAN = 1_000  # memories read for a profile (newest first); the budget picks among them
# Words that carry no request: a turn saying only these ("hi", "thanks!") recalls nothing rather than the nearest junk.
SMALL_TALK = frozenset(
    "hi hello hey hiya howdy yo thanks thank thx cheers ok okay yes yeah yep no nope sure great cool nice good bye "
    "goodbye morning afternoon evening night there please welcome lol haha fine well".split()
)
PREVIOUS_RUNS = 3
RUN_CHARS = 500  # an earlier output is quoted up to this many characters in the context


def render_context(recalled: list[Recalled], runs: Sequence[Run] = (), profile: Sequence[Recalled] = ()) -> str:
    blocks = []
    if profile:
        blocks.append("\n".join([PROFILE_HEADER, *(f"- {item.content}" for item in profile)]))
    if recalled:
        blocks.append("\n".join([CONTEXT_HEADER, *(f"- {item.content}" for item in recalled)]))
    if runs:
        quoted = (run.content if len(run.content) <= RUN_CHARS else run.content[: RUN_CHARS - 1] + "…" for run in runs)
        blocks.append("\n".join([RUNS_HEADER, *(f"- {text}" for text in quoted)]))
    return "\n\n".join(blocks)


class ConversationService:
    def __init__(
        self,
        memories: MemoryService,
        search: SearchService,
        settings: SettingsService,
        extractor: Extractor,
        transcripts: TranscriptService | None = None,
        responder: Responder | None = None,
    ) -> None:
        self._memories = memories
        self._search = search
        self._settings = settings
        self._extractor = extractor
        self._transcripts = transcripts
        self._responder = responder

    def turn(self, tenant: str, turn: Turn, agent_only: bool = False, keep_transcript: bool = True) -> TurnOutcome:
        """`agent_only`: recall only memories of the turn's agent (a key bound to it, or the turn's scope);
        `keep_transcript`: append the turn to its thread's log (a caller who may write)."""
        self._validate(turn)
        settings = self._settings.get(tenant)
        mode = MemoryMode.effective(turn.mode, settings.default_memory_mode)
        # The turn is kept first: if that fails nothing else has happened, and a retry keeps it once more at worst.
        keeping = keep_transcript and self._transcripts is not None
        transcript = self._transcripts.keep(tenant, turn) if keeping and self._transcripts else None
        if mode is MemoryMode.OFF:
            reply = self._reply(tenant, turn, "", keeping) if turn.reply else None
            return TurnOutcome(mode=mode, transcript=transcript, reply=reply)
        owner = Owner(tenant, turn.user_id)
        saving = mode.stores and settings.extraction_enabled and turn.save_memories
        saved, skipped = self._remember(tenant, turn, mode, settings.min_salience) if saving else ([], [])
        limit = settings.recall_limit if turn.recall_limit is None else turn.recall_limit
        scope = MemoryFilter(agent_id=turn.agent_id) if agent_only else MemoryFilter()
        recalled = self._recall(owner, turn, limit, {item.memory_id for item in saved}, scope)
        recall_id = self._search.remember_recall(owner, [item.memory_id for item in recalled]) if recalled else None
        runs = self._previous_runs(owner, turn, agent_only) if turn.previous_runs else []
        shown = {item.memory_id for item in recalled} | {item.memory_id for item in saved}
        profile = [] if turn.profile_tokens is None else self._profile(owner, scope, turn.profile_tokens, shown)
        context = render_context(recalled, runs, profile)
        reply = self._reply(tenant, turn, context, keeping) if turn.reply else None
        return TurnOutcome(
            mode=mode,
            saved=saved,
            skipped=skipped,
            recalled=recalled,
            recall_id=recall_id,
            context=context,
            extractor=f"{self._extractor.name}/{self._extractor.version}",
            previous_runs=runs,
            transcript=transcript,
            profile=profile,
            reply=reply,
        )

    def _reply(self, tenant: str, turn: Turn, context: str, keeping: bool) -> Reply:
        """The assistant's answer, the memory context under RESPONDER_SYSTEM; kept in the transcript like any
        assistant message (so later turns find it among previous runs)."""
        if self._responder is None:
            return Reply("no_model")
        system = RESPONDER_SYSTEM + (f"\n\n{context}" if context else "")
        text = self._responder.reply(system, turn.messages)
        if keeping and self._transcripts is not None:
            answer = Turn(turn.user_id, turn.thread_id, (Message(Role.ASSISTANT, text),), agent_id=turn.agent_id)
            self._transcripts.keep(tenant, answer)
        return Reply("answered", text, self._responder.model)

    def _profile(self, owner: Owner, scope: MemoryFilter, budget: int, shown: set[str]) -> list[Recalled]:
        """The user's memories when all fit in `budget` tokens (characters / 4), else the most important, then most
        recent, that do; none of those already recalled or saved in this turn."""
        memories: list[Memory] = []
        cursor = None
        while len(memories) < PROFILE_SCAN:
            page = self._memories.list_memories(owner, scope, limits.MAX_PAGE_SIZE, cursor, 0)
            memories.extend(page.items)
            cursor = page.next_cursor
            if cursor is None:
                break
        candidates = [m for m in memories if m.id not in shown]
        ranked = sorted(candidates, key=lambda m: (-m.importance, -m.updated_at.timestamp(), m.id))
        chosen, used = [], 0
        for memory in ranked:
            cost = math.ceil(len(memory.content) / 4)
            if used + cost <= budget:
                chosen.append(Recalled(memory.id, memory.content, memory.importance, "profile"))
                used += cost
        return chosen

    def _previous_runs(self, owner: Owner, turn: Turn, agent_only: bool) -> list[Run]:
        """The assistant's outputs in the user's other threads (only the turn's agent's when the turn is scoped to
        it) that match what the user just said."""
        said = " ".join(m.content for m in turn.messages if m.role is Role.USER)[-MAX_RUN_QUERY_CHARS:]
        if self._transcripts is None or not said.strip():
            return []
        agent = turn.agent_id if agent_only else None
        return self._transcripts.search(owner, said, agent, PREVIOUS_RUNS, skip_thread=turn.thread_id)

    def remember(self, tenant: str, turn: Turn, mode: MemoryMode) -> tuple[list[Saved], list[SkippedFact]]:
        """Extract and store (per `mode`, on or auto) without recalling: also what log ingestion runs. Nothing is
        saved while the tenant has extraction turned off."""
        self._validate(turn)
        settings = self._settings.get(tenant)
        if not settings.extraction_enabled:
            return [], []
        return self._remember(tenant, turn, mode, settings.min_salience)

    def _remember(
        self, tenant: str, turn: Turn, mode: MemoryMode, min_salience: float
    ) -> tuple[list[Saved], list[SkippedFact]]:
        owner = Owner(tenant, turn.user_id)
        saved: list[Saved] = []
        skipped: list[SkippedFact] = []
        turn_id = new_ulid()
        for fact in self._extractor.extract(turn.messages):
            outcome = self._keep(owner, turn, fact, mode, turn_id, min_salience)
            if isinstance(outcome, SkippedFact):
                skipped.append(outcome)
            else:
                saved.append(outcome)
        return saved, skipped

    @staticmethod
    def _validate(turn: Turn) -> None:
        validation.identifier("user_id", turn.user_id)
        validation.identifier("thread_id", turn.thread_id)
        if turn.agent_id is not None:
            validation.identifier("agent_id", turn.agent_id)
        if not 1 <= len(turn.messages) <= MAX_MESSAGES_PER_TURN:
            raise InvalidInput(f"messages must hold 1 to {MAX_MESSAGES_PER_TURN} messages.")
        if any(len(m.content) > MAX_MESSAGE_CHARS for m in turn.messages):
            raise InvalidInput(f"a message's content is at most {MAX_MESSAGE_CHARS} characters.")
        if turn.recall_limit is not None and not 1 <= turn.recall_limit <= MAX_RECALL_LIMIT:
            raise InvalidInput(f"recall_limit must be between 1 and {MAX_RECALL_LIMIT}.")
        if turn.profile_tokens is not None and not MIN_PROFILE_TOKENS <= turn.profile_tokens <= MAX_PROFILE_TOKENS:
            raise InvalidInput(f"profile_tokens must be between {MIN_PROFILE_TOKENS} and {MAX_PROFILE_TOKENS}.")

    def _keep(
        self, owner: Owner, turn: Turn, fact: ExtractedFact, mode: MemoryMode, turn_id: str, min_salience: float
    ) -> Saved | SkippedFact:
        embedded = None
        if mode is MemoryMode.AUTO:
            # below the tenant's min_salience a fact is not worth keeping (greetings never get here; passing states do)
            if fact.importance < min_salience:
                return SkippedFact(fact.content, SkipReason.LOW_SALIENCE)
            nearest = self._search.closest(owner, fact.content)
            if nearest.memory_id is not None and nearest.similarity >= ALREADY_KNOWN_SIMILARITY:
                return SkippedFact(fact.content, SkipReason.ALREADY_KNOWN, existing_id=nearest.memory_id)
            embedded = (nearest.text, nearest.vector)
        cited = [i for i in fact.source_messages if 0 <= i < len(turn.messages)]
        refs = tuple(turn.messages[i].ref or f"turn:{turn_id}#{i}" for i in cited) or (f"turn:{turn_id}",)
        new = NewMemory(
            user_id=turn.user_id,
            content=fact.content,
            agent_id=turn.agent_id,
            thread_id=turn.thread_id,
            source=Source.CONVERSATION,
            importance=fact.importance,
            valence=fact.valence,
            topics=fact.topics,
            entities=tuple(Entity.named(e.name, e.type) for e in fact.entities),
            metadata={
                "extractor": self._extractor.name,
                "extractor_version": self._extractor.version,
                "fact_kind": fact.kind.value,
                "turn_id": turn_id,
            },
            source_refs=refs,
        )
        try:
            memory = self._memories.create(owner.tenant, new, embedded)
            return Saved(memory.id, memory.content)
        except DuplicateMemory as exc:
            return SkippedFact(fact.content, SkipReason.DUPLICATE, existing_id=exc.existing_id)
        except InvalidInput as exc:
            return SkippedFact(fact.content, SkipReason.INVALID, detail=exc.detail)

    def _recall(self, owner: Owner, turn: Turn, limit: int, exclude: set[str], scope: MemoryFilter) -> list[Recalled]:
        said = [m.content for m in turn.messages if m.role is Role.USER] or [turn.messages[-1].content]
        query = " ".join(said[-2:])[-MAX_QUERY_CHARS:].strip()
        if not query or not [word for word in query_terms(query) if word not in SMALL_TALK | STOPWORDS]:
            return []  # nothing asked: the nearest memories would be noise
        found: dict[str, Recalled] = {}
        result = self._search.search(owner, query, SearchMode.HYBRID, limit=limit, filters=scope, recall=False)
        for hit in result.hits:
            if hit.memory.id not in exclude:
                found[hit.memory.id] = Recalled(hit.memory.id, hit.memory.content, hit.score, "search")
        # A question often shares no word with the fact that answers it: the topics it touches bridge the gap.
        for topic in topics_of(query, limit=2):
            by_topic = MemoryFilter(agent_id=scope.agent_id, topic=topic)
            page = self._memories.list_memories(owner, by_topic, limit, None, 0)
            for memory in page.items:
                if memory.id not in exclude and memory.id not in found:
                    found[memory.id] = Recalled(memory.id, memory.content, TOPIC_MATCH_SCORE, "topic")
        return list(found.values())[:limit]
