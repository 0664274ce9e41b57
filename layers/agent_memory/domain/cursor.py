"""Opaque, tamper-evident pagination cursors: base64url(payload).base64url(hmac)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Callable
from typing import Any

from agent_memory.domain.errors import InvalidCursor


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class CursorCodec:
    """Signs cursors so a client cannot forge one that reaches past its own scope or query."""

    MAX_LENGTH = 1024

    def __init__(self, secret: bytes | Callable[[], bytes]) -> None:
        # A callable is read on first use: only requests that page with cursors need the secret.
        self._source = secret
        self._secret: bytes | None = secret if isinstance(secret, bytes) else None

    def _sign(self, payload: bytes) -> bytes:
        if self._secret is None:
            assert callable(self._source)
            self._secret = self._source()
        return hmac.new(self._secret, payload, hashlib.sha256).digest()[:16]

    def encode(self, position: dict[str, Any], query_fingerprint: str) -> str:
        payload = json.dumps({"p": position, "q": query_fingerprint}, separators=(",", ":")).encode()
        return f"{_b64(payload)}.{_b64(self._sign(payload))}"

    def decode(self, cursor: str, query_fingerprint: str) -> dict[str, Any]:
        if len(cursor) > self.MAX_LENGTH or cursor.count(".") != 1:
            raise InvalidCursor("The cursor is malformed; pass next_cursor exactly as it was returned.")
        body, signature = cursor.split(".")
        try:
            payload = _unb64(body)
            given = _unb64(signature)
        except (binascii.Error, ValueError) as exc:
            raise InvalidCursor("The cursor is malformed; pass next_cursor exactly as it was returned.") from exc
        if not hmac.compare_digest(given, self._sign(payload)):
            raise InvalidCursor("The cursor was altered or belongs to another deployment.")
        data = json.loads(payload)
        if data.get("q") != query_fingerprint:
            raise InvalidCursor("The cursor belongs to a different query; repeat the filters it came from.")
        position = data.get("p")
        if not isinstance(position, dict):
            raise InvalidCursor("The cursor is malformed.")
        return position


def query_fingerprint(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]
