"""Every version of the objects under a prefix of a versioned bucket, and deleting them: with versioning on,
deleting only the current objects would leave their content readable in older versions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from agent_memory.domain.errors import StoreUnavailable

DELETE_BATCH = 1000  # DeleteObjects takes at most this many keys
Call = Callable[..., Any]
"""An S3 call on one bucket: `call(operation, **arguments)`."""


def all_versions(call: Call, prefix: str) -> list[dict[str, Any]]:
    """Every version and delete marker under `prefix` (as ListObjectVersions gives them)."""
    found: list[dict[str, Any]] = []
    request: dict[str, Any] = {"Prefix": prefix}
    while True:
        answer = call("list_object_versions", **request)
        found.extend([*answer.get("Versions", []), *answer.get("DeleteMarkers", [])])
        if not answer.get("IsTruncated"):
            return found
        request["KeyMarker"] = answer["NextKeyMarker"]
        request["VersionIdMarker"] = answer["NextVersionIdMarker"]


def delete_versions(call: Call, versions: Sequence[dict[str, Any]]) -> None:
    objects = [{"Key": str(entry["Key"]), "VersionId": str(entry["VersionId"])} for entry in versions]
    for start in range(0, len(objects), DELETE_BATCH):
        answer = call("delete_objects", Delete={"Objects": objects[start : start + DELETE_BATCH], "Quiet": True})
        if answer.get("Errors"):
            raise StoreUnavailable(f"S3 did not delete {len(answer['Errors'])} object versions; retry.")
