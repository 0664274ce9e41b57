"""Data rights: clear memories, export, import, and erase a user everywhere."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import RedirectResponse, StreamingResponse
from pydantic import BaseModel, Field

from agent_memory.domain import limits
from agent_memory.domain.clock import utcnow
from agent_memory.domain.errors import Forbidden, InvalidInput
from agent_memory.domain.models import Principal, Scope
from agent_memory.http.deps import Admin, DataRights, Portability, Reader, Writer
from agent_memory.http.job_schemas import STILL_RUNNING, OperationOut, answer_started
from agent_memory.http.openapi_problems import problems
from agent_memory.services.portability import ExportFormat, ImportReport

# One router per operation (see memories.py).
clear = APIRouter(prefix="/v1/memories", tags=["data rights"])
export = APIRouter(prefix="/v1/export", tags=["data rights"])
import_ = APIRouter(prefix="/v1/import", tags=["data rights"])
erase = APIRouter(prefix="/v1/users", tags=["data rights"])
download = APIRouter(prefix="/v1/exports", tags=["data rights"])

MEDIA_TYPES = {ExportFormat.NDJSON: "application/x-ndjson", ExportFormat.JSON: "application/json"}


class ClearedOut(BaseModel):
    cleared: int = Field(description="How many memories were deleted.")


class ImportSkipOut(BaseModel):
    line: int
    id: str | None
    reason: str = Field(description="exists (already here: imports are idempotent), duplicate or invalid")
    existing_id: str | None = None
    detail: str | None = None


class ImportOut(BaseModel):
    imported: int
    skipped: int
    lines: int
    skips: list[ImportSkipOut] = Field(description="The first 100 skipped lines, with why.")
    ignored: dict[str, int] = Field(description="Lines of kinds an import does not apply (settings, operations).")

    @classmethod
    def of(cls, report: ImportReport) -> ImportOut:
        skips = [ImportSkipOut(**skip) for skip in report.skips]
        return cls(
            imported=report.imported, skipped=report.skipped, lines=report.lines, skips=skips, ignored=report.ignored
        )


def download_name(user_id: str | None, extension: str) -> str:
    who = "tenant" if user_id is None else re.sub(r"[^A-Za-z0-9._-]", "_", user_id)[:64]
    return f"agent-memory-{who}-{utcnow():%Y%m%dT%H%M%SZ}.{extension}"


def _admin_for_tenant(principal: Principal, what: str) -> None:
    if not principal.allows(Scope.ADMIN):
        raise Forbidden(f"{what} of the whole tenant needs the 'admin' scope; give a user_id for one user.")


@clear.delete("", response_model=ClearedOut, responses=problems(403))
def clear_memories(
    principal: Writer,
    data_rights: DataRights,
    user_id: Annotated[str | None, Query(min_length=1, max_length=limits.MAX_ID_CHARS)] = None,
    all_users: bool = False,
    confirm: Annotated[str | None, Query(max_length=limits.MAX_ID_CHARS)] = None,
) -> ClearedOut:
    """Delete every memory (with its history) of one user, `confirm` repeating the user id; or, with
    `all_users=true` and the admin scope, of every user of the tenant, `confirm` being the tenant id. Irreversible."""
    principal.whole_user("Clearing")
    if user_id is not None and all_users:
        raise InvalidInput("Give either user_id or all_users=true, not both.")
    if not all_users:
        owner = principal.owner(user_id)
        return ClearedOut(cleared=data_rights.clear_user(owner, confirm))
    principal.tenant_wide("Clearing all users")
    _admin_for_tenant(principal, "Clearing")
    return ClearedOut(cleared=data_rights.clear_tenant(principal.tenant, confirm))


@export.get(
    "",
    responses={
        200: {
            "description": "The export, streamed as a download (see docs/api.md for the format).",
            "content": {"application/x-ndjson": {}, "application/json": {}},
        },
        **problems(403),
    },
)
def export_memories(
    principal: Reader,
    portability: Portability,
    user_id: Annotated[str | None, Query(min_length=1, max_length=limits.MAX_ID_CHARS)] = None,
    format: ExportFormat = ExportFormat.NDJSON,
) -> StreamingResponse:
    """One user's memories with their history, the tenant's settings and the user's operations, as a download;
    without `user_id` (admin scope) every user of the tenant. NDJSON suits any size; JSON is one document."""
    principal.whole_user("An export")
    user_id = principal.user_or_tenant(user_id)
    if user_id is None:
        _admin_for_tenant(principal, "An export")
    chunks = portability.export(principal.tenant, user_id, format)
    filename = download_name(user_id, "ndjson" if format is ExportFormat.NDJSON else "json")
    return StreamingResponse(
        chunks,
        media_type=MEDIA_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


IMPORT_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "An export of either format (NDJSON as application/x-ndjson).",
        "content": {
            "application/x-ndjson": {"schema": {"type": "string"}},
            "application/json": {"schema": {"type": "object"}},
        },
    }
}


@import_.post("", response_model=ImportOut, openapi_extra=IMPORT_BODY, responses=problems(413))
async def import_memories(request: Request, principal: Writer, portability: Portability) -> ImportOut:
    """Write an export back: each memory returns to its user with its id, history and timestamps; ones already
    here are skipped (importing twice changes nothing) and so are ones whose content a memory of the user already
    holds. Vectors are made by this server's model. Bodies up to 256 KiB (send a large export in parts, or use
    `agent-memory import`)."""
    principal.whole_user("An import")
    return ImportOut.of(portability.import_document(principal.tenant, await request.body(), principal.user_id))


@erase.delete(
    "/{user_id}", status_code=202, response_model=OperationOut, responses={**STILL_RUNNING, **problems(403, 404)}
)
def erase_user(
    user_id: Annotated[str, Path(min_length=1, max_length=limits.MAX_ID_CHARS)],
    principal: Admin,
    data_rights: DataRights,
    response: Response,
) -> OperationOut:
    """Erase every trace of a user (admin scope): memories, history, search documents, raw conversation logs in
    every version, stored idempotent responses and operations. Runs as a job: 202 with the operation, whose
    counts and verification are the receipt (200 with the running one if an erasure of this user is under way).
    While it runs, new memories of the user are refused (409 user_being_erased)."""
    principal.whole_user("Erasing a user")
    operation, created = data_rights.erase_user(principal.tenant, principal.user(user_id, "path.user_id"))
    return answer_started(response, operation, created)


@download.get(
    "/{operation_id}",
    response_model=None,
    responses={
        200: {"description": "The export file (local server).", "content": {"application/x-ndjson": {}}},
        303: {"description": "On AWS: a pre-signed S3 URL to the file, valid for an hour (Location)."},
        **problems(404, 409),
    },
)
def download_export(
    operation_id: Annotated[str, Path(min_length=1, max_length=limits.MAX_ID_CHARS)],
    principal: Reader,
    portability: Portability,
) -> Response:
    """The file of a finished export job (`POST /v1/jobs/export`): on AWS a redirect to a pre-signed S3 URL, locally
    the file itself. 409 while the job runs; 404 once the export was erased, expired or never existed."""
    principal.whole_user("An export")
    found = portability.exported_file(principal.tenant, operation_id, principal.user_id)
    if found.url is not None:
        return RedirectResponse(found.url, status_code=303)
    return StreamingResponse(
        found.chunks or iter(()),
        media_type=MEDIA_TYPES[ExportFormat.NDJSON],
        headers={"Content-Disposition": f'attachment; filename="{download_name(found.user_id, "ndjson")}"'},
    )


ROUTERS = [clear, export, import_, erase, download]
