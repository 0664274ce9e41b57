"""What both clients share: configuration, how a call becomes a request, and when to try it again."""

from __future__ import annotations

import os
import random
import uuid
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx

from agent_memory_client._call import Call
from agent_memory_client._version import __version__
from agent_memory_client.errors import AgentMemoryError, ConnectionFailed, parse_retry_after

T = TypeVar("T")

DEFAULT_BASE_URL = "http://127.0.0.1:8080"
API_KEY_ENV = "AGENT_MEMORY_API_KEY"
API_KEY_HEADER = "X-API-Key"
IDEMPOTENCY_KEY_HEADER = "Idempotency-Key"
REDIRECTS = frozenset({301, 302, 303, 307, 308})
IN_PROGRESS = "idempotency_key_in_progress"  # the first attempt of this POST is still running: wait for its answer


@dataclass(frozen=True)
class RetryPolicy:
    """How failed attempts are tried again.

    Retried: 429 and 503 answers (after `Retry-After` when the server sends one, else exponential backoff with
    jitter: `backoff * 2**attempt`, at most `max_backoff`), 409 `idempotency_key_in_progress` (the first attempt is
    still running), and transport errors (refused, reset, timed out). A PATCH is retried only when it was never
    sent (a connect error): a conditional update could otherwise fail on its own first attempt.
    A POST carries one `Idempotency-Key` for all its attempts, so the server does the work once.
    """

    max_retries: int = 3
    backoff: float = 0.5
    max_backoff: float = 30.0
    max_retry_after: float = 120.0
    statuses: frozenset[int] = frozenset({429, 503})

    def backoff_delay(self, attempt: int) -> float:
        ceiling = min(self.max_backoff, self.backoff * 2**attempt)
        return random.uniform(ceiling / 2, ceiling)

    def delay(self, outcome: httpx.Response | httpx.TransportError, method: str, attempt: int) -> float | None:
        """Seconds to wait before the next attempt, or None when this outcome is the call's (answer or failure)."""
        if attempt >= self.max_retries:
            return None
        if isinstance(outcome, httpx.TransportError):
            if method == "PATCH" and not isinstance(outcome, httpx.ConnectError | httpx.ConnectTimeout):
                return None
            return self.backoff_delay(attempt)
        if not self._retryable(outcome):
            return None
        asked = parse_retry_after(outcome.headers.get("retry-after"))
        return self.backoff_delay(attempt) if asked is None else min(asked, self.max_retry_after)

    def _retryable(self, response: httpx.Response) -> bool:
        if response.status_code in self.statuses:
            return True
        return response.status_code == 409 and AgentMemoryError.from_response(response).code == IN_PROGRESS


NO_RETRIES = RetryPolicy(max_retries=0)


@dataclass(frozen=True)
class Settings:
    base_url: str
    api_key: str | None
    timeout: float
    retry: RetryPolicy
    user_agent: str

    @classmethod
    def of(cls, base_url: str | None, api_key: str | None, timeout: float, retry: RetryPolicy | None) -> Settings:
        return cls(
            base_url=(base_url or DEFAULT_BASE_URL).rstrip("/"),
            api_key=api_key if api_key is not None else os.environ.get(API_KEY_ENV),
            timeout=timeout,
            retry=retry or RetryPolicy(),
            user_agent=f"agent-memory-client-python/{__version__}",
        )

    def client_options(self) -> dict[str, Any]:
        """Options of the underlying httpx client. The key is sent per request, never to a redirect's host."""
        return {
            "base_url": self.base_url,
            "timeout": self.timeout,
            "headers": {"User-Agent": self.user_agent},
            "follow_redirects": False,
        }

    def headers(self, call: Call[Any]) -> dict[str, str]:
        """A call's headers, the same for each of its attempts (so a retried POST replays, never repeats)."""
        headers: dict[str, str] = {}
        if self.api_key:
            headers[API_KEY_HEADER] = self.api_key
        if call.method == "POST":
            headers[IDEMPOTENCY_KEY_HEADER] = str(uuid.uuid4())
        if call.content_type is not None:
            headers["Content-Type"] = call.content_type
        return headers

    def request(self, http: httpx.Client | httpx.AsyncClient, call: Call[Any]) -> httpx.Request:
        """The request of a call, built once and sent as is by each attempt."""
        return http.build_request(
            call.method,
            call.path,
            params=call.params or None,
            json=call.json,
            content=call.content,
            headers=self.headers(call),
        )

    @staticmethod
    def answer(call: Call[T], response: httpx.Response) -> T:
        """The call's answer, or the typed error of an error answer."""
        if response.status_code >= 400:
            raise AgentMemoryError.from_response(response)
        return call.read(response)


def redirect_request(http: httpx.Client | httpx.AsyncClient, response: httpx.Response) -> httpx.Request | None:
    """The plain GET of a redirect's target (an export's pre-signed URL): the API key is not sent along."""
    if response.status_code not in REDIRECTS or "location" not in response.headers:
        return None
    return http.build_request("GET", response.url.join(response.headers["location"]))


class Attempts:
    """The attempts of one call: one request (the same headers, so the same Idempotency-Key, each time), and after
    each outcome either a wait before the next attempt or the end: the answer, or ConnectionFailed."""

    def __init__(self, settings: Settings, http: httpx.Client | httpx.AsyncClient, call: Call[Any]) -> None:
        self.request = settings.request(http, call)
        self._retry = settings.retry
        self._call = call
        self._count = 0

    def wait(self, outcome: httpx.Response | httpx.TransportError) -> float | None:
        delay = self._retry.delay(outcome, self._call.method, self._count)
        self._count += 1
        return delay

    def last(self, outcome: httpx.Response | httpx.TransportError) -> httpx.Response:
        if isinstance(outcome, httpx.Response):
            return outcome
        message = f"{self._call.method} {self._call.path} got no answer after {self._count} attempt(s): {outcome!r}"
        raise ConnectionFailed(message) from outcome
