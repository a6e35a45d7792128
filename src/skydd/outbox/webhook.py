"""Signed webhooks: HMAC-SHA256 over the timestamp and the body, in one header.

The header reads ``Skydd-Signature: t=<unix seconds>,v1=<hex>``, where ``<hex>`` is
HMAC-SHA256 with the recipient's key over ``"<t>." + body``. A receiver recomputes
it, compares in constant time and refuses a timestamp older than a few minutes, so
a captured request cannot be replayed. ``Skydd-Delivery`` carries the outbox item's
id: the same notice retried has the same id, so a receiver can drop duplicates.
"""

from __future__ import annotations

import hashlib
import hmac
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from skydd.errors import SkyddError

SIGNATURE_HEADER = "Skydd-Signature"
DELIVERY_HEADER = "Skydd-Delivery"
EVENT_HEADER = "Skydd-Event"
TOLERANCE_SECONDS = 300


def sign(secret: bytes, body: bytes, timestamp: int) -> str:
    """The Skydd-Signature header value for `body` sent at `timestamp`."""
    mac = hmac.new(secret, str(timestamp).encode("ascii") + b"." + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(
    secret: bytes,
    header: str,
    body: bytes,
    *,
    now: float | None = None,
    tolerance: int = TOLERANCE_SECONDS,
) -> bool:
    """Whether `header` is a valid, fresh signature of `body` (for receivers and tests)."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((now if now is not None else time.time()) - timestamp) > tolerance:
        return False
    expected = sign(secret, body, timestamp).rpartition("v1=")[2]
    return hmac.compare_digest(expected, parts.get("v1", ""))


def post(
    url: str,
    body: bytes,
    *,
    secret: bytes,
    delivery: str,
    event: str,
    timeout: float = 15.0,
) -> str:
    """POST the signed body; return the status line. SkyddError unless the answer is 2xx."""
    host = urlsplit(url).netloc or "the webhook"  # never the path or query: they may hold tokens
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "skydd-outbox/1",
        SIGNATURE_HEADER: sign(secret, body, int(time.time())),
        DELIVERY_HEADER: delivery,
        EVENT_HEADER: event,
    }
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            status = int(response.status)
    except urllib.error.HTTPError as exc:
        raise SkyddError(
            f"the webhook at {host} answered HTTP {exc.code}",
            hint="the notice is retried later; the receiver's log says why",
        ) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise SkyddError(
            f"cannot reach the webhook at {host}: {type(reason).__name__}",
            hint="the notice is retried later; check that the receiver runs",
        ) from None
    if not 200 <= status < 300:
        raise SkyddError(f"the webhook at {host} answered HTTP {status}")
    return f"HTTP {status}"
