"""Settings read from the environment (prefix AGENT_MEMORY_). Only runtime.py and the CLI construct them."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Config(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AGENT_MEMORY_", extra="ignore")

    backend: Literal["local", "aws"] = "local"
    data_dir: Path = Field(default=Path(".agent-memory"))
    # Signs pagination cursors. Local: generated into data_dir when unset. AWS: required (all functions share it).
    cursor_secret: SecretStr | None = None
    # AWS: a Secrets Manager secret holding it instead (what the CDK stack sets), read on first use.
    cursor_secret_arn: str | None = None
    # Unset: the real local model on `local`, Titan v2 on `aws`. Tests use the deterministic hashing embedder.
    embedder: Literal["minilm", "hashing", "titan"] | None = None
    log_level: str = "INFO"
    # Fact extraction from conversations. Unset: the offline rules locally, the Bedrock model (CONVERSE_MODEL) on aws.
    extractor: Literal["rules", "bedrock"] | None = None
    # Who answers a turn that asks for a reply: a Bedrock chat model (the converse_model), or nobody (the answer says
    # no model is configured and carries the memory context only). Default: bedrock on aws, none locally.
    responder: Literal["none", "bedrock"] | None = None

    # -- the aws backend ------------------------------------------------------------------------
    region: str | None = None  # falls back to AWS_REGION / AWS_DEFAULT_REGION
    table_name: str = "agent-memory"
    opensearch_endpoint: str | None = None  # https://<collection id>.<region>.aoss.amazonaws.com
    index_name: str = "memories"
    # Classic vector collections refuse custom document ids; collections that accept them can say so here.
    opensearch_custom_ids: bool = False
    # How long a write may take to show in the index (refresh + stream delay): merged from the table meanwhile.
    index_refresh_seconds: float = Field(default=60.0, ge=0, le=600)
    # How long an erasure waits after a clean verification pass before its last one (a document indexed just before
    # may show only after the refresh); unset: index_refresh_seconds.
    erasure_settle_seconds: float | None = Field(default=None, ge=0, le=600)
    titan_dimensions: Literal[256, 512, 1024] = 1024
    bedrock_embedding_concurrency: int = Field(default=4, ge=1, le=32)
    # Bedrock Converse model: a cross-Region inference profile (`us.`/`eu.`/`jp.`/`au.`/`global.` + model id) or a
    # foundation model id. The stack sets it per stage (infra/bedrock_models.py); this default is the same model.
    converse_model: str = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
    # Conversation-log ingestion (S3 → SQS → Lambda): the queue (for continuations) and its dead-letter queue.
    ingest_queue_url: str | None = None
    ingest_dead_letter_url: str | None = None
    # API Gateway usage plan that new keys join (throttling and quotas per key); the stack outputs its id.
    usage_plan_id: str | None = None
    # Async jobs in AWS: the bucket raw conversation logs are kept in, and each job kind's state machine ARN
    # (JSON: {"optimize": "arn:aws:states:…", …}).
    conversation_bucket: str | None = None
    # How often the local server runs the retention sweep (services/retention.py); 0 turns it off.
    retention_sweep_seconds: float = Field(default=3600.0, ge=0)
    job_state_machines: dict[str, str] = Field(default_factory=dict)

    @property
    def erasure_settle(self) -> float:
        return self.index_refresh_seconds if self.erasure_settle_seconds is None else self.erasure_settle_seconds

    @property
    def embedder_name(self) -> str:
        if self.embedder is not None:
            return self.embedder
        return "titan" if self.backend == "aws" else "minilm"

    @property
    def extractor_name(self) -> str:
        if self.extractor is not None:
            return self.extractor
        return "bedrock" if self.backend == "aws" else "rules"

    @property
    def responder_name(self) -> str:
        if self.responder is not None:
            return self.responder
        return "bedrock" if self.backend == "aws" else "none"

    @property
    def database_path(self) -> Path:
        return self.data_dir / "memory.db"
