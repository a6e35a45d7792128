"""The audience a marketing tool may receive, with only the fields it is declared to get.

``skydd marketing export --tool mailchimp`` reads, through the data map, every table used for
the list's purpose that holds a field the tool receives (AS-4: Mailchimp gets
``user.contact.email`` and nothing else), one set-based query per table, and keeps a row
only when the decision API allows the purpose on the channel for every identity in it:
never a restricted, objecting, suppressed or unsubscribed person, never one without the
consent the purpose needs, never a row blocked under a legal hold (EN-6).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from skydd.consent.book import ConsentBook
from skydd.consent.rights import MapInput, StoreInput, open_book
from skydd.datamap.models import DataMap, Recipient, Table
from skydd.errors import SkyddError
from skydd.execution.keys import key_text
from skydd.identity import try_normalise
from skydd.store.schema import blocked_rows

_CHANNEL_OF = (("email", "email"), ("phone", "sms"), ("address", "post"))


@dataclass(frozen=True)
class Source:
    system: str
    table: str
    fields: list[str]
    identities: dict[str, str]  # column -> identity kind
    primary_key: list[str]

    @property
    def key(self) -> str:
        return f"{self.system}.{self.table}"


@dataclass
class Audience:
    """Who may be sent to, and why the others were left out (counts only)."""

    tool: str
    recipient: str
    purpose: str
    channel: str
    fields: list[str]
    sources: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)
    left_out: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "tool": self.tool,
            "recipient": self.recipient,
            "purpose": self.purpose,
            "channel": self.channel,
            "fields": self.fields,
            "sources": self.sources,
            "count": len(self.rows),
            "left_out": self.left_out,
            "rows": self.rows,
        }


def find_recipient(datamap: DataMap, tool: str) -> tuple[str, Recipient]:
    """The recipient a tool name means: its key in the map, or a word of its name."""
    wanted = tool.strip().lower()
    if wanted in datamap.recipients:
        return wanted, datamap.recipients[wanted]
    named = [(k, r) for k, r in datamap.recipients.items() if wanted and wanted in r.name.lower()]
    if len(named) == 1:
        return named[0]
    raise SkyddError(
        f"the data map declares no recipient '{tool}'",
        hint="use a recipient key: " + ", ".join(sorted(datamap.recipients)),
    )


def _covers(categories: list[str], category: str) -> bool:
    return any(category == c or category.startswith(c + ".") for c in categories)


def sources(datamap: DataMap, recipient: Recipient, purpose: str) -> list[Source]:
    """Tables used for ``purpose`` that hold a field the recipient receives."""
    out = []
    for sname, tname, table in datamap.tables():
        if table.shared or table.personal is False or not _used_for(table, purpose):
            continue
        fields = [
            c for c, col in table.columns.items() if _covers(recipient.categories, col.category)
        ]
        if not fields:
            continue
        identities = {c: col.identity for c, col in table.columns.items() if col.identity}
        out.append(Source(sname, tname, fields, identities, list(table.primary_key)))
    return out


def _used_for(table: Table, purpose: str) -> bool:
    return purpose in table.purposes or any(
        purpose in (col.purposes or []) for col in table.columns.values()
    )


def _purpose(recipient_key: str, recipient: Recipient, purpose: str | None) -> str:
    if purpose is not None:
        if purpose not in recipient.purposes:
            raise SkyddError(
                f"the recipient '{recipient_key}' is not declared to receive data for '{purpose}'",
                hint="its purposes: " + (", ".join(recipient.purposes) or "none declared"),
            )
        return purpose
    if len(recipient.purposes) == 1:
        return recipient.purposes[0]
    raise SkyddError(
        f"say which list (purpose) to export for '{recipient_key}'",
        hint="--list one of: " + (", ".join(recipient.purposes) or "none declared"),
    )


def _channel(recipient: Recipient, channel: str | None) -> str:
    if channel is not None:
        return channel
    for word, found in _CHANNEL_OF:
        if any(word in c for c in recipient.categories):
            return found
    raise SkyddError("cannot tell the channel from what the recipient receives",
                     hint="give --channel email, sms or post")  # fmt: skip


def audience(
    map_: MapInput,
    *,
    tool: str,
    purpose: str | None = None,
    channel: str | None = None,
    store: StoreInput = None,
    today: date | None = None,
) -> Audience:
    """The rows ``tool`` may receive for the list's purpose (see the module docstring)."""
    with open_book(map_, store) as book:
        m = book.datamap
        key, recipient = find_recipient(m, tool)
        chosen = _purpose(key, recipient, purpose)
        ch = _channel(recipient, channel)
        found = sources(m, recipient, chosen)
        if not found:
            raise SkyddError(
                f"no table used for '{chosen}' holds a field that '{key}' receives",
                hint="check the tables' purposes and the recipient's categories in the map",
            )
        fields = list(dict.fromkeys(f for s in found for f in s.fields))
        result = Audience(tool, key, chosen, ch, fields, [s.key for s in found])
        reasons: Counter[str] = Counter()
        seen: set[tuple[Any, ...]] = set()
        for source in found:
            for row, hashes in _read(book, source):
                values = {f: row[f] for f in source.fields}
                if all(v is None or v == "" for v in values.values()):
                    reasons["no_address"] += 1
                    continue
                decision = book.may_hashes(hashes, chosen, ch, today=today)
                if not decision:
                    reasons[decision.reason] += 1
                    continue
                dedupe = tuple(str(v).strip().lower() for v in values.values())
                if dedupe in seen:
                    continue
                seen.add(dedupe)
                result.rows.append(values)
        result.left_out = dict(sorted(reasons.items()))
        return result


def _read(book: ConsentBook, source: Source) -> Iterator[tuple[dict[str, Any], list[str]]]:
    """Every row of one table (one query, streamed), with its identities hashed; rows
    blocked under a legal hold are left out."""
    from skydd.execution.systems import Systems

    m = book.datamap
    region = m.policy.default_region or m.controller.country
    custom = {k: d.normalise for k, d in m.identities.items()}
    blocked = _blocked(book, source.key)
    columns = list(dict.fromkeys([*source.primary_key, *source.fields, *source.identities]))
    schema = m.systems[source.system].schema_name
    table = sa.table(source.table, *[sa.column(c) for c in columns], schema=schema)
    with Systems(book.loaded) as systems, systems.open(source.system) as conn:
        result = conn.execution_options(stream_results=True).execute(sa.select(table))
        for raw in result.mappings():
            row = dict(raw)
            if blocked and key_text(tuple(row[c] for c in source.primary_key)) in blocked:
                continue
            hashes = []
            for column, kind in source.identities.items():
                value = row.get(column)
                if value is None:
                    continue
                norm = try_normalise(kind, str(value), region=region, custom=custom)
                if norm is not None:
                    hashes.append(book.hasher.identity(kind, norm))
            yield row, hashes


def _blocked(book: ConsentBook, table_key: str) -> set[str]:
    with book.store.engine.connect() as conn:
        return set(
            conn.execute(
                sa.select(blocked_rows.c.row_key).where(
                    blocked_rows.c.table_key == table_key, blocked_rows.c.released_at.is_(None)
                )
            ).scalars()
        )


def write_csv(result: Audience, path: Path) -> None:
    """The audience as CSV with the declared fields only, as marketing tools import it."""
    import csv

    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=result.fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(result.rows)
