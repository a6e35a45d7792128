"""Signed, expiring tokens for links, references, sessions and CSRF (itsdangerous).

Each use has its own salt, so a token made for one purpose (a status reference)
is refused for another (a download). One-time codes are derived from the secret
too: a code is an HMAC of the request id, so no code is stored anywhere.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta
from typing import Any, Literal

from itsdangerous import BadSignature, URLSafeTimedSerializer

Purpose = Literal["reference", "verify", "download", "session", "csrf"]


class Signer:
    """Makes and checks tokens; ``check`` returns None for anything forged, wrong or expired."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret
        self._serializers = {
            purpose: URLSafeTimedSerializer(secret, salt=f"skydd.web.{purpose}")
            for purpose in ("reference", "verify", "download", "session", "csrf")
        }

    def make(self, purpose: Purpose, value: Any) -> str:
        return str(self._serializers[purpose].dumps(value))

    def check(self, purpose: Purpose, token: str, max_age: timedelta | None = None) -> Any:
        age = int(max_age.total_seconds()) if max_age is not None else None
        try:
            return self._serializers[purpose].loads(token, max_age=age)
        except BadSignature:  # SignatureExpired is a BadSignature
            return None

    def code(self, request_id: str, issued: str) -> str:
        """The six-digit one-time code of a request's verification, issued at ``issued``."""
        mac = hmac.new(self._secret, f"code|{request_id}|{issued}".encode(), hashlib.sha256)
        return f"{int.from_bytes(mac.digest()[:8], 'big') % 1_000_000:06d}"

    def client_key(self, address: str) -> str:
        """A keyed hash of a client address: rate limits never keep the address itself."""
        mac = hmac.new(self._secret, f"client|{address}".encode(), hashlib.sha256)
        return mac.hexdigest()[:24]

    def file_key(self) -> bytes:
        """The Fernet key for delivered files, derived from the secret (HKDF)."""
        import base64

        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.kdf.hkdf import HKDF

        raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"skydd.web.files").derive(
            self._secret
        )
        return base64.urlsafe_b64encode(raw)
