"""A call: one request of the API and how its answer is read, free of any I/O; and the descriptor that lets the
sync and the async client send the same calls, so each operation is written once (in `_api`)."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, ParamSpec, Protocol, Self, TypeVar, overload
from urllib.parse import quote

import httpx
from pydantic import BaseModel
from pydantic_core import to_jsonable_python

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)
P = ParamSpec("P")
I_co = TypeVar("I_co", covariant=True)
R_co = TypeVar("R_co", covariant=True)


@dataclass(frozen=True)
class Call(Generic[R_co]):
    """One request and how its answer is read (covariant: a call of a MemoryPage is a call of a Page)."""

    method: str
    path: str
    read: Callable[[httpx.Response], R_co]
    params: dict[str, Any] = field(default_factory=dict)
    json: Any = None
    content: bytes | None = None
    content_type: str | None = None
    follow_redirect: bool = False


class Page(Protocol[I_co]):
    """A page of a listing: its items and the token of the next page (None on the last)."""

    @property
    def items(self) -> Sequence[I_co]: ...

    @property
    def next_token(self) -> str | None: ...


# The call of a listing's page after the one whose token is given (None: the first page).
Pages = Callable[[str | None], Call[Page[T]]]


class SyncSender(Protocol):
    def _send(self, call: Call[T], /) -> T: ...


class AsyncSender(Protocol):
    def _send(self, call: Call[T], /) -> Awaitable[T]: ...


class Endpoint(Generic[P, T]):
    """An operation as a client method: the builder's parameters, answered by the client's `_send`.

    On the sync client `client.get_memory(...)` returns the memory; on the async one, an awaitable of it.
    """

    def __init__(self, build: Callable[P, Call[T]]) -> None:
        self._build = build
        self.__doc__ = build.__doc__
        # What `inspect.signature` and `help` show for the method: the builder's parameters, not its Call answer.
        self._signature = inspect.signature(build).replace(return_annotation=inspect.Signature.empty)

    def __repr__(self) -> str:
        return f"<operation {self._build.__name__}{self._signature}>"

    @overload
    def __get__(self, client: None, owner: type[Any]) -> Self: ...

    @overload
    def __get__(self, client: SyncSender, owner: type[Any]) -> Callable[P, T]: ...

    @overload
    def __get__(self, client: AsyncSender, owner: type[Any]) -> Callable[P, Awaitable[T]]: ...

    def __get__(self, client: Any, owner: type[Any]) -> Any:
        if client is None:
            return self
        build = self._build

        @functools.wraps(build)
        def method(*args: Any, **kwargs: Any) -> Any:
            return client._send(build(*args, **kwargs))

        method.__signature__ = self._signature  # type: ignore[attr-defined]
        return method


def segment(value: str) -> str:
    """A path parameter, escaped: a user or thread id may hold '/', '?' or spaces."""
    return quote(value, safe="")


def query_params(values: Mapping[str, Any]) -> dict[str, Any]:
    """Query parameters without the ones left out; dates as ISO 8601, booleans as the server reads them."""
    params: dict[str, Any] = {}
    for name, value in values.items():
        if value is None:
            continue
        if isinstance(value, datetime):
            value = value.isoformat()
        elif isinstance(value, bool):
            value = "true" if value else "false"
        params[name] = value
    return params


def body(values: Mapping[str, Any]) -> dict[str, Any]:
    """A JSON body of the fields given (None meaning "leave out"), models and dates made JSON."""
    jsonable: dict[str, Any] = to_jsonable_python(
        {name: value for name, value in values.items() if value is not None}, exclude_none=True
    )
    return jsonable


def read_model(of: type[M]) -> Callable[[httpx.Response], M]:
    def read(response: httpx.Response) -> M:
        return of.model_validate_json(response.content)

    return read


def read_nothing(_: httpx.Response) -> None:
    return None


def read_bytes(response: httpx.Response) -> bytes:
    return response.content
