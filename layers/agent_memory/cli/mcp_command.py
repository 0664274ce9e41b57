"""`agent-memory mcp`: the memory tools for MCP clients (Claude Desktop, Cursor, other agents), over stdio or
streamable HTTP, talking to an agent-memory API (local or on AWS) as one configured user."""

from __future__ import annotations

import argparse
import contextlib
import os
from typing import Any

from agent_memory.cli.serve import listen
from agent_memory.domain.errors import AgentMemoryError

DEFAULT_BASE_URL = "http://127.0.0.1:8080"
URL_ENV = "AGENT_MEMORY_URL"
API_KEY_ENV = "AGENT_MEMORY_API_KEY"
USER_ID_ENV = "AGENT_MEMORY_USER_ID"
AGENT_ID_ENV = "AGENT_MEMORY_AGENT_ID"
INSTALL_HINT = "pip install -e '.[mcp]' -e clients/python (make install-dev does it)"
OPTIONAL_PACKAGES = frozenset({"mcp", "mcp_types", "agent_memory_client"})


class MissingUserId(AgentMemoryError):
    status = 422
    code = "missing_user_id"
    title = "Missing user id"


class McpNotInstalled(AgentMemoryError):
    status = 501
    code = "mcp_not_installed"
    title = "MCP support not installed"


def cmd_mcp(args: argparse.Namespace) -> int:
    # Only this command pays for the MCP SDK and the API client: both are imported here, when it runs.
    try:
        from agent_memory.mcp_server.server import Connection, serve
        from agent_memory.mcp_server.tools import ActingFor
    except ModuleNotFoundError as missing:
        package = (missing.name or "").partition(".")[0]
        if package not in OPTIONAL_PACKAGES:
            raise
        raise McpNotInstalled(f"`agent-memory mcp` needs the {package} package: {INSTALL_HINT}") from None
    connection = Connection(
        base_url=args.base_url or os.environ.get(URL_ENV) or DEFAULT_BASE_URL,
        api_key=args.api_key or os.environ.get(API_KEY_ENV) or None,
        acting_for=ActingFor(user_id=_user_id(args), agent_id=args.agent_id or os.environ.get(AGENT_ID_ENV) or None),
    )
    # Bound before anything is announced, so a busy port is a clear error (as for `agent-memory serve`).
    listening = listen(args.host, args.port) if args.transport == "http" else None
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C is how a terminal user stops it: no trace
        serve(connection, args.log_level, listening)
    return 0


def _user_id(args: argparse.Namespace) -> str:
    user_id = args.user_id or os.environ.get(USER_ID_ENV, "").strip()
    if not user_id:
        raise MissingUserId(
            f"The MCP server acts for one user: pass --user-id or set {USER_ID_ENV} (the tools never take a user id"
            " from the model)."
        )
    return str(user_id)


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Adds its command to the `agent-memory` parser (it reads no data folder: it talks to the API)."""
    mcp = sub.add_parser("mcp", help="serve the memory tools to MCP clients (stdio or streamable HTTP)")
    mcp.add_argument("--transport", choices=["stdio", "http"], default="stdio", help="default: stdio")
    mcp.add_argument("--host", default="127.0.0.1", help="for --transport http (default: 127.0.0.1)")
    mcp.add_argument("--port", type=int, default=8000, help="for --transport http (default: 8000)")
    mcp.add_argument("--base-url", help=f"the agent-memory API (default: ${URL_ENV}, else {DEFAULT_BASE_URL})")
    mcp.add_argument("--api-key", help=f"its API key (default: ${API_KEY_ENV})")
    mcp.add_argument("--user-id", help=f"the user every tool acts for (default: ${USER_ID_ENV}; required)")
    mcp.add_argument("--agent-id", help=f"the assistant memories are saved under (default: ${AGENT_ID_ENV})")
    mcp.add_argument("--log-level", default="warning", choices=["debug", "info", "warning", "error"])
    mcp.set_defaults(func=cmd_mcp)
