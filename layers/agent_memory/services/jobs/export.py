"""The export job: one user's export (the same NDJSON as `GET /v1/export`) written to the export store in parts of
PART_BYTES, so an export of any size needs neither a long request nor a large buffer. After each part the job saves
the part list and the position the next part starts from: a step that stops (timeout, crash) resumes there, writing
at most one part again. The result names where to download the file."""

from __future__ import annotations

from typing import Any

from agent_memory.domain.models import Owner
from agent_memory.domain.operations import Operation
from agent_memory.ports import ErasureMarks, ExportStore
from agent_memory.services.erasure_guard import refuse_while_erasing
from agent_memory.services.jobs.steps import Checkpoint, PhaseProgress, SecondsLeft
from agent_memory.services.portability import PortabilityService, ndjson_line

PART_BYTES = 8 * 1024 * 1024  # S3 takes parts of at least 5 MiB (but the last)
SECONDS_PER_PART = 30.0


class ExportToFile:
    def __init__(self, portability: PortabilityService, exports: ExportStore, erasures: ErasureMarks) -> None:
        self._portability = portability
        self._exports = exports
        self._erasures = erasures

    def run(
        self, operation: Operation, cursor: dict[str, Any] | None, seconds_left: SecondsLeft, checkpoint: Checkpoint
    ) -> PhaseProgress:
        tenant, user_id = operation.tenant, operation.user_id
        state = dict(cursor) if cursor else {
            "upload": self._exports.begin(tenant, user_id, operation.id), "parts": [], "position": None, "bytes": 0,
        }  # fmt: skip
        exported_before = int(((state["position"] or {}).get("counts") or {}).get("memories", 0))
        buffer = bytearray()
        position: dict[str, Any] | None = state["position"]
        progress = PhaseProgress(done=False, cursor=state)
        for kind, body, after in self._portability.parts_from(tenant, user_id, state["position"]):
            buffer += ndjson_line(kind, body)
            position = after
            if len(buffer) >= PART_BYTES:
                state = self._flush(state, buffer, position)
                buffer.clear()
                exported = int(position["counts"]["memories"])
                progress = PhaseProgress(done=False, cursor=state, advanced=exported - exported_before)
                checkpoint.save(progress)
                if seconds_left() < SECONDS_PER_PART:
                    return progress
        if buffer or not state["parts"]:
            state = self._flush(state, buffer, position)
        # The file appears only while this job still holds its lease and its user is not being erased: an erasure
        # takes the lease away and aborts unfinished uploads, so a job that began before it never publishes a file.
        counts = dict((position or {}).get("counts") or {})
        checkpoint.save(
            PhaseProgress(done=False, cursor=state, advanced=int(counts.get("memories", 0)) - exported_before)
        )
        refuse_while_erasing(self._erasures, Owner(tenant, user_id))
        self._exports.complete(state["upload"], state["parts"])
        result = {
            "download": f"/v1/exports/{operation.id}",
            "format": "ndjson",
            "bytes": state["bytes"],
            "exported": counts,
        }
        return PhaseProgress(
            done=True, advanced=int(counts.get("memories", 0)) - exported_before, counts=counts, result=result
        )

    def _flush(self, state: dict[str, Any], buffer: bytearray, position: dict[str, Any] | None) -> dict[str, Any]:
        number = len(state["parts"]) + 1
        part = self._exports.write_part(state["upload"], number, bytes(buffer))
        return {
            **state,
            "parts": [*state["parts"], part],
            "position": position,
            "bytes": int(state["bytes"]) + len(buffer),
        }
