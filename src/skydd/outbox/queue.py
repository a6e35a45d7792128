"""Queueing Art. 19 notices: who received the data, and one outbox item per recipient.

A recipient received a table's data when the table's system is hosted by it
(`systems.*.processor`), or when it is declared to receive a category of one of
the table's columns and (if it lists purposes) one of the table's purposes: the
same rule the access report uses to tell the person who receives their data.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

import sqlalchemy as sa

from skydd.datamap.loader import LoadedMap
from skydd.datamap.models import DataMap, Recipient, Table
from skydd.errors import SkyddError
from skydd.outbox.events import NotificationsQueued
from skydd.outbox.texts import language_for
from skydd.store.schema import outbox_items

if TYPE_CHECKING:
    from skydd.store import Store

Event = Literal["rectification", "erasure", "restriction"]
EVENTS: tuple[str, ...] = ("rectification", "erasure", "restriction")
DEFAULT_MAX_ATTEMPTS = 8
BODY_VERSION = 1


@dataclass(frozen=True)
class OutboxItem:
    """One notice to one recipient, as `skydd outbox list` shows it (no personal data)."""

    item_id: str
    request_id: str
    event: str
    recipient: str
    channel: str
    target: str | None
    tables: list[str]
    status: str
    attempts: int
    max_attempts: int
    next_attempt_at: str | None
    last_error: str | None
    created_at: str
    sent_at: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.item_id,
            "request_id": self.request_id,
            "event": self.event,
            "recipient": self.recipient,
            "channel": self.channel,
            "target": self.target,
            "tables": self.tables,
            "status": self.status,
            "attempts": self.attempts,
            "max_attempts": self.max_attempts,
            "next_attempt_at": self.next_attempt_at,
            "last_error": self.last_error,
            "created_at": self.created_at,
            "sent_at": self.sent_at,
        }


def now_iso(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="microseconds")


def _covers(prefix: str, key: str) -> bool:
    return key == prefix or key.startswith(prefix + ".")


def _table(m: DataMap, key: str) -> tuple[str, Table] | None:
    system, _, name = key.partition(".")
    sys_decl = m.systems.get(system)
    table = sys_decl.tables.get(name) if sys_decl else None
    return (system, table) if table is not None else None


def _received(m: DataMap, key: str, r: Recipient, system: str, table: Table) -> list[str]:
    """The categories of `table` the recipient received; ["*"] when it hosts the system."""
    categories = {c.category for c in table.columns.values() if c.category != "TODO"}
    if m.systems[system].processor == key:
        return sorted(categories) or ["*"]
    if not r.categories and not r.purposes:
        return []
    if r.categories:
        categories = {c for c in categories if any(_covers(rc, c) for rc in r.categories)}
        if not categories:
            return []
    if r.purposes:
        purposes = set(table.purposes)
        for col in table.columns.values():
            purposes.update(col.purposes or ())
        if not purposes & set(r.purposes):
            return []
    return sorted(categories)


_INDEX: dict[int, tuple[DataMap, dict[str, dict[str, list[str]]]]] = {}


def _index(m: DataMap) -> dict[str, dict[str, list[str]]]:
    """{"system.table": {recipient: categories received}}, worked out once per map."""
    cached = _INDEX.get(id(m))
    if cached is not None and cached[0] is m:
        return cached[1]
    index: dict[str, dict[str, list[str]]] = {}
    for system, tname, table in m.tables():
        for rkey, r in m.recipients.items():
            cats = _received(m, rkey, r, system, table)
            if cats:
                index.setdefault(f"{system}.{tname}", {})[rkey] = cats
    if len(_INDEX) > 16:
        _INDEX.clear()
    _INDEX[id(m)] = (m, index)
    return index


def recipients_for(m: DataMap, tables: Iterable[str]) -> dict[str, dict[str, list[str]]]:
    """{recipient key: {"system.table": categories received}} for the given tables."""
    index = _index(m)
    found: dict[str, dict[str, list[str]]] = {}
    keys = list(dict.fromkeys(tables))
    for rkey in m.recipients:
        for tkey in keys:
            cats = index.get(tkey, {}).get(rkey)
            if cats:
                found.setdefault(rkey, {})[tkey] = cats
    return found


def channel_of(r: Recipient) -> tuple[str, str | None]:
    """("email", address) | ("webhook", url) | ("none", None)."""
    if not r.notify:
        return "none", None
    if r.notify.startswith("mailto:"):
        return "email", r.notify.removeprefix("mailto:").split("?", 1)[0]
    return "webhook", r.notify


def _subject_for(
    m: DataMap, received: Mapping[str, list[str]], subject: Mapping[str, Sequence[str]]
) -> dict[str, list[str]]:
    """The person's identities of the kinds the recipient holds, so it can find them."""
    kinds: set[str] = set()
    for tkey, cats in received.items():
        located = _table(m, tkey)
        if located is None:
            continue
        for col in located[1].columns.values():
            if col.identity and ("*" in cats or col.category in cats):
                kinds.add(col.identity)
    return {k: list(v) for k, v in subject.items() if k in kinds and v}


