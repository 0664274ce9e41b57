"""The MCP server: the tools of `tools.py` on an `MCPServer`, over stdio or streamable HTTP, with one API client for
the life of the process."""

from __future__ import annotations

import socket
import sys
from dataclasses import dataclass
from typing import Literal, cast

import anyio
import uvicorn
from agent_memory_client import AsyncAgentMemory, __version__
from mcp.server.mcpserver import MCPServer
from mcp_types import ToolAnnotations

from agent_memory.mcp_server.tools import TOOL_NAMES, ActingFor, MemoryTools

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]
HTTP_PATH = "/mcp"
INSTRUCTIONS = (
    "Long-term memory of the user you are talking with. Call recall before answering anything that may depend on "
    "what you know about them, get_profile_context at the start of an open-ended task, and remember when they state "
    "a lasting fact or preference. forget when they ask you to, or a memory is wrong."
)
# Only these change what is stored; the model's client may ask before calling them.
WRITES = frozenset({"remember", "forget", "start_optimize"})
DESTRUCTIVE = frozenset({"forget"})


@dataclass(frozen=True)
class Connection:
    """The API the tools talk to, with which key, for whom."""

    base_url: str
    api_key: str | None
    acting_for: ActingFor


def build_server(tools: MemoryTools, log_level: LogLevel = "WARNING") -> MCPServer:
    server: MCPServer = MCPServer(
        name="agent-memory", version=__version__, instructions=INSTRUCTIONS, log_level=log_level
    )
    for name in TOOL_NAMES:
        hints = ToolAnnotations(
            read_only_hint=name not in WRITES, destructive_hint=name in DESTRUCTIVE, open_world_hint=False
        )
        tool = getattr(tools, name)
        # The docstring is the model's description, on one line (its indentation would only cost tokens).
        server.add_tool(tool, name=name, description=" ".join(tool.__doc__.split()), annotations=hints)
    return server


def serve(connection: Connection, log_level: str, listening: socket.socket | None = None) -> None:
    """Serve over stdio until the client closes it, or over streamable HTTP on `listening` (a bound socket) until the
    process is interrupted."""
    level = cast(LogLevel, log_level.upper())
    anyio.run(_serve, connection, level, listening)


async def _serve(connection: Connection, log_level: LogLevel, listening: socket.socket | None) -> None:
    async with AsyncAgentMemory(connection.base_url, api_key=connection.api_key) as api:
        server = build_server(MemoryTools(api, connection.acting_for, connection.base_url), log_level)
        if listening is None:
            await server.run_stdio_async()
            return
        host, port = listening.getsockname()[:2]
        app = server.streamable_http_app(streamable_http_path=HTTP_PATH, host=host)
        # As with stdio (where stdout is the protocol), what the server says goes to stderr.
        print(f"agent-memory MCP server on http://{host}:{port}{HTTP_PATH}", file=sys.stderr, flush=True)
        await uvicorn.Server(uvicorn.Config(app, log_level=log_level.lower())).serve(sockets=[listening])
