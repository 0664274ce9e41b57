"""`agent-memory mcp` against a real `agent-memory serve` process (conftest), through the official MCP client: the
command spawned over stdio (one session shared by the module), and over streamable HTTP on a free port.

No mock of the API: every tool call goes MCP client → MCP server process → HTTP → agent-memory server. The shared
session acts for one user; each test remembers the facts it checks.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client

from agent_memory.bench.server_process import free_port
from agent_memory.cli import mcp_command as command

pytestmark = pytest.mark.anyio

USER = "mira"
TOOLS = {"remember", "recall", "list_memories", "forget", "get_profile_context", "start_optimize", "get_operation"}
# What the MCP server process may see of this one: nothing of the test run's own agent-memory settings.
INHERITED = ("PATH", "HOME", "SYSTEMROOT", "AGENT_MEMORY_EMBEDDER")


@pytest.fixture(scope="module")
def anyio_backend() -> str:
    return "asyncio"


def mcp_command(*options: str) -> list[str]:
    return ["-m", "agent_memory.cli", "mcp", *options]


def environment(**settings: str) -> dict[str, str]:
    inherited = {name: os.environ[name] for name in INHERITED if name in os.environ}
    return {**inherited, "PYTHONUNBUFFERED": "1", **settings}


def stdio_parameters(server, user_id: str = USER, api_key: str | None = None) -> StdioServerParameters:
    env = environment(AGENT_MEMORY_URL=server.base_url, AGENT_MEMORY_API_KEY=api_key or server.admin_key)
    return StdioServerParameters(command=sys.executable, args=mcp_command("--user-id", user_id), env=env)


async def call(session: ClientSession, tool: str, **arguments: Any) -> dict[str, Any]:
    """A tool's answer as JSON; a tool error fails the test with the message the model would read."""
    result = await session.call_tool(tool, arguments)
    text = "".join(getattr(block, "text", "") for block in result.content)
    assert not result.is_error, f"{tool} failed: {text}"
    answer: dict[str, Any] = json.loads(text)
    return answer


async def tool_error(session: ClientSession, tool: str, **arguments: Any) -> str:
    result = await session.call_tool(tool, arguments)
    assert result.is_error, f"{tool} succeeded: {result.content}"
    return "".join(getattr(block, "text", "") for block in result.content)


@pytest.fixture(scope="module")
async def session(server, anyio_backend) -> AsyncIterator[ClientSession]:
    async with stdio_client(stdio_parameters(server)) as (read, write), ClientSession(read, write) as client:
        await client.initialize()
        yield client


async def test_given_the_stdio_server_when_tools_are_listed_then_all_seven_are_described_and_none_takes_a_user(
    session,
) -> None:
    # When the tools are listed
    listed = (await session.list_tools()).tools
    # Then the seven are there, each described for the model, and none lets the model name a user
    assert {tool.name for tool in listed} == TOOLS
    for tool in listed:
        assert len(tool.description or "") > 80 and "\n" not in (tool.description or ""), tool.name
        assert "user_id" not in tool.input_schema.get("properties", {}), tool.name
    remember = next(tool for tool in listed if tool.name == "remember")
    assert remember.input_schema["required"] == ["content"]


async def test_given_a_remembered_fact_when_recalled_then_it_is_found_with_a_score_and_highlights(session) -> None:
    # Given a fact the model remembers
    saved = await call(session, "remember", content="Keeps bees on the roof of her flat", topics=["hobbies"])
    assert saved["stored"] is True and saved["id"]
    # When the model recalls by other words
    found = await call(session, "recall", query="bees roof", limit=3)
    # Then the fact comes first, compactly, with its score and the matched words marked
    best = found["memories"][0]
    assert best["id"] == saved["id"] and best["content"] == "Keeps bees on the roof of her flat"
    assert best["score"] > 0 and best["topics"] == ["hobbies"] and any("**" in h for h in best["highlights"])
    assert set(best) <= {"id", "content", "created", "topics", "score", "highlights"}