def _changes_for(
    received: Mapping[str, list[str]], m: DataMap, changes: Mapping[str, str]
) -> dict[str, str]:
    out: dict[str, str] = {}
    for ckey, value in changes.items():
        tkey, _, column = ckey.rpartition(".")
        cats = received.get(tkey)
        located = _table(m, tkey)
        if not cats or located is None or column not in located[1].columns:
            continue
        if "*" in cats or located[1].columns[column].category in cats:
            out[ckey] = value
    return out


@dataclass(frozen=True)
class Notice:
    """What one request tells: its tables, and what recipients need to act (see below)."""

    request_id: str
    tables: Sequence[str]
    subject: Mapping[str, Sequence[str]] | None = None
    changes: Mapping[str, str] | None = None


def notify_recipients(
    store: Store,
    loaded_map: LoadedMap,
    *,
    event: str,
    request_id: str,
    tables: Iterable[str],
    subject: Mapping[str, Sequence[str]] | None = None,
    changes: Mapping[str, str] | None = None,
    actor: str = "system",
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    now: datetime | None = None,
) -> list[str]:
    """Queue one Art. 19 notice per recipient that received data from `tables`.

    `subject` ({identity kind: values}) and `changes` ({"system.table.column": new
    value}) are what the recipient needs to act; each recipient gets only the kinds
    and columns it holds; with `changes`, only recipients of a changed column are told.
    Both stay in the store until the notice is sent or given up, then are cleared.
    Returns the new items' ids; a recipient without a `notify` address gets an item
    that is `failed` at once, so it shows in `skydd outbox list` and is told another way.
    """
    notice = Notice(request_id, list(tables), subject, changes)
    items = queue_notices(
        store, loaded_map, [notice], event=event, actor=actor, max_attempts=max_attempts, now=now
    )
    return [i.item_id for i in items]


def queue_notices(
    store: Store,
    loaded_map: LoadedMap,
    notices: Sequence[Notice],
    *,
    event: str,
    actor: str = "system",
    batch_id: str | None = None,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    now: datetime | None = None,
) -> list[OutboxItem]:
    """`notify_recipients` for many requests at once (an erasure batch): one insert and
    one audit event (under `batch_id` when there are several requests)."""
    if event not in EVENTS:
        raise SkyddError(
            f"unknown Art. 19 event {event!r}", hint="use rectification, erasure or restriction"
        )
    m = loaded_map.datamap
    stamp = now_iso(now)
    rows: list[dict[str, Any]] = []
    cache: dict[tuple[str, ...], dict[str, dict[str, list[str]]]] = {}
    for notice in notices:
        key = tuple(sorted(set(notice.tables)))
        if key not in cache:
            cache[key] = recipients_for(m, key)
        rows += _rows(m, notice, cache[key], event, stamp, max_attempts)
    if not rows:
        return []
    with store.engine.begin() as conn:
        for i in range(0, len(rows), 500):
            conn.execute(sa.insert(outbox_items), rows[i : i + 500])
    told = sorted({r["recipient"] for r in rows})
    unreachable = sorted({r["recipient"] for r in rows if r["channel"] == "none"})
    ids = sorted({r["request_id"] for r in rows})
    if len(ids) == 1:
        queued = NotificationsQueued(ids[0], event, told, unreachable)
    else:
        queued = NotificationsQueued(batch_id or ids[0], event, told, unreachable, ids)
    store.audit.append(queued, actor=actor)
    return [_item(_RowView(r)) for r in rows]


class _RowView:
    """A dict read like a result row, so `_item` serves both."""

    def __init__(self, row: Mapping[str, Any]) -> None:
        self.__dict__.update(row)


