"""`agent-memory serve`: the HTTP API on one port, with a first dev key and the local job worker."""

from __future__ import annotations

import argparse
import socket
import sys
import time
from typing import Any

from agent_memory.adapters.local.blas import use_one_blas_thread
from agent_memory.adapters.local.private_files import write_private
from agent_memory.cli.common import runtime_for
from agent_memory.domain.errors import AgentMemoryError
from agent_memory.domain.models import Scope
from agent_memory.entry.local_sweeper import RetentionSweeper
from agent_memory.runtime import Runtime


def ensure_dev_key(runtime: Runtime) -> str | None:
    """On a store with no keys at all, create the `default` tenant's key and keep it in the data folder."""
    if runtime.keys.list_keys():
        return None
    plaintext, _ = runtime.keys.create("default", frozenset(Scope), name="dev")
    write_private(runtime.dev_key_path, plaintext + "\n")
    return plaintext


def warm_up(runtime: Runtime) -> None:
    """Load the local embedding model before taking requests, so the first one does not wait for it (a remote
    model has nothing to load)."""
    if runtime.config.embedder_name == "titan":
        return
    started = time.perf_counter()
    runtime.embedder.embed(["warm-up"])
    print(f"Embedding model {runtime.embedder.model_id} loaded in {time.perf_counter() - started:.1f} s")
    sys.stdout.flush()


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from agent_memory.http.app import create_app

    listening = listen(args.host, args.port)
    use_one_blas_thread()
    runtime = runtime_for(args)
    created = ensure_dev_key(runtime)
    if created is not None:
        print(f"Created an API key for tenant 'default' (shown once): {created}")
        print(f"It is saved in {runtime.dev_key_path} (readable by you only).")
    warm_up(runtime)
    resumed = runtime.worker.resume()  # jobs a previous process left queued or running continue here
    if resumed:
        print(f"Resuming {len(resumed)} unfinished job(s): {', '.join(resumed)}")
    sweeper = RetentionSweeper(lambda: runtime.retention.sweep(), runtime.config.retention_sweep_seconds)
    sweeper.start()
    base = f"http://{args.host}:{args.port}"
    print(f"agent-memory serving on {base}  (explorer: {base}/ui, docs: {base}/docs, data: {runtime.config.data_dir})")
    sys.stdout.flush()
    server = uvicorn.Server(uvicorn.Config(create_app(runtime), log_level=args.log_level))
    try:
        server.run(sockets=[listening])
    finally:
        sweeper.stop()
        listening.close()
        runtime.close()
    return 0


def listen(host: str, port: int) -> socket.socket:
    """Bind before announcing anything, so a busy port is a clear error rather than "serving" and an exit."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise PortUnavailable(
            f"Cannot listen on {host}:{port}: {exc.strerror}. Stop what uses it or pass --port."
        ) from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


class PortUnavailable(AgentMemoryError):
    status = 409
    code = "port_unavailable"
    title = "Port unavailable"


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Adds its commands to the `agent-memory` parser."""
    serve = sub.add_parser("serve", parents=[common], help="run the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument("--log-level", default="info")
    serve.set_defaults(func=cmd_serve)
