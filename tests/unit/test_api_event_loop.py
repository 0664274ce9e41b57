"""The API functions' adapter (Mangum) runs each request on the thread's current event loop: the handler makes sure
there is one, whatever ran in the process before (asyncio.run leaves none; a closed one is replaced)."""

from __future__ import annotations

import asyncio

from agent_memory.entry.api import _ensure_event_loop


def test_given_no_current_event_loop_when_ensured_then_the_thread_has_an_open_one() -> None:
    asyncio.set_event_loop(None)

    _ensure_event_loop()

    assert not asyncio.get_event_loop().is_closed()


def test_given_a_closed_event_loop_when_ensured_then_it_is_replaced() -> None:
    closed = asyncio.new_event_loop()
    asyncio.set_event_loop(closed)
    closed.close()

    _ensure_event_loop()

    loop = asyncio.get_event_loop()
    assert loop is not closed and not loop.is_closed()
