"""Data rights without HTTP: export, import, clear and erase (any size: exports stream to a file, imports read one
line at a time)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from agent_memory.cli.common import print_json, runtime_for
from agent_memory.domain.models import Owner
from agent_memory.services.portability import ExportFormat

ERASE_POLL_SECONDS = 0.2


def cmd_export(args: argparse.Namespace) -> int:
    chunks = runtime_for(args).portability.export(args.tenant, args.user_id, ExportFormat(args.format))
    if args.output == "-":
        for chunk in chunks:
            sys.stdout.buffer.write(chunk)
        return 0
    written = 0
    with Path(args.output).open("wb") as out:
        for chunk in chunks:
            written += out.write(chunk)
    print(f"exported {written} bytes to {args.output}", file=sys.stderr)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    portability = runtime_for(args).portability
    with Path(args.file).open("rb") as source:
        first = source.read(1).lstrip()
        source.seek(0)
        if first == b"{" and args.file.endswith(".json"):
            report = portability.import_document(args.tenant, source.read())
        else:
            report = portability.import_lines(args.tenant, source)
    print_json(
        {"imported": report.imported, "skipped": report.skipped, "skips": report.skips, "ignored": report.ignored}
    )
    return 0


def cmd_clear(args: argparse.Namespace) -> int:
    data_rights = runtime_for(args).data_rights
    if args.all_users:
        cleared = data_rights.clear_tenant(args.tenant, args.confirm)
    else:
        cleared = data_rights.clear_user(Owner(args.tenant, args.user_id), args.confirm)
    print_json({"cleared": cleared})
    return 0


def cmd_erase(args: argparse.Namespace) -> int:
    """Starts the erasure and, the worker living in this process, waits for its receipt."""
    runtime = runtime_for(args)
    operation, _ = runtime.data_rights.erase_user(args.tenant, args.user_id)
    while not operation.status.finished:
        time.sleep(ERASE_POLL_SECONDS)
        operation = runtime.operations.get(args.tenant, operation.id)
    receipt: dict[str, Any] = {
        "operation_id": operation.id,
        "status": operation.status.value,
        "erased": operation.counts,
        **operation.result,
    }
    if operation.error:
        receipt["error"] = operation.error
    print_json(receipt)
    return 0 if operation.status.value == "succeeded" else 1


def cmd_retention_sweep(args: argparse.Namespace) -> int:
    print_json(runtime_for(args).retention.sweep())
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Adds its commands to the `agent-memory` parser."""
    tenant = argparse.ArgumentParser(add_help=False, parents=[common])
    tenant.add_argument("--tenant", default="default")

    export = sub.add_parser("export", parents=[tenant], help="export memories with history, settings, operations")
    export.add_argument("--user-id", help="one user (default: every user of the tenant)")
    export.add_argument("--format", default="ndjson", choices=[f.value for f in ExportFormat])
    export.add_argument("--output", "-o", default="-", help="file to write (default: standard output)")
    export.set_defaults(func=cmd_export)

    importer = sub.add_parser("import", parents=[tenant], help="import an export (idempotent)")
    importer.add_argument("file", help="an NDJSON export (or a .json export document)")
    importer.set_defaults(func=cmd_import)

    clear = sub.add_parser("clear", parents=[tenant], help="delete every memory of a user (or of the tenant)")
    who = clear.add_mutually_exclusive_group(required=True)
    who.add_argument("--user-id")
    who.add_argument("--all-users", action="store_true")
    clear.add_argument("--confirm", required=True, help="the user id again (with --all-users: the tenant id)")
    clear.set_defaults(func=cmd_clear)

    erase = sub.add_parser("erase", parents=[tenant], help="erase every trace of a user and print the receipt")
    erase.add_argument("--user-id", required=True)
    erase.set_defaults(func=cmd_erase)

    sweep = sub.add_parser("retention-sweep", parents=[common], help="delete what the retention settings expire now")
    sweep.set_defaults(func=cmd_retention_sweep)