async def test_given_a_known_fact_when_remembered_again_then_the_existing_id_comes_back_as_not_stored(session) -> None:
    # Given a fact already remembered
    first = await call(session, "remember", content="Allergic to hazelnuts", importance=0.9)
    # When the same fact, written differently, is remembered again
    again = await call(session, "remember", content="allergic to  HAZELNUTS")
    # Then it is no failure: the answer names the memory that exists and says nothing new was stored
    assert again["id"] == first["id"] and again["stored"] is False and "Already remembered" in again["note"]


async def test_given_memories_of_a_topic_when_listed_page_by_page_then_forget_removes_one(session) -> None:
    # Given three memories of one topic
    ids = [
        (await call(session, "remember", content=c, topics=["garden"]))["id"]
        for c in ("Grows tomatoes", "Grows basil", "Grows mint")
    ]
    # When they are listed two at a time, following the cursor
    first = await call(session, "list_memories", topic="garden", limit=2)
    second = await call(session, "list_memories", topic="garden", limit=2, cursor=first["next_cursor"])
    # Then each comes once, newest first
    assert [m["id"] for m in first["memories"] + second["memories"]] == ids[::-1]
    assert first["total"] == 3 and second["next_cursor"] is None
    # When one is forgotten
    assert await call(session, "forget", memory_id=ids[0]) == {"id": ids[0], "forgotten": True}
    # Then it is gone from the list, and forgetting it again is a clear tool error
    remaining = await call(session, "list_memories", topic="garden")
    assert [m["id"] for m in remaining["memories"]] == ids[:0:-1]
    message = await tool_error(session, "forget", memory_id=ids[0])
    assert "404" in message and "not_found" in message and "Traceback" not in message


async def test_given_standing_facts_when_the_profile_is_asked_then_they_come_as_a_context_block(session) -> None:
    # Given an important fact and long, minor ones
    await call(session, "remember", content="Works as a marine biologist", topics=["work"], importance=0.95)
    for place in ("Lisbon", "Porto", "Faro"):
        minor = f"Once spent a long and rainy afternoon in a small cafe in {place} reading an old paperback novel"
        await call(session, "remember", content=minor, importance=0.05)
    # When the model asks for the profile context with room for everything
    profile = await call(session, "get_profile_context", max_tokens=4000)
    # Then it holds the facts under one header, with the user's topics
    assert profile["context"].startswith("Standing facts about this user:\n- ")
    assert "- Works as a marine biologist" in profile["context"].splitlines()
    assert (
        "- Once spent a long and rainy afternoon in a small cafe in Faro reading an old paperback novel"
        in profile["context"].splitlines()
    )
    assert profile["total_memories"] >= profile["facts"] >= 4 and profile["topics"]["work"] >= 1
    # And a small budget keeps the most important ones
    small = await call(session, "get_profile_context", max_tokens=50)
    assert small["facts"] < profile["facts"] and "Works as a marine biologist" in small["context"]
    assert "Faro" not in small["context"]


async def test_given_a_started_optimize_when_its_operation_is_read_then_status_and_progress_come_back(session) -> None:
    # Given a fact, and an optimize job started by the model
    await call(session, "remember", content="Swims in the sea every morning")
    started = await call(session, "start_optimize")
    assert started["kind"] == "optimize" and started["status"] in {"queued", "running"}
    # When its operation is read until it finishes
    deadline = time.monotonic() + 30
    while (operation := await call(session, "get_operation", operation_id=started["operation_id"]))["status"] in {
        "queued",
        "running",
    }:
        assert time.monotonic() < deadline, operation
        await anyio.sleep(0.2)
    # Then it succeeded, with its progress and counts
    assert operation["status"] == "succeeded", operation
    assert operation["operation_id"] == started["operation_id"] and "phases" in operation["progress"]
    assert operation["counts"]["memories"] >= 1
    # And an unknown operation is a clear tool error
    assert "404" in await tool_error(session, "get_operation", operation_id="01NOSUCHOPERATION0000000000")