def _rows(
    m: DataMap,
    notice: Notice,
    found: Mapping[str, dict[str, list[str]]],
    event: str,
    stamp: str,
    max_attempts: int,
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for rkey, received in found.items():
        changed = _changes_for(received, m, notice.changes or {})
        if notice.changes and not changed:
            continue  # it received the tables, but none of the changed columns
        r = m.recipients[rkey]
        channel, target = channel_of(r)
        body: dict[str, Any] = {
            "version": BODY_VERSION,
            "request_id": notice.request_id,
            "event": event,
            "controller": m.controller.name,
            "recipient": rkey,
            "tables": sorted(received),
            "categories": sorted({c for cats in received.values() for c in cats if c != "*"}),
            "occurred_at": stamp,
            "lang": language_for(r.country),
        }
        person = _subject_for(m, received, notice.subject or {})
        if person:
            body["subject"] = person
        if changed:
            body["changes"] = changed
        row: dict[str, Any] = {
            "item_id": "N-" + uuid.uuid4().hex[:20],
            "request_id": notice.request_id,
            "event": event,
            "recipient": rkey,
            "channel": channel,
            "target": target,
            "secret_env": r.notify_secret if channel == "webhook" else None,
            "body": json.dumps(body, ensure_ascii=False, sort_keys=True),
            "status": "pending",
            "attempts": 0,
            "max_attempts": max_attempts,
            "next_attempt_at": stamp,
            "last_error": None,
            "created_at": stamp,
            "updated_at": stamp,
            "sent_at": None,
            "message_id": None,
        }
        if channel == "none":
            row.update(
                status="failed",
                next_attempt_at=None,
                body=json.dumps(_cleared(body), sort_keys=True),
                last_error=f"recipients.{rkey} has no notify address: tell them another way, "
                "or add notify: mailto:... or an https:// webhook to the map",
            )
        rows.append(row)
    return rows


def _cleared(body: Mapping[str, Any]) -> dict[str, Any]:
    """The body without the person's identities and new values."""
    out = {k: v for k, v in body.items() if k not in ("subject", "changes")}
    if "subject" in body or "changes" in body:
        out["cleared"] = True
    return out


def _item(row: Any) -> OutboxItem:
    body = json.loads(row.body)
    return OutboxItem(
        item_id=row.item_id,
        request_id=row.request_id,
        event=row.event,
        recipient=row.recipient,
        channel=row.channel,
        target=row.target,
        tables=list(body.get("tables", [])),
        status=row.status,
        attempts=row.attempts,
        max_attempts=row.max_attempts,
        next_attempt_at=row.next_attempt_at,
        last_error=row.last_error,
        created_at=row.created_at,
        sent_at=row.sent_at,
    )


def list_items(
    store: Store,
    *,
    status: str | None = None,
    request_id: str | None = None,
    limit: int | None = None,
) -> list[OutboxItem]:
    """Outbox items, newest first, optionally of one status or one request."""
    query = sa.select(outbox_items).order_by(
        outbox_items.c.created_at.desc(), outbox_items.c.item_id
    )
    if status:
        query = query.where(outbox_items.c.status == status)
    if request_id:
        query = query.where(outbox_items.c.request_id == request_id)
    if limit:
        query = query.limit(limit)
    with store.engine.connect() as conn:
        return [_item(row) for row in conn.execute(query)]


def items_for_requests(store: Store, request_ids: Iterable[str]) -> dict[str, list[OutboxItem]]:
    """The notices of each request, oldest first; requests without any are left out."""
    ids = list(dict.fromkeys(request_ids))
    out: dict[str, list[OutboxItem]] = {}
    with store.engine.connect() as conn:
        for i in range(0, len(ids), 500):
            query = (
                sa.select(outbox_items)
                .where(outbox_items.c.request_id.in_(ids[i : i + 500]))
                .order_by(outbox_items.c.created_at, outbox_items.c.recipient)
            )
            for row in conn.execute(query):
                out.setdefault(row.request_id, []).append(_item(row))
    return out


def notified_entries(m: DataMap, items: Iterable[OutboxItem]) -> list[dict[str, Any]]:
    """A result's and receipt's `notified`: recipient, name, channel, outbox id, state."""
    out = [
        {
            "recipient": i.recipient,
            "name": m.recipients[i.recipient].name if i.recipient in m.recipients else i.recipient,
            "channel": i.channel,
            "id": i.item_id,
            "status": i.status,
            "tables": i.tables,
        }
        for i in items
    ]
    return sorted(out, key=lambda x: x["recipient"])
