"""The single table's shape: keys, indexes and their projections, TTL and stream. The store creates tables from it in
tests and the CDK stack declares the same table from it, so the two cannot disagree.

Imports nothing but the standard library: the stack synthesises it without boto3 or numpy.
"""

from __future__ import annotations

from typing import Any

PARTITION_KEY = "pk"
SORT_KEY = "sk"
GSI1 = "gsi1"
LSI1 = "lsi1"
TTL_ATTRIBUTE = "ttl"
"""DynamoDB's time-to-live attribute (epoch seconds): expired memories, idempotency records and job locks go, late."""

STREAM_VIEW_TYPE = "NEW_AND_OLD_IMAGES"

# The non-key attributes GSI1 carries: what tenant-wide stats decode of a memory, and what an API key record holds.
GSI1_ATTRIBUTES = (
    "id",
    "tenant",
    "user_id",
    "agent_id",
    "content",
    "source",
    "importance",
    "valence",
    "topics",
    "created_at",
    "updated_at",
    "expires_at",
    "superseded_by",
    "version",
    "key_id",
    "scopes",
    "name",
    "revoked_at",
)


def table_definition(name: str, legacy_projections: bool = False) -> dict[str, Any]:
    """The table as CreateTable arguments: the CDK stack declares the same keys, index, stream and TTL.

    GSI1 carries only the attributes its readers use and LSI1 only keys, so a memory's ~4 KB vector is written once,
    not three times. `legacy_projections` declares both indexes as tables created before that had them (everything
    projected): DynamoDB cannot change an existing index's projection (an LSI's never), and the store reads either."""
    gsi1_projection: dict[str, Any] = (
        {"ProjectionType": "ALL"}
        if legacy_projections
        else {"ProjectionType": "INCLUDE", "NonKeyAttributes": list(GSI1_ATTRIBUTES)}
    )
    lsi1_projection = {"ProjectionType": "ALL" if legacy_projections else "KEYS_ONLY"}
    return {
        "TableName": name,
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [
            {"AttributeName": attribute, "AttributeType": "S"}
            for attribute in (PARTITION_KEY, SORT_KEY, "gsi1pk", "gsi1sk", "lsi1sk")
        ],
        "KeySchema": [
            {"AttributeName": PARTITION_KEY, "KeyType": "HASH"},
            {"AttributeName": SORT_KEY, "KeyType": "RANGE"},
        ],
        "GlobalSecondaryIndexes": [
            {
                "IndexName": GSI1,
                "KeySchema": [
                    {"AttributeName": "gsi1pk", "KeyType": "HASH"},
                    {"AttributeName": "gsi1sk", "KeyType": "RANGE"},
                ],
                "Projection": gsi1_projection,
            }
        ],
        "LocalSecondaryIndexes": [
            {
                "IndexName": LSI1,
                "KeySchema": [
                    {"AttributeName": PARTITION_KEY, "KeyType": "HASH"},
                    {"AttributeName": "lsi1sk", "KeyType": "RANGE"},
                ],
                "Projection": lsi1_projection,
            }
        ],
        "StreamSpecification": {"StreamEnabled": True, "StreamViewType": STREAM_VIEW_TYPE},
    }
