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
    cursor_secret: SecretStr | None = None
    # The real model by default; tests and engine benchmarks use the deterministic hashing embedder.
    embedder: Literal["minilm", "hashing"] = "minilm"
    log_level: str = "INFO"

    @property
    def database_path(self) -> Path:
        return self.data_dir / "memory.db"