async def test_given_a_wrong_or_read_only_key_when_a_tool_is_called_then_the_error_says_what_was_refused(
    server,
) -> None:
    # Given MCP servers started with a key the API does not know, and with a key that may only read
    for key, tool, arguments, expected in (
        ("am_not_a_real_key", "recall", {"query": "anything"}, ("401", "AGENT_MEMORY_API_KEY")),
        (server.reader_key, "remember", {"content": "Likes figs"}, ("403", "write")),
    ):
        async with (
            stdio_client(stdio_parameters(server, api_key=key)) as (read, write),
            ClientSession(read, write) as c,
        ):
            await c.initialize()
            # When a tool is called
            message = await tool_error(c, tool, **arguments)
        # Then the tool error names the refusal and what to check, without a stack trace or the key
        assert all(part in message for part in expected), message
        assert "Traceback" not in message and key not in message


def run_command(server, *options: str) -> subprocess.CompletedProcess[str]:
    env = environment(AGENT_MEMORY_URL=server.base_url, AGENT_MEMORY_API_KEY=server.admin_key)
    command = [sys.executable, *mcp_command(*options)]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)


def test_given_no_user_id_when_the_command_starts_then_it_exits_with_a_clear_message(server) -> None:
    # Given neither --user-id nor AGENT_MEMORY_USER_ID, when the command starts
    done = run_command(server)
    # Then it exits 2 with one line saying what to set, and never prints the key
    assert done.returncode == 2, done.stderr
    assert "--user-id" in done.stderr and command.USER_ID_ENV in done.stderr and "Traceback" not in done.stderr
    assert server.admin_key not in done.stderr + done.stdout


def test_given_a_busy_port_when_the_http_transport_starts_then_it_exits_with_a_clear_message(server) -> None:
    # Given a port something else listens on
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        # When the HTTP transport is started on it
        done = run_command(server, "--transport", "http", "--port", str(taken.getsockname()[1]), "--user-id", "x")
    # Then it exits 2 saying so, before announcing anything
    assert done.returncode == 2 and "port_unavailable" in done.stderr and "MCP server on" not in done.stderr


@pytest.fixture(scope="module")
def http_mcp(server) -> Iterator[str]:
    """`agent-memory mcp --transport http` on a free loopback port, acting for its own user."""
    port = free_port()
    command = [sys.executable, *mcp_command("--transport", "http", "--port", str(port), "--user-id", "noor")]
    env = environment(AGENT_MEMORY_URL=server.base_url, AGENT_MEMORY_API_KEY=server.admin_key)
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_listening(process, port)
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        process.terminate()
        process.wait(timeout=15)
        assert process.stderr is not None
        process.stderr.close()


def wait_listening(process: subprocess.Popen[bytes], port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            assert process.stderr is not None
            raise RuntimeError(f"the MCP server exited {process.returncode}: {process.stderr.read().decode()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)  # a process that is starting: there is no event to wait on
    raise TimeoutError(f"the MCP server did not listen on {port} within {timeout} s")


async def test_given_the_http_transport_when_a_client_remembers_and_recalls_then_it_works_as_over_stdio(
    http_mcp, server
) -> None:
    # Given an MCP client connected over streamable HTTP
    async with streamable_http_client(http_mcp) as (read, write), ClientSession(read, write) as client:
        await client.initialize()
        # When it lists the tools, remembers and recalls
        assert {tool.name for tool in (await client.list_tools()).tools} == TOOLS
        saved = await call(client, "remember", content="Sails a small dinghy on weekends")
        found = await call(client, "recall", query="dinghy")
    # Then the fact was stored for the server's own user, and found again
    assert [m["id"] for m in found["memories"]] == [saved["id"]]
    with server.client() as api:
        assert api.get_memory(saved["id"], user_id="noor").source == "agent"


def test_given_the_readme_when_its_client_configuration_is_read_then_it_starts_this_command_with_its_settings() -> None:
    # Given the README's MCP client configuration
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- mcp-config:start -->")[1].split("<!-- mcp-config:end -->")[0]
    # When it is read as the client reads it
    configured = json.loads(block.strip().removeprefix("```json").removesuffix("```"))["mcpServers"]["agent-memory"]
    # Then it runs `agent-memory mcp` with the settings the command reads
    assert configured["command"].endswith("/agent-memory") and configured["args"] == ["mcp"]
    assert set(configured["env"]) == {command.URL_ENV, command.API_KEY_ENV, command.USER_ID_ENV}
    assert configured["env"][command.URL_ENV] == command.DEFAULT_BASE_URL
