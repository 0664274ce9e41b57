"""`AgentMemory`: the synchronous client of the /v1 API."""

from __future__ import annotations

import time
from collections.abc import Iterator
from types import TracebackType
from typing import Any, TypeVar, Unpack

import httpx

from agent_memory_client import models as m
from agent_memory_client._api import Api, Polling, memory_pages, operation_pages
from agent_memory_client._call import Call, Pages
from agent_memory_client._transport import Attempts, RetryPolicy, Settings, redirect_request
from agent_memory_client.inputs import ListFilters, OperationFilters

T = TypeVar("T")


class AgentMemory(Api):
    """Sync client: `AgentMemory("http://127.0.0.1:8080", api_key=...)`; the key defaults to
    `$AGENT_MEMORY_API_KEY`.

    Every method raises an `AgentMemoryError` subclass on an error answer. 429/503 answers and connection errors
    are retried (see `RetryPolicy`); each POST carries one `Idempotency-Key` across its attempts.
    `transport` (an httpx transport) routes the requests yourself, e.g. through a proxy.
    """

    def __init__(
        self,
        base_url: str | None = None,
        api_key: str | None = None,
        *,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._settings = Settings.of(base_url, api_key, timeout, retry)
        self._http = httpx.Client(transport=transport, **self._settings.client_options())

    def __enter__(self) -> AgentMemory:
        return self

    def __exit__(self, *_: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def _send(self, call: Call[T]) -> T:
        attempts = Attempts(self._settings, self._http, call)
        while True:
            outcome = self._attempt(attempts.request)
            if (delay := attempts.wait(outcome)) is None:
                return self._settings.answer(call, self._redirected(call, attempts.last(outcome)))
            time.sleep(delay)

    def _attempt(self, request: httpx.Request) -> httpx.Response | httpx.TransportError:
        try:
            return self._http.send(request)
        except httpx.TransportError as error:
            return error

    def _redirected(self, call: Call[Any], response: httpx.Response) -> httpx.Response:
        target = redirect_request(self._http, response) if call.follow_redirect else None
        return response if target is None else self._http.send(target)

    def _walk(self, pages: Pages[T]) -> Iterator[T]:
        token: str | None = None
        while True:
            page = self._send(pages(token))
            yield from page.items
            if (token := page.next_token) is None:
                return

    def iter_memories(
        self, *, user_id: str, page_size: int = 100, **filters: Unpack[ListFilters]
    ) -> Iterator[m.Memory]:
        """Every matching memory, newest first, following the list's cursor page by page."""
        return self._walk(memory_pages(user_id=user_id, page_size=page_size, filters=filters))

    def iter_operations(self, *, page_size: int = 100, **filters: Unpack[OperationFilters]) -> Iterator[m.Operation]:
        """Every matching operation, newest first."""
        return self._walk(operation_pages(page_size=page_size, filters=filters))

    def wait_for_operation(
        self, operation: str | m.Operation, *, timeout: float = 300.0, interval: float = 0.5
    ) -> m.Operation:
        """Poll until the operation succeeded or failed (check `.status`); TimeoutError after `timeout` seconds."""
        polling = Polling(operation, timeout)
        while not polling.finished(current := self.get_operation(polling.operation_id)):
            time.sleep(interval)
        return current
