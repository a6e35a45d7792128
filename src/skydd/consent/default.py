"""``skydd.may``: the decision API for the company's own applications, in-process.

A book (store, index, key) is opened once per data map and store and kept, so a call after
the first is a normalisation, a keyed hash and a few dictionary lookups.
"""

from __future__ import annotations

import os
import threading
import weakref
from datetime import date
from pathlib import Path

from skydd.consent.book import ConsentBook
from skydd.consent.decision import Decision
from skydd.datamap.loader import LoadedMap, load_map, resolve_map_path
from skydd.requests.access import IdentityInput
from skydd.store import Store
from skydd.store.db import DATABASE_URL_ENV

_BOOKS: dict[tuple[int | str, str | None], ConsentBook] = {}
_LOCK = threading.Lock()


def _forget(key: tuple[int | str, str | None]) -> None:
    with _LOCK:
        book = _BOOKS.pop(key, None)
    if book is not None:
        book.store.close()


def book_for(map_: LoadedMap | str | Path | None = None, store: str | None = None) -> ConsentBook:
    """The kept book for a map (a LoadedMap, a path, or SKYDD_MAP / ./privacy.yaml) and store."""
    from skydd.store import open_store

    if isinstance(map_, LoadedMap):
        key: tuple[int | str, str | None] = (id(map_), store or os.environ.get(DATABASE_URL_ENV))
    else:
        key = (str(resolve_map_path(map_).resolve()), store or os.environ.get(DATABASE_URL_ENV))
    with _LOCK:
        found = _BOOKS.get(key)
        if found is not None:
            return found
        loaded = map_ if isinstance(map_, LoadedMap) else load_map(map_)
        opened: Store = open_store(store, default_dir=loaded.directory)
        book = ConsentBook(opened, loaded)
        _BOOKS[key] = book
    if isinstance(map_, LoadedMap):
        weakref.finalize(map_, _forget, key)
    return book


def may(
    identity: IdentityInput,
    purpose: str,
    channel: str,
    *,
    map_: LoadedMap | str | Path | None = None,
    store: str | None = None,
    today: date | None = None,
) -> Decision:
    """May the company now use this person's data for ``purpose`` on ``channel``?

    ``identity`` is ``{"email": "anna@example.se"}`` (any identity kind of the map, or
    ``visitor`` for an anonymous website visitor). The answer is a ``Decision``: true or
    false, with ``reason`` and ``detail``. The store is ``store``, else SKYDD_DATABASE_URL,
    else ``.skydd/store.db`` beside the map.
    """
    return book_for(map_, store).may(identity, purpose, channel, today=today)


def close_all() -> None:
    """Close every kept book (tests, a server shutting down)."""
    for key in list(_BOOKS):
        _forget(key)
