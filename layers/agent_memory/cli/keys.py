"""`agent-memory keys create|list|revoke`."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from agent_memory.cli.common import print_json, runtime_for
from agent_memory.domain.models import ApiKeyRecord
from agent_memory.services.keys import parse_scopes


def _key_json(record: ApiKeyRecord) -> dict[str, Any]:
    return {
        "key_id": record.key_id,
        "tenant": record.tenant,
        "scopes": sorted(s.value for s in record.scopes),
        "name": record.name,
        "user_id": record.user_id,
        "agent_id": record.agent_id,
        "created_at": record.created_at.isoformat(),
        "revoked_at": None if record.revoked_at is None else record.revoked_at.isoformat(),
    }


def cmd_keys_create(args: argparse.Namespace) -> int:
    runtime = runtime_for(args)
    scopes = parse_scopes(args.scopes.split(","))
    plaintext, record = runtime.keys.create(
        args.tenant, scopes, name=args.name, user_id=args.user_id, agent_id=args.agent_id
    )
    if args.json:
        print_json({"api_key": plaintext, **_key_json(record)})
    else:
        print(plaintext)
        bound = "".join(f" {name}={value}" for name, value in (("user_id", args.user_id), ("agent_id", args.agent_id)))
        print(
            f"key_id={record.key_id} tenant={record.tenant} scopes={','.join(sorted(s.value for s in scopes))}{bound}"
            " (the key is shown only once)",
            file=sys.stderr,
        )
    return 0


def cmd_keys_list(args: argparse.Namespace) -> int:
    print_json([_key_json(r) for r in runtime_for(args).keys.list_keys(args.tenant)])
    return 0


def cmd_keys_revoke(args: argparse.Namespace) -> int:
    runtime_for(args).keys.revoke(args.key_id)
    print(f"revoked {args.key_id}")
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Adds its commands to the `agent-memory` parser."""
    keys = sub.add_parser("keys", help="manage API keys").add_subparsers(dest="keys_command", required=True)
    create = keys.add_parser(
        "create",
        parents=[common],
        help="create a key (printed once)",
        description="Create an API key. Clients send it as `X-API-Key: <key>` or `Authorization: Bearer <key>`.",
    )
    create.add_argument("--tenant", required=True)
    create.add_argument("--scopes", default="read,write", help="comma-separated: read, write, admin")
    create.add_argument("--name")
    create.add_argument(
        "--user-id",
        help="bind the key to this user: requests that omit user_id are about this user, and no other user can be"
        " reached with it (403)",
    )
    create.add_argument(
        "--agent-id",
        help="with --user-id: bind the key to this agent of the user as well: it reads and changes only this agent's"
        " memories, and operations on all of the user's memories (jobs, clear, export, stats, topics) are refused",
    )
    create.add_argument("--json", action="store_true")
    create.set_defaults(func=cmd_keys_create)
    listing = keys.add_parser("list", parents=[common], help="list keys (never their secret)")
    listing.add_argument("--tenant")
    listing.set_defaults(func=cmd_keys_list)
    revoke = keys.add_parser("revoke", parents=[common], help="revoke a key by key_id")
    revoke.add_argument("key_id")
    revoke.set_defaults(func=cmd_keys_revoke)
