"""Export files of jobs in the conversation bucket (implements ExportStore): `exports/<tenant>/<user>/<id>.ndjson`,
written as an S3 multipart upload (parts of at least 5 MiB but the last; a part uploaded again replaces itself), and
fetched through a pre-signed URL. The bucket's lifecycle removes exports after a week."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any
from urllib.parse import quote

from agent_memory.adapters.aws.s3_bucket import S3Bucket

EXPORT_PREFIX = "exports"
URL_SECONDS = 3600
CHUNK = 1 << 20


def export_key(tenant: str, user_id: str, operation_id: str) -> str:
    return f"{EXPORT_PREFIX}/{quote(tenant, safe='')}/{quote(user_id, safe='')}/{quote(operation_id, safe='')}.ndjson"


class S3Exports:
    def __init__(self, client_factory: Callable[[], Any], bucket: str | None) -> None:
        self._bucket = S3Bucket(
            client_factory, bucket, "Set AGENT_MEMORY_CONVERSATION_BUCKET: exports are written to that bucket."
        )

    def _call(self, operation: str, **kwargs: Any) -> Any:
        return self._bucket.call(operation, "The export is not there (erased, expired or never finished).", **kwargs)

    def begin(self, tenant: str, user_id: str, operation_id: str) -> dict[str, Any]:
        key = export_key(tenant, user_id, operation_id)
        upload = self._call("create_multipart_upload", Key=key, ContentType="application/x-ndjson")
        return {"key": key, "upload_id": str(upload["UploadId"])}

    def write_part(self, state: dict[str, Any], number: int, data: bytes) -> dict[str, Any]:
        answer = self._call("upload_part", Key=state["key"], UploadId=state["upload_id"], PartNumber=number, Body=data)
        return {"PartNumber": number, "ETag": str(answer["ETag"])}

    def complete(self, state: dict[str, Any], parts: Sequence[dict[str, Any]]) -> None:
        self._call(
            "complete_multipart_upload",
            Key=state["key"],
            UploadId=state["upload_id"],
            MultipartUpload={"Parts": [{"PartNumber": p["PartNumber"], "ETag": p["ETag"]} for p in parts]},
        )

    def download_url(self, tenant: str, user_id: str, operation_id: str) -> str | None:
        key = export_key(tenant, user_id, operation_id)
        self._call("head_object", Key=key)  # NotFound once erased or expired
        url: str = self._bucket.client.generate_presigned_url(
            "get_object", Params={"Bucket": self._bucket.name, "Key": key}, ExpiresIn=URL_SECONDS
        )
        return url

    def read(self, tenant: str, user_id: str, operation_id: str) -> Iterator[bytes]:
        body = self._call("get_object", Key=export_key(tenant, user_id, operation_id))["Body"]
        return iter(lambda: body.read(CHUNK), b"")

    def erase_user(self, tenant: str, user_id: str) -> int:
        prefix = export_key(tenant, user_id, "x").rsplit("/", 1)[0] + "/"
        uploads = self._call("list_multipart_uploads", Prefix=prefix).get("Uploads", [])
        for upload in uploads:
            self._call("abort_multipart_upload", Key=upload["Key"], UploadId=upload["UploadId"])
        versions = self._bucket.all_versions(prefix)
        self._bucket.delete_versions(versions)
        return len({entry["Key"] for entry in versions})
