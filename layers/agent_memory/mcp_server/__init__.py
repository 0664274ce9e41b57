"""agent-memory as an MCP server: its tools for agents (Claude Desktop, Cursor, any MCP client), served over stdio or
streamable HTTP by `agent-memory mcp`.

It is a client of the HTTP API (through `agent_memory_client`), acting for one configured user with one API key, so
it works the same against a local server and an AWS deployment. Nothing here is imported unless that command runs:
it needs the `mcp` extra and the Python SDK.
"""
