"""Primary keys as JSON that reads back as the same Python values.

A saga stores the keys it will change so that it can resume after a crash without
searching again (the person may by then be half gone); the keys must bind to the
database exactly as they came from it: a Decimal stays a Decimal, a date a date.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

Key = tuple[Any, ...]


def encode(value: Any) -> Any:
    """One value as JSON, tagged where JSON has no type of its own."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return {"$dec": str(value)}
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, date):
        return {"$d": value.isoformat()}
    if isinstance(value, time):
        return {"$t": value.isoformat()}
    if isinstance(value, bytes | bytearray | memoryview):
        return {"$b": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, uuid.UUID):
        return {"$u": str(value)}
    return str(value)


_DECODERS: dict[str, Callable[[str], Any]] = {
    "$dec": Decimal,
    "$dt": datetime.fromisoformat,
    "$d": date.fromisoformat,
    "$t": time.fromisoformat,
    "$b": base64.b64decode,
    "$u": uuid.UUID,
}


def decode(value: Any) -> Any:
    if isinstance(value, dict) and len(value) == 1:
        ((tag, text),) = value.items()
        fn = _DECODERS.get(tag)
        if fn is not None:
            return fn(text)
    return value


def encode_key(key: Key) -> list[Any]:
    return [encode(v) for v in key]


def decode_key(data: list[Any]) -> Key:
    return tuple(decode(v) for v in data)


def key_text(key: Key) -> str:
    """The canonical text of a key, for a primary key column in Skydd's store."""
    return json.dumps(encode_key(key), separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def key_from_text(text: str) -> Key:
    return decode_key(json.loads(text))
