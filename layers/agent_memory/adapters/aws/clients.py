"""boto3 clients for one region, with standard retries (throttling backs off before failing), created on first use."""

from __future__ import annotations

import os
from typing import Any


class AwsClients:
    def __init__(self, region: str | None) -> None:
        self._region = region

    @property
    def region(self) -> str | None:
        return self._region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")

    def client(self, service: str) -> Any:
        import boto3
        from botocore.config import Config as BotoConfig

        retries = BotoConfig(retries={"mode": "standard", "max_attempts": 4})
        return boto3.client(service, region_name=self._region, config=retries)  # type: ignore[call-overload]
