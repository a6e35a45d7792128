"""Security headers on every response, rate limits on public POSTs, CSRF on forms.

The rate limiter is an in-process token bucket: enough for `skydd serve` as one
process. Several processes or hosts each count on their own, so a deployment
with more than one worker needs a shared limiter in front (the reverse proxy, or
a shared store); docs/web.md says how.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import timedelta

from fastapi import HTTPException, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from skydd.web.signing import Signer

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
CSRF_COOKIE = "skydd_csrf"
CSRF_FIELD = "csrf"
CSRF_MAX_AGE = 4 * 3600


class SecurityHeaders:
    """Pure ASGI middleware: the same headers on every response, HSTS when served over https."""

    def __init__(self, app: ASGIApp, *, https: bool = False) -> None:
        self.app = app
        self.https = https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = self.https or scope.get("scheme") == "https"
        static = str(scope.get("path", "")).startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                extra = [
                    (b"content-security-policy", CSP.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                    (b"cross-origin-opener-policy", b"same-origin"),
                    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
                ]
                if not static:
                    extra.append((b"cache-control", b"no-store"))
                if https:
                    extra.append((b"strict-transport-security", b"max-age=63072000"))
                headers += [(n, v) for n, v in extra if n not in names]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


@dataclass
class _Bucket:
    tokens: float
    at: float


class RateLimiter:
    """Token buckets keyed by a keyed hash of the client address; thread-safe."""

    def __init__(self, signer: Signer, *, burst: int, per_minute: float) -> None:
        self._signer = signer
        self.burst = burst
        self.rate = per_minute / 60.0
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def allow(self, address: str, now: float | None = None) -> float:
        """0.0 if one more request is allowed now, else the seconds to wait."""
        now = time.monotonic() if now is None else now
        key = self._signer.client_key(address)
        with self._lock:
            if len(self._buckets) > 50_000:
                self._forget_full(now)
            bucket = self._buckets.setdefault(key, _Bucket(float(self.burst), now))
            bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.at) * self.rate)
            bucket.at = now
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return 0.0
            return (1.0 - bucket.tokens) / self.rate if self.rate > 0 else 3600.0

    def _forget_full(self, now: float) -> None:
        refill = self.burst / self.rate if self.rate > 0 else float("inf")
        for key in [k for k, b in self._buckets.items() if now - b.at >= refill]:
            del self._buckets[key]


def client_address(request: Request) -> str:
    """The peer address as uvicorn gives it (behind a proxy: run with --proxy-headers)."""
    return request.client.host if request.client else "unknown"


async def rate_limited(request: Request) -> None:
    """Dependency for public POSTs: 429 with Retry-After once the client's bucket is empty."""
    limiter: RateLimiter = request.app.state.limiter
    wait = limiter.allow(client_address(request))
    if wait > 0:
        raise HTTPException(429, "rate", headers={"Retry-After": str(max(1, round(wait)))})


def csrf_field(request: Request) -> str:
    """The hidden form value for this browser; sets the CSRF cookie on the response if new."""
    signer: Signer = request.app.state.signer
    value = request.cookies.get(CSRF_COOKIE)
    if not value or len(value) != 43:
        value = getattr(request.state, "csrf_new", None) or secrets.token_urlsafe(32)
        request.state.csrf_new = value
    return signer.make("csrf", value)


def csrf_ok(request: Request, field: str | None) -> bool:
    """Double submit, signed: the field must be our signature over the cookie's value."""
    signer: Signer = request.app.state.signer
    cookie = request.cookies.get(CSRF_COOKIE)
    if not cookie or not field:
        return False
    signed = signer.check("csrf", field, timedelta(seconds=CSRF_MAX_AGE))
    return isinstance(signed, str) and hmac.compare_digest(signed, cookie)
