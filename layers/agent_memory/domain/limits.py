"""Documented limits, enforced at the edge and in the services (see docs/api.md)."""

MAX_BODY_BYTES = 256 * 1024
DEFAULT_MAX_CONTENT_CHARS = 300
MAX_CONTENT_CHARS_CEILING = 10_000
MAX_SUMMARY_CHARS = 1_000
MAX_ID_CHARS = 128
MAX_TOPICS = 20
MAX_TOPIC_CHARS = 64
MAX_SOURCE_REFS = 50
MAX_METADATA_BYTES = 8 * 1024
MAX_ENTITIES = 50
MAX_ENTITY_NAME_CHARS = 200
MAX_ENTITY_TYPE_CHARS = 50
MAX_BATCH_ITEMS = 100
MAX_BULK_DELETE_IDS = 100
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_OFFSET = 10_000
IDEMPOTENCY_TTL_SECONDS = 24 * 3600
# A reservation whose request never completed (its process died) is taken over by a retry after this long.
# Longer than any request may run (API Gateway stops waiting after 29 s).
IDEMPOTENCY_LEASE_SECONDS = 60
MAX_METADATA_DEPTH = 16
MAX_RELATIONS = 30
"""Relations one memory may state (extracted or imported)."""
MAX_PREDICATE_CHARS = 40
