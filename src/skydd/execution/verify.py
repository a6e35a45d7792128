"""After an erasure: search again and say what of the person is still there, and why.

The person is searched by every identity found before the erasure (with the
finder's thorough mode by default, which normalises whole identity columns and so
catches copies stored in a format nobody foresaw). A row found again is expected
when the plan kept it (a hold, a shared row, a table the map keeps) or anonymised it
so that it no longer holds any of the person's identities. Every other row is a
leftover, and a leftover fails the request.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from skydd.execution.finder import Finder, Found, Identity
from skydd.execution.keys import Key, key_text

NOT_DELETED = "still there after it was deleted"
STILL_IDENTIFIES = "anonymised, but it still holds one of the person's identities"
NOT_FOUND_BEFORE = (
    "not found before the erasure: stored in another format or added since "
    "(run the erasure again with --thorough)"
)


@dataclass
class Expected:
    """What the plan did to each row, by table and key text."""

    kept: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    anonymised: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    deleted: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def add(self, what: str, table: str, keys: Iterable[Key]) -> None:
        getattr(self, what)[table].update(key_text(k) for k in keys)


@dataclass(frozen=True)
class Leftover:
    table: str
    key: Key
    why: str
    identities: frozenset[Identity] = frozenset()


def leftovers(
    finder: Finder, found: Found, expected: Expected, identities: set[Identity]
) -> list[Leftover]:
    """The rows found again that the erasure should have removed."""
    out: list[Leftover] = []
    for table, rows in found.rows.items():
        node = finder.graph.nodes[table]
        for key, row in rows.items():
            text = key_text(key)
            if text in expected.kept.get(table, ()):
                continue
            held = frozenset(finder.row_identities(node, row))
            if text in expected.anonymised.get(table, ()):
                if not held & identities:
                    continue
                why = STILL_IDENTIFIES
            elif text in expected.deleted.get(table, ()):
                why = NOT_DELETED
            else:
                why = NOT_FOUND_BEFORE
            out.append(Leftover(table, key, why, held))
    return out


def grouped(items: Iterable[Leftover], plain: Any) -> list[dict[str, Any]]:
    """Leftovers as the result reports them: per table and reason, with their keys."""
    groups: dict[tuple[str, str], list[Key]] = defaultdict(list)
    for item in items:
        groups[(item.table, item.why)].append(item.key)
    return [
        {"table": t, "rows": len(keys), "why": why, "keys": [[plain(v) for v in k] for k in keys]}
        for (t, why), keys in sorted(groups.items())
    ]


def counts(items: Iterable[Leftover]) -> Mapping[str, int]:
    out: dict[str, int] = defaultdict(int)
    for item in items:
        out[item.table] += 1
    return dict(sorted(out.items()))
