"""The MCP tools: each is one or two requests of the API for the configured user, answered compactly.

The docstrings are the descriptions the model reads (when to use the tool, what it returns); the parameters'
descriptions are in their annotations. No tool takes a user id: the server acts for the user it was started for.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from agent_memory_client import (
    AgentMemoryError,
    AsyncAgentMemory,
    ConnectionFailed,
    DuplicateMemory,
    Forbidden,
    Memory,
    Operation,
    Unauthorized,
)
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import Field

TOOL_NAMES = (
    "remember",
    "recall",
    "list_memories",
    "forget",
    "get_profile_context",
    "start_optimize",
    "get_operation",
)
PROFILE_SCAN = 500  # newest memories read for the profile; the budget then picks the most important of them
PROFILE_HEADER = "Standing facts about this user:"
TOP_TOPICS = 10
RESULT_ITEMS = 10  # entries of each list in a finished operation's result (the counts stay complete)

Content = Annotated[
    str, Field(min_length=1, description="The fact, one third-person sentence: 'Prefers window seats on long flights'.")
]
Topics = Annotated[list[str] | None, Field(description="Up to 20 short labels, e.g. ['travel'].")]
Metadata = Annotated[dict[str, Any] | None, Field(description="Any JSON object to keep with the memory.")]
Importance = Annotated[
    float | None, Field(ge=0, le=1, description="How much it matters (allergies: high; passing moods: low).")
]
Query = Annotated[str, Field(min_length=1, description="What to look for, in words: 'where does the user live'.")]
RecallLimit = Annotated[int, Field(ge=1, le=20, description="How many memories at most.")]
PageLimit = Annotated[int, Field(ge=1, le=100, description="How many memories per page.")]
Topic = Annotated[str | None, Field(description="Only memories carrying this topic label.")]
Cursor = Annotated[str | None, Field(description="The next_cursor of the previous page.")]
MemoryId = Annotated[str, Field(min_length=1, description="The memory's id, from recall or list_memories.")]
Budget = Annotated[int, Field(ge=50, le=4000, description="Size of the context in tokens (about 4 characters).")]
DryRun = Annotated[bool, Field(description="true: only report what it would change.")]
OperationId = Annotated[str, Field(min_length=1, description="The operation_id start_optimize returned.")]


@dataclass(frozen=True)
class ActingFor:
    """Whom every call is about: the configured user, and the assistant that saves memories (if one is named)."""

    user_id: str
    agent_id: str | None = None


class MemoryTools:
    """The tools, bound to one API client and one user."""

    def __init__(self, api: AsyncAgentMemory, acting_for: ActingFor, base_url: str) -> None:
        self._api = api
        self._user = acting_for.user_id
        self._agent = acting_for.agent_id
        self._base_url = base_url

    async def remember(
        self, content: Content, topics: Topics = None, metadata: Metadata = None, importance: Importance = None
    ) -> dict[str, Any]:
        """Save one durable fact about the user (a preference, plan, relationship or fact they stated) for later
        conversations. Not for questions, greetings or anything the user did not say. Returns the memory's id;
        if the user already has this fact, returns the existing id with stored: false (nothing to retry)."""
        fields = present({"topics": topics, "metadata": metadata, "importance": importance, "agent_id": self._agent})
        with api_errors(self._base_url):
            try:
                saved = await self._api.create_memory(self._user, content, source="agent", **fields)
            except DuplicateMemory as duplicate:
                return {"id": duplicate.existing_id, "stored": False, "note": "Already remembered: nothing new stored."}
        return {"id": saved.id, "stored": True}

    async def recall(self, query: Query, limit: RecallLimit = 5) -> dict[str, Any]:
        """Search the user's memories by meaning and keyword. Use before answering anything that may depend on
        what you know about the user. Returns the best matches first, with a relevance score and the matched words
        in **bold** (highlights)."""
        with api_errors(self._base_url):
            found = await self._api.search(query, user_id=self._user, limit=limit)
        hits = []
        for hit in found.results:
            each = {**brief(hit.memory), "score": round(hit.score, 4)}
            if hit.highlights:
                each["highlights"] = hit.highlights
            hits.append(each)
        return {"memories": hits, "total": found.total}

    async def list_memories(self, topic: Topic = None, limit: PageLimit = 20, cursor: Cursor = None) -> dict[str, Any]:
        """List the user's memories, newest first, optionally of one topic. Returns one page and next_cursor
        (null on the last page): pass it back as cursor, with the same topic, for the next."""
        with api_errors(self._base_url):
            page = await self._api.list_memories(
                user_id=self._user, limit=limit, cursor=cursor, **present({"topic": topic})
            )
        return {
            "memories": [brief(memory) for memory in page.items],
            "total": page.total,
            "next_cursor": page.next_cursor,
        }

    async def forget(self, memory_id: MemoryId) -> dict[str, Any]:
        """Delete one memory (and its history) for good, e.g. when the user asks you to forget it or it is wrong.
        Returns the id that was forgotten."""
        with api_errors(self._base_url):
            await self._api.delete_memory(memory_id, user_id=self._user)
        return {"id": memory_id, "forgotten": True}

    async def get_profile_context(self, max_tokens: Budget = 500) -> dict[str, Any]:
        """The user's standing facts, ready to put in front of a request that names no fact ("draft an email to my
        manager"): all of them when they fit max_tokens, else the most important, then the most recent. Also how
        many memories the user has and their main topics. Reads only; for a specific question use recall."""
        with api_errors(self._base_url):
            memories = [memory async for memory in self._newest(PROFILE_SCAN)]
            overview = await self._overview()
        facts = standing_facts(memories, max_tokens)
        context = "\n".join([PROFILE_HEADER, *(f"- {memory.content}" for memory in facts)]) if facts else ""
        return {"context": context, "facts": len(facts), **overview}

    async def start_optimize(self, dry_run: DryRun = False) -> dict[str, Any]:
        """Start cleaning up the user's memories in the background: merge duplicates, let newer facts supersede the
        ones they contradict, refresh topics. Returns an operation_id at once; follow it with get_operation. If one
        is already running for the user, returns that one."""
        with api_errors(self._base_url):
            operation = await self._api.start_job("optimize", user_id=self._user, dry_run=dry_run or None)
        return {"operation_id": operation.operation_id, "kind": operation.kind, "status": operation.status}

    async def get_operation(self, operation_id: OperationId) -> dict[str, Any]:
        """How a background job (from start_optimize) is going: status (queued, running, succeeded, failed),
        progress, counts, and once finished its result (or error)."""
        with api_errors(self._base_url):
            operation = await self._api.get_operation(operation_id)
        return operation_summary(operation)

    async def _newest(self, at_most: int) -> AsyncIterator[Memory]:
        count = 0
        async for memory in self._api.iter_memories(user_id=self._user, page_size=100):
            yield memory
            count += 1
            if count >= at_most:
                return

    async def _overview(self) -> dict[str, Any]:
        """How many memories the user has and their most used topics; nothing for a key bound to an agent (user-wide
        statistics are not its to read)."""
        try:
            stats = await self._api.stats(user_id=self._user)
        except Forbidden:
            return {}
        ranked = sorted(stats.by_topic.items(), key=lambda item: (-item[1], item[0]))
        return {"total_memories": stats.total_memories, "topics": dict(ranked[:TOP_TOPICS])}


def present(values: dict[str, Any]) -> dict[str, Any]:
    """The optional arguments that were given (the API's defaults apply to the others)."""
    return {name: value for name, value in values.items() if value is not None}


def brief(memory: Memory) -> dict[str, Any]:
    """What a model needs of a memory: its id (to forget it), words, topics and when it was first stored."""
    each: dict[str, Any] = {"id": memory.id, "content": memory.content, "created": memory.created_at.date().isoformat()}
    if memory.topics:
        each["topics"] = memory.topics
    return each


def standing_facts(memories: list[Memory], budget_tokens: int) -> list[Memory]:
    """Every memory when all fit the budget (tokens ≈ characters / 4), else the most important, then the most
    recently changed, that do: the rule of the conversation turn's `profile` (docs/api.md)."""
    ranked = sorted(memories, key=lambda memory: (-memory.importance, -memory.updated_at.timestamp(), memory.id))
    chosen, used = [], 0
    for memory in ranked:
        cost = math.ceil(len(memory.content) / 4)
        if used + cost <= budget_tokens:
            chosen.append(memory)
            used += cost
    return chosen


def operation_summary(operation: Operation) -> dict[str, Any]:
    summary: dict[str, Any] = {
        "operation_id": operation.operation_id,
        "kind": operation.kind,
        "status": operation.status,
        "progress": operation.progress.model_dump(exclude_none=True),
        "counts": operation.counts,
    }
    if operation.error:
        summary["error"] = operation.error
    if operation.finished and operation.result:
        summary["result"] = {
            name: value[:RESULT_ITEMS] if isinstance(value, list) else value for name, value in operation.result.items()
        }
    return summary


@contextlib.contextmanager
def api_errors(base_url: str) -> Iterator[None]:
    """The API's refusals as tool errors the model can read and act on (no stack trace reaches it)."""
    try:
        yield
    except ConnectionFailed:
        raise ToolError(f"The agent-memory API at {base_url} did not answer; is it running?") from None
    except AgentMemoryError as error:
        raise ToolError(refusal(error)) from None


def refusal(error: AgentMemoryError) -> str:
    message = f"agent-memory refused the request ({error.status} {error.code}): {error.detail}"
    problems = [f"{'.'.join(str(part) for part in item.get('loc', []))}: {item.get('msg')}" for item in error.errors]
    if problems:
        message += f" ({'; '.join(problems)})"
    if isinstance(error, Unauthorized):
        message += " Check the key the MCP server was started with (--api-key or AGENT_MEMORY_API_KEY)."
    return message
