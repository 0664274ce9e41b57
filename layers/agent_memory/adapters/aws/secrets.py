"""Secrets Manager: one secret's value, with its failures in domain terms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from agent_memory.domain.errors import ConfigurationError, StoreUnavailable


def secret_value(client_factory: Callable[[], Any], arn: str) -> bytes:
    try:
        answer = client_factory().get_secret_value(SecretId=arn)
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        if code in {"ThrottlingException", "InternalServiceError"}:
            raise StoreUnavailable("Secrets Manager is unavailable; retry shortly.") from None
        raise ConfigurationError(f"The cursor secret cannot be read ({code}).") from None
    except BotoCoreError as exc:
        raise StoreUnavailable(f"Secrets Manager could not be reached ({type(exc).__name__}).") from None
    return str(answer["SecretString"]).encode()
