"""Keyed hashes: how the consent ledger names people, visitors and networks without storing them.

The key is the pseudonym key of `skydd.retention.anonymise` (``SKYDD_PSEUDONYM_KEY``, else
``.skydd/pseudonym.key`` beside the data map), narrowed to consent by HMAC with a label so a
ledger hash never equals a pseudonym written into a company database. A store remembers the
fingerprint of the key its hashes were made with and refuses another: with a changed key every
suppressed address would silently match nothing again.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError

from skydd.errors import SkyddError
from skydd.retention.anonymise import KEY_ENV, pseudonym_key
from skydd.store.schema import consent_keys

_LABEL = b"skydd.consent.v1"


class Hasher:
    """Keyed hashes of identities and IP networks, and the secret for signed links."""

    def __init__(self, key: bytes) -> None:
        self._key = hmac.new(key, _LABEL, hashlib.sha256).digest()
        self.fingerprint = self._mac("fingerprint")

    @classmethod
    def for_directory(cls, directory: Path) -> Hasher:
        return cls(pseudonym_key(directory))

    def _mac(self, text: str) -> str:
        return hmac.new(self._key, text.encode("utf-8"), hashlib.sha256).hexdigest()

    def identity(self, kind: str, value: str) -> str:
        """The hash of one normalised identity (kind and value)."""
        return self._mac(f"id\x00{kind}\x00{value}")

    def ip(self, address: str) -> str | None:
        """The hash of the network an address is in (/24 for IPv4, /48 for IPv6); None if
        the text is not an address. The address itself is never stored."""
        network = _network(address.strip())
        return None if network is None else self._mac(f"ip\x00{network}")

    def secret(self, purpose: str) -> bytes:
        """A secret for one use (signing links), derived from the key."""
        return hmac.new(self._key, f"secret\x00{purpose}".encode(), hashlib.sha256).digest()

    def check_store(self, engine: Engine) -> None:
        """Record this key's fingerprint in a new store; refuse a store made with another key."""
        with engine.connect() as conn:
            stored = conn.execute(select(consent_keys.c.fingerprint)).scalar_one_or_none()
        if stored is None:
            try:
                with engine.begin() as conn:
                    conn.execute(
                        insert(consent_keys).values(
                            id=1,
                            fingerprint=self.fingerprint,
                            created_at=datetime.now(UTC).isoformat(timespec="microseconds"),
                        )
                    )
                return
            except IntegrityError:  # another process was first: compare with its key
                with engine.connect() as conn:
                    stored = conn.execute(select(consent_keys.c.fingerprint)).scalar_one()
        if stored != self.fingerprint:
            raise SkyddError(
                "the consent ledger in this store was written with another key, so its "
                "hashes (suppression list, consents) would not match",
                hint=f"set {KEY_ENV} to the key used before (or run from the folder whose "
                ".skydd/pseudonym.key wrote the ledger)",
            )


@lru_cache(maxsize=65536)
def _network(text: str) -> str | None:
    """'192.0.2.77' -> '192.0.2.0/24'; IPv6 to its /48; IPv4-mapped IPv6 as IPv4."""
    parts = text.split(".")
    if len(parts) == 4 and all(p.isdigit() and len(p) <= 3 and int(p) < 256 for p in parts):
        return f"{int(parts[0])}.{int(parts[1])}.{int(parts[2])}.0/24"
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))
