"""ConversationArchive contract: the same cases against the local folder and the S3 bucket (moto, versioned)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from agent_memory.adapters.aws.log_archive import S3Archive
from agent_memory.adapters.local.log_archive import FolderArchive
from agent_memory.ports import ConversationArchive
from tests.aws_support import REGION, fake_credentials

BUCKET = "archive-contract"


@dataclass
class Archive:
    archive: ConversationArchive
    put: Callable[[str, bytes], None]
    remove: Callable[[str], None]
    versions_under: Callable[[str], int]  # stored versions (and delete markers) under a prefix


def _folder(root: Path) -> Archive:
    def put(key: str, data: bytes) -> None:
        (root / key).parent.mkdir(parents=True, exist_ok=True)
        (root / key).write_bytes(data)

    def versions_under(prefix: str) -> int:
        return sum(1 for path in (root / prefix).rglob("*") if path.is_file()) if (root / prefix).exists() else 0

    return Archive(FolderArchive(root), put, lambda key: (root / key).unlink(), versions_under)


def _bucket(s3: Any) -> Archive:
    def versions_under(prefix: str) -> int:
        answer = s3.list_object_versions(Bucket=BUCKET, Prefix=prefix)
        return len(answer.get("Versions", [])) + len(answer.get("DeleteMarkers", []))

    return Archive(
        S3Archive(lambda: s3, BUCKET),
        lambda key, data: s3.put_object(Bucket=BUCKET, Key=key, Body=data),
        lambda key: s3.delete_object(Bucket=BUCKET, Key=key),
        versions_under,
    )


@pytest.fixture(params=["folder", "s3"])
def archive(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Archive]:
    if request.param == "folder":
        yield _folder(tmp_path / "raw")
        return
    fake_credentials()
    with mock_aws():
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket=BUCKET)
        s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
        yield _bucket(s3)


def test_erasing_a_user_removes_every_log_and_version_and_nothing_of_the_neighbours(archive: Archive) -> None:
    # Given alice's logs (one rewritten, one deleted: older versions and a delete marker in a versioned bucket)
    for thread in ("t1", "t2", "t3"):
        archive.put(f"conversations/acme/alice/{thread}.jsonl", b'{"role": "user", "content": "hi"}\n')
    archive.put("conversations/acme/alice/t1.jsonl", b'{"role": "user", "content": "I live in Lisbon"}\n')
    archive.remove("conversations/acme/alice/t3.jsonl")
    # And bob's, and a user whose id starts like hers
    archive.put("conversations/acme/bob/t1.jsonl", b"{}\n")
    archive.put("conversations/acme/alice2/t1.jsonl", b"{}\n")
    # When alice is erased
    counts = archive.archive.erase_user("acme", "alice")
    # Then her logs are gone in every version, and it says how many
    assert counts["raw_logs"] >= 2
    assert archive.archive.logs_of("acme", "alice") == []
    assert archive.versions_under("conversations/acme/alice/") == 0
    # And the others are untouched
    assert archive.archive.logs_of("acme", "bob") == ["conversations/acme/bob/t1.jsonl"]
    assert archive.archive.logs_of("acme", "alice2") == ["conversations/acme/alice2/t1.jsonl"]
    # And erasing again finds nothing
    assert archive.archive.erase_user("acme", "alice") == {}


@pytest.mark.parametrize("user_id", [".", ".."])
def test_a_user_whose_id_reads_as_a_folder_has_no_logs_and_erasing_them_touches_no_one(
    archive: Archive, user_id: str
) -> None:
    # Given logs of two users of acme and one of another tenant
    archive.put("conversations/acme/alice/t1.jsonl", b"{}\n")
    archive.put("conversations/acme/bob/t1.jsonl", b"{}\n")
    archive.put("conversations/globex/carol/t1.jsonl", b"{}\n")
    # When a user named "." or ".." is listed and erased (no log key can name such a user)
    assert archive.archive.logs_of("acme", user_id) == []
    assert archive.archive.erase_user("acme", user_id) == {}
    # Then everyone else's logs are still there
    assert archive.archive.logs_of("acme", "alice") == ["conversations/acme/alice/t1.jsonl"]
    assert archive.archive.logs_of("acme", "bob") == ["conversations/acme/bob/t1.jsonl"]
    assert archive.archive.logs_of("globex", "carol") == ["conversations/globex/carol/t1.jsonl"]


def test_a_versioned_bucket_counts_versions_beyond_the_current_objects() -> None:
    fake_credentials()
    with mock_aws():
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket=BUCKET)
        s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
        _counts_versions(_bucket(s3))


def _counts_versions(archive: Archive) -> None:
    archive.put("conversations/acme/alice/t1.jsonl", b"one\n")
    archive.put("conversations/acme/alice/t1.jsonl", b"two\n")
    archive.remove("conversations/acme/alice/t1.jsonl")
    assert archive.archive.erase_user("acme", "alice") == {"raw_logs": 1, "raw_log_versions": 3}
