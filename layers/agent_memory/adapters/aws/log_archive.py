"""Raw conversation logs in the conversation bucket (implements ConversationArchive)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from agent_memory.adapters.aws.errors import ConditionFailed
from agent_memory.adapters.aws.s3_bucket import S3Bucket
from agent_memory.domain import conversation_log
from agent_memory.domain.conversation_log import PREFIX, SUFFIXES, transcript_full
from agent_memory.domain.errors import NotFound, StoreUnavailable
from agent_memory.domain.retention import RETENTION_TAG

ORIGIN_METADATA = "origin"
TURN_ORIGIN = "turn"
APPEND_ATTEMPTS = 5


class S3Archive:
    def __init__(self, client_factory: Callable[[], Any], bucket: str | None) -> None:
        self._bucket = S3Bucket(
            client_factory, bucket, "Set AGENT_MEMORY_CONVERSATION_BUCKET to the bucket conversation logs land in."
        )

    def _call(self, operation: str, **kwargs: Any) -> Any:
        return self._bucket.call(operation, f"The log {kwargs.get('Key')} is not in the bucket.", **kwargs)

    def logs_of(self, tenant: str, user_id: str) -> list[str]:
        keys: list[str] = []
        request: dict[str, Any] = {"Prefix": f"{PREFIX}/{tenant}/{user_id}/"}
        while True:
            answer = self._call("list_objects_v2", **request)
            keys.extend(str(item["Key"]) for item in answer.get("Contents", []) if str(item["Key"]).endswith(SUFFIXES))
            if not answer.get("IsTruncated"):
                return sorted(key for key in keys if key.count("/") == 3)  # nothing from deeper folders
            request["ContinuationToken"] = answer["NextContinuationToken"]

    def read(self, key: str) -> tuple[bytes, str]:
        answer = self._call("get_object", Key=key)
        return answer["Body"].read(), str(answer.get("ETag", "")).strip('"')

    def append(self, key: str, data: bytes, retention_days: int | None) -> None:
        """Read, add, and write back only if nobody wrote in between (If-Match on the ETag read, If-None-Match for
        a new log); a lost race reads again. Marked `origin: turn` for the ingest function to skip."""
        tagging = {} if retention_days is None else {"Tagging": f"{RETENTION_TAG}={retention_days}"}
        for _ in range(APPEND_ATTEMPTS):
            try:
                current, etag = self.read(key)
                condition = {"IfMatch": f'"{etag}"'}
            except NotFound:
                current, condition = b"", {"IfNoneMatch": "*"}
            if len(current) + len(data) > conversation_log.MAX_LOG_BYTES:
                raise transcript_full(key, len(current) + len(data))
            try:
                self._call(
                    "put_object",
                    Key=key,
                    Body=current + data,
                    ContentType="application/x-ndjson",
                    Metadata={ORIGIN_METADATA: TURN_ORIGIN},
                    **condition,
                    **tagging,
                )
                return
            except ConditionFailed:
                continue
        raise StoreUnavailable(f"The log {key} kept changing while a turn was added to it; retry.")

    def erase_user(self, tenant: str, user_id: str) -> dict[str, int]:
        """Every object under the user's prefix in every version, delete markers included: with versioning on,
        deleting only the current objects would leave the conversations readable in older versions."""
        versions = self._bucket.all_versions(f"{PREFIX}/{tenant}/{user_id}/")
        self._bucket.delete_versions(versions)
        counts = {"raw_logs": len({entry["Key"] for entry in versions}), "raw_log_versions": len(versions)}
        return {kind: count for kind, count in counts.items() if count}

    def expire(self, tenant: str, before: datetime) -> int:
        """Logs whose latest write is older than `before`, with all their versions."""
        by_key: dict[str, list[dict[str, Any]]] = {}
        for entry in self._bucket.all_versions(f"{PREFIX}/{tenant}/"):
            by_key.setdefault(str(entry["Key"]), []).append(entry)
        expired = [key for key, entries in by_key.items() if max(e["LastModified"] for e in entries) < before]
        self._bucket.delete_versions([entry for key in expired for entry in by_key[key]])
        return len(expired)
