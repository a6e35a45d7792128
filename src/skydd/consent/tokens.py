"""Signed links: one-click unsubscribe (RFC 8058) and the preference centre.

A token carries hashes, never an address: itsdangerous signs but does not encrypt, and a
link travels in mail. Each token is bound to what it is for (an unsubscribe to one purpose
or channel, a preference link to one person) and expires. The web layer serves
``POST /consent/unsubscribe/<token>`` (the ``List-Unsubscribe-Post`` target) and the
preference page; both call the functions here and then the ConsentBook.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from skydd.consent.keys import Hasher
from skydd.errors import SkyddError

UNSUBSCRIBE_MAX_AGE = 400 * 24 * 3600
"""An unsubscribe link keeps working for about 13 months: old mails are still clicked."""
PREFERENCES_MAX_AGE = 30 * 24 * 3600
"""A link to the preference centre works for 30 days."""


class TokenError(SkyddError):
    """A link that is not Skydd's, was changed, or has expired."""


@dataclass(frozen=True)
class Unsubscribe:
    """What an unsubscribe token says: whose identity (hash) and from what."""

    identity_hash: str
    purpose: str | None
    channel: str | None


class Tokens:
    """Make and read signed tokens with a secret derived from the consent key."""

    def __init__(self, hasher: Hasher) -> None:
        self._unsubscribe = URLSafeTimedSerializer(
            hasher.secret("unsubscribe"), salt="skydd.unsubscribe"
        )
        self._preferences = URLSafeTimedSerializer(
            hasher.secret("preferences"), salt="skydd.preferences"
        )

    def unsubscribe(
        self, identity_hash: str, *, purpose: str | None = None, channel: str | None = None
    ) -> str:
        """A token that unsubscribes one identity from one purpose or one channel."""
        if (purpose is None) == (channel is None):
            raise SkyddError("an unsubscribe link is for one purpose or one channel")
        return str(self._unsubscribe.dumps({"i": identity_hash, "p": purpose, "c": channel}))

    def read_unsubscribe(self, token: str, *, max_age: int = UNSUBSCRIBE_MAX_AGE) -> Unsubscribe:
        data = _load(self._unsubscribe, token, max_age)
        return Unsubscribe(str(data["i"]), data.get("p"), data.get("c"))

    def preferences(self, identity_hash: str) -> str:
        """A token that opens one person's preference centre."""
        return str(self._preferences.dumps({"i": identity_hash}))

    def read_preferences(self, token: str, *, max_age: int = PREFERENCES_MAX_AGE) -> str:
        return str(_load(self._preferences, token, max_age)["i"])


def _load(serializer: URLSafeTimedSerializer, token: str, max_age: int) -> dict[str, Any]:
    try:
        data = serializer.loads(token, max_age=max_age)
    except SignatureExpired:
        raise TokenError(
            "this link has expired", hint="ask for a new one, or write to the company"
        ) from None
    except BadSignature:
        raise TokenError("this link is not valid", hint="use the link exactly as sent") from None
    if not isinstance(data, dict) or "i" not in data:
        raise TokenError("this link is not valid", hint="use the link exactly as sent")
    return data


def list_unsubscribe_headers(url: str, mailto: str | None = None) -> dict[str, str]:
    """The two headers RFC 8058 asks of a one-click unsubscribe (``url`` must be https)."""
    if not url.startswith("https://"):
        raise SkyddError("a one-click unsubscribe URL must be https (RFC 8058)")
    targets = [f"<{url}>"] + ([f"<mailto:{mailto}>"] if mailto else [])
    return {
        "List-Unsubscribe": ", ".join(targets),
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
