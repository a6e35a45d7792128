"""How a request keeps the identities it needs: normalised values while it is open, keyed
hashes for good.

The values are what ``run`` searches by; they are cleared when the request ends.
The hashes (HMAC-SHA-256 of kind and value) let Skydd find earlier requests by the
same person (repeat requests, DSR-6) without keeping anything that can be read back.
The key is ``SKYDD_IDENTITY_KEY`` when set (keep it outside the store), else a random
key generated once per store and kept in it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import threading

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from skydd.datamap.loader import LoadedMap
from skydd.errors import SkyddError
from skydd.requests.access import IdentityInput, normalise_identities
from skydd.store import Store
from skydd.store.schema import workflow_secrets
from skydd.workflow.storage import writing

IDENTITY_KEY_ENV = "SKYDD_IDENTITY_KEY"
_KEY_NAME = "identity-hash-key"
_KEYS: dict[tuple[int, str], bytes] = {}
_LOCK = threading.Lock()

Identities = tuple[tuple[str, str], ...]


def normalised(loaded: LoadedMap, identities: IdentityInput) -> Identities:
    """The identities in canonical form, sorted; an error names the kind, never the value."""
    return tuple(sorted(normalise_identities(loaded, identities)))


def identity_key(store: Store) -> bytes:
    """The HMAC key for identity hashes in this store."""
    env = os.environ.get(IDENTITY_KEY_ENV)
    if env:
        if len(env) < 16:
            raise SkyddError(
                f"{IDENTITY_KEY_ENV} is too short ({len(env)} characters)",
                hint="use at least 32 random characters",
            )
        return env.encode("utf-8")
    cache_key = (id(store.engine), str(store.url))
    with _LOCK:
        cached = _KEYS.get(cache_key)
        if cached is None:
            cached = _stored_key(store)
            _KEYS[cache_key] = cached
    return cached


def _stored_key(store: Store) -> bytes:
    query = select(workflow_secrets.c.value).where(workflow_secrets.c.name == _KEY_NAME)
    with store.engine.connect() as conn:
        value = conn.execute(query).scalar_one_or_none()
    if value is None:
        try:
            with writing(store) as conn:
                conn.execute(
                    insert(workflow_secrets).values(name=_KEY_NAME, value=secrets.token_urlsafe(48))
                )
        except IntegrityError:
            pass  # another process made it first; read theirs
        with store.engine.connect() as conn:
            value = conn.execute(query).scalar_one()
    return str(value).encode("utf-8")


def identity_hash(key: bytes, kind: str, value: str) -> str:
    """The keyed hash of one normalised identity."""
    return hmac.new(key, f"{kind}\x00{value}".encode(), hashlib.sha256).hexdigest()


def encode(identities: Identities) -> str:
    return json.dumps([list(pair) for pair in identities], ensure_ascii=False)


def decode(text: str | None) -> Identities | None:
    if text is None:
        return None
    return tuple((str(k), str(v)) for k, v in json.loads(text))
