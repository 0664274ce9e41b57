"""`AsyncAgentMemory`: the asyncio client of the /v1 API; the same methods as `AgentMemory`, awaited."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from types import TracebackType
from typing import Any, TypeVar, Unpack

import httpx

from agent_memory_client import models as m
from agent_memory_client._api import Api, Polling, memory_pages, operation_pages
from agent_memory_client._call import Call, Pages
from agent_memory_client._transport import Attempts, RetryPolicy, Settings, redirect_request
from agent_memory_client.inputs import ListFilters, OperationFilters

T = TypeVar("T")


class AsyncAgentMemory(Api):
    """Async client: `async with AsyncAgentMemory(base_url, api_key=...) as memory: await memory.search(...)`.

    Same behaviour as `AgentMemory`: typed errors, retries with backoff honouring `Retry-After`, one
    `Idempotency-Key` per POST across its attempts.
    """

    def __init__(
        self,
        base_url: str | None = None,
        api_key: str | None = None,
        *,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._settings = Settings.of(base_url, api_key, timeout, retry)
        self._http = httpx.AsyncClient(transport=transport, **self._settings.client_options())

    async def __aenter__(self) -> AsyncAgentMemory:
        return self

    async def __aexit__(self, *_: type[BaseException] | BaseException | TracebackType | None) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _send(self, call: Call[T]) -> T:
        attempts = Attempts(self._settings, self._http, call)
        while True:
            outcome = await self._attempt(attempts.request)
            if (delay := attempts.wait(outcome)) is None:
                return self._settings.answer(call, await self._redirected(call, attempts.last(outcome)))
            await asyncio.sleep(delay)

    async def _attempt(self, request: httpx.Request) -> httpx.Response | httpx.TransportError:
        try:
            return await self._http.send(request)
        except httpx.TransportError as error:
            return error

    async def _redirected(self, call: Call[Any], response: httpx.Response) -> httpx.Response:
        target = redirect_request(self._http, response) if call.follow_redirect else None
        return response if target is None else await self._http.send(target)

    async def _walk(self, pages: Pages[T]) -> AsyncIterator[T]:
        token: str | None = None
        while True:
            page = await self._send(pages(token))
            for item in page.items:
                yield item
            if (token := page.next_token) is None:
                return

    def iter_memories(
        self, *, user_id: str, page_size: int = 100, **filters: Unpack[ListFilters]
    ) -> AsyncIterator[m.Memory]:
        """Every matching memory, newest first, following the list's cursor page by page (`async for`)."""
        return self._walk(memory_pages(user_id=user_id, page_size=page_size, filters=filters))

    def iter_operations(
        self, *, page_size: int = 100, **filters: Unpack[OperationFilters]
    ) -> AsyncIterator[m.Operation]:
        """Every matching operation, newest first (`async for`)."""
        return self._walk(operation_pages(page_size=page_size, filters=filters))

    async def wait_for_operation(
        self, operation: str | m.Operation, *, timeout: float = 300.0, interval: float = 0.5
    ) -> m.Operation:
        """Poll until the operation succeeded or failed (check `.status`); TimeoutError after `timeout` seconds."""
        polling = Polling(operation, timeout)
        while not polling.finished(current := await self.get_operation(polling.operation_id)):
            await asyncio.sleep(interval)
        return current
