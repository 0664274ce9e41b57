"""One S3 bucket as the conversation archive and the export store use it: the client made on first use, calls with
S3's errors in domain terms, and every version of the objects under a prefix (with versioning on, deleting only the
current objects would leave their content readable in older versions)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cached_property
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from agent_memory.adapters.aws.errors import ConditionFailed
from agent_memory.domain.errors import ConfigurationError, NotFound, StoreUnavailable

DELETE_BATCH = 1000  # DeleteObjects takes at most this many keys
MISSING_CODES = frozenset({"NoSuchKey", "404", "NoSuchUpload"})
CONDITION_CODES = frozenset({"PreconditionFailed", "ConditionalRequestConflict", "412"})


class S3Bucket:
    def __init__(self, client_factory: Callable[[], Any], bucket: str | None, unset: str) -> None:
        """`unset`: what to say when no bucket is configured."""
        self._client_factory = client_factory
        self.name = bucket
        self._unset = unset

    @cached_property
    def client(self) -> Any:
        return self._client_factory()

    def call(self, operation: str, missing: str = "The object is not in the bucket.", **kwargs: Any) -> Any:
        """One call on this bucket. NotFound (saying `missing`) for an absent key or upload, ConditionFailed when a
        conditional write lost a race, StoreUnavailable for anything else S3 refuses or when it cannot be reached."""
        if not self.name:
            raise ConfigurationError(self._unset)
        try:
            return getattr(self.client, operation)(Bucket=self.name, **kwargs)
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", ""))
            if code in MISSING_CODES:
                raise NotFound(missing) from None
            if code in CONDITION_CODES:
                raise ConditionFailed(f"{operation}: the object changed since it was read ({code})") from None
            raise StoreUnavailable(f"S3 refused {operation} ({code}).") from None
        except BotoCoreError as exc:
            raise StoreUnavailable(f"S3 could not be reached: {type(exc).__name__}.") from None

    def all_versions(self, prefix: str) -> list[dict[str, Any]]:
        """Every version and delete marker under `prefix` (as ListObjectVersions gives them)."""
        found: list[dict[str, Any]] = []
        request: dict[str, Any] = {"Prefix": prefix}
        while True:
            answer = self.call("list_object_versions", **request)
            found.extend([*answer.get("Versions", []), *answer.get("DeleteMarkers", [])])
            if not answer.get("IsTruncated"):
                return found
            request["KeyMarker"] = answer["NextKeyMarker"]
            request["VersionIdMarker"] = answer["NextVersionIdMarker"]

    def delete_versions(self, versions: Sequence[dict[str, Any]]) -> None:
        objects = [{"Key": str(entry["Key"]), "VersionId": str(entry["VersionId"])} for entry in versions]
        for start in range(0, len(objects), DELETE_BATCH):
            answer = self.call(
                "delete_objects", Delete={"Objects": objects[start : start + DELETE_BATCH], "Quiet": True}
            )
            if answer.get("Errors"):
                raise StoreUnavailable(f"S3 did not delete {len(answer['Errors'])} object versions; retry.")
