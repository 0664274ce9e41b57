"""SQS (S3 event notifications for conversations/) → memories, with partial batch failures."""

from agent_memory.entry.log_ingest import handler

__all__ = ["handler"]
