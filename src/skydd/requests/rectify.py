"""The right to rectification (Art. 16), end to end.

`rectify` finds the person as an access request does, validates each new value (the
column's declared type; an identity column's format: an email must be an email, a
personnummer valid), and applies it everywhere that value lives: a new email for the
person's contact row replaces the same old email in every identity column of that
kind among the person's rows (the CRM and the ERP), not just the one named. Each
company database changes in one transaction; each row's update is guarded by its old
value, so a rerun after a failure changes only what is still old. The audit log gets
the columns and counts, and the old and new values only as keyed hashes
(HMAC-SHA256 with the pseudonym key), never in clear. Recipients that received the
changed tables are then told (Art. 19) through the outbox.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import sqlalchemy as sa

from skydd.datamap.loader import LoadedMap
from skydd.datamap.models import Column, DataMap
from skydd.errors import SkyddError
from skydd.execution.finder import Finder, Found, Row
from skydd.identity import IdentityError, normalise
from skydd.planning.graph import Node
from skydd.requests.access import IdentityInput, _searching, _start, normalise_identities
from skydd.requests.erasure import _store as _opened
from skydd.retention.anonymise import pseudonym_key
from skydd.store.events import AuditEvent, register_event

if TYPE_CHECKING:
    from skydd.store import Store

_TRUE = {"true", "1", "yes", "ja", "on"}
_FALSE = {"false", "0", "no", "nej", "off"}


@register_event
@dataclass(frozen=True)
class RectificationApplied(AuditEvent):
    """Event kind: ``rectification-applied``

    What a rectification changed. Values appear only as keyed hashes (HMAC-SHA256 with
    the pseudonym key over ``system.table.column`` and the value, identities in their
    canonical form), so whoever holds the key can check that a given value was the old
    or the new one; nobody can read them.

    :ivar request_id: the rectification request.
    :ivar columns: per ``system.table.column``: ``rows`` changed, ``old`` (hashes of the
        values replaced), ``new`` (hash of the new value).
    """

    kind: ClassVar[str] = "rectification-applied"

    request_id: str
    columns: dict[str, dict[str, Any]]


@dataclass(frozen=True)
class Change:
    """One validated `--set`: the column, the value to bind, and its identity kind."""

    key: str  # system.table.column
    node: str  # system.table
    column: str
    value: Any
    text: str
    kind: str | None
    canonical: str | None  # the identity's normalised form


@dataclass(frozen=True)
class _Update:
    node: Node
    column: str
    pk: tuple[Any, ...]
    old: Any
    new: Any
    change: Change


@dataclass
class RectifyResult:
    """What a rectification changed; `as_json` is the CLI's --format json."""

    request_id: str
    dry_run: bool
    changed: dict[str, int]
    notified: list[dict[str, Any]] = field(default_factory=list)
    ambiguous: int = 0
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def as_json(self) -> dict[str, Any]:
        return {
            "request_id": self.request_id,
            "dry_run": self.dry_run,
            "changed": self.changed,
            "notified": self.notified,
            "ambiguous": self.ambiguous,
            "warnings": self.warnings,
        }


def parse_set(text: str) -> tuple[str, str]:
    """'crm.contacts.email=new@example.se' -> ('crm.contacts.email', 'new@example.se')."""
    key, sep, value = text.partition("=")
    if not sep or key.count(".") != 2 or not all(key.split(".")):
        raise SkyddError(
            f"--set expects system.table.column=value, found '{key.strip()}{sep}…'",
            hint="for example --set crm.contacts.email=anna.berg@example.se",
        )
    return key.strip(), value.strip()


def _typed(key: str, col: Column, raw: str) -> Any:
    """The value bound for the column's declared type; SkyddError naming the type if not."""
    kind = col.type or "text"
    try:
        if kind == "integer":
            digits = raw[1:] if raw[:1] in "+-" else raw
            if not (digits.isascii() and digits.isdigit()):
                raise ValueError(raw)
            return int(raw)
        if kind == "numeric":
            number = Decimal(raw)
            if not number.is_finite():
                raise ValueError(raw)
            return number
        if kind == "boolean":
            folded = raw.casefold()
            if folded not in _TRUE | _FALSE:
                raise ValueError(raw)
            return folded in _TRUE
        if kind == "date":
            return date.fromisoformat(raw)
        if kind == "timestamp":
            return datetime.fromisoformat(raw)
        if kind == "json":
            json.loads(raw)
            return raw
    except (ValueError, InvalidOperation):
        expected = {
            "integer": "a whole number",
            "numeric": "a number such as 12.50",
            "boolean": "true or false",
            "date": "a date as YYYY-MM-DD",
            "timestamp": "a time as YYYY-MM-DDTHH:MM:SS",
            "json": "JSON",
        }[kind]
        raise SkyddError(
            f"the new value for {key} is not {expected} (the column's declared type is {kind})",
            hint="correct the value after the = sign",
        ) from None
    if kind == "blob":
        raise SkyddError(
            f"{key} holds binary data, which cannot be set from the command line",
            hint="correct it in the system itself",
        )
    return raw


def validate(
    m: DataMap, sets: Sequence[tuple[str, str]], *, region: str, custom: Mapping[str, str]
) -> list[Change]:
    """Check every `--set` against the map before anything is searched or changed."""
    if not sets:
        raise SkyddError(
            "nothing to rectify", hint="give --set system.table.column=value, once or more"
        )
    changes: list[Change] = []
    for key, raw in sets:
        system, table, column = key.split(".")
        decl = m.systems.get(system)
        tdecl = decl.tables.get(table) if decl else None
        col = tdecl.columns.get(column) if tdecl else None
        if tdecl is None or col is None:
            raise SkyddError(
                f"the map declares no column {key}",
                hint="name a column as system.table.column, as in the map",
            )
        referenced = {c for ref in tdecl.references for c in ref.columns}
        if column in tdecl.primary_key or column in referenced:
            raise SkyddError(
                f"{key} is a key that links records together; rectifying it would break the links",
                hint="correct keys in the system itself",
            )
        if not raw:
            raise SkyddError(
                f"no new value for {key}",
                hint="give the corrected value after the = sign; to remove data, "
                "use skydd request erase",
            )
        value = _typed(key, col, raw)
        canonical = None
        if col.identity:
            try:
                canonical = normalise(col.identity, raw, region=region, custom=custom)
            except IdentityError as exc:
                raise SkyddError(
                    f"the new value for {key} is not a valid {col.identity}: {exc.message}",
                    hint=exc.hint or "correct the value after the = sign",
                ) from None
        changes.append(
            Change(key, f"{system}.{table}", column, value, raw, col.identity, canonical)
        )
    if len({c.key for c in changes}) != len(changes):
        raise SkyddError("a column is given twice with --set", hint="give each column once")
    return changes


def _updates(finder: Finder, found: Found, changes: Iterable[Change]) -> list[_Update]:
    """Every (row, column) that gets a new value: identities wherever the old value lives."""
    out: dict[tuple[str, str, tuple[Any, ...]], _Update] = {}
    for change in changes:
        node = finder.graph.nodes[change.node]
        rows = found.rows.get(change.node, {})
        if not rows and found.shared.get(change.node):
            raise SkyddError(
                f"{change.node} holds records shared with other people (a customer company), "
                f"so {change.key} is not the person's alone to rectify",
                hint="correct it in the system itself",
            )
        if not rows:
            raise SkyddError(
                f"the person has no record in {change.node}, so {change.key} cannot be rectified",
                hint="check the identities given; skydd request access shows what is found",
            )
        for pk, row in rows.items():
            old = row.get(change.column)
            # Not an identity: every row of the person in the table. An identity: the
            # rows where it is missing here (completed); the old value is followed below.
            if (change.kind is None and old != change.value) or (
                change.kind is not None and old in (None, "")
            ):
                out[(node.key, change.column, pk)] = _Update(
                    node, change.column, pk, old, change.value, change
                )
        if change.kind is not None:
            for u in _same_identity(finder, found, change, rows.values()):
                out.setdefault((u.node.key, u.column, u.pk), u)
    return list(out.values())


def _same_identity(
    finder: Finder, found: Found, change: Change, named: Iterable[Row]
) -> list[_Update]:
    """Every identity column of the same kind, in all the person's rows, holding an old value."""
    assert change.kind is not None
    base = finder.base_kind(change.kind)
    olds = {
        finder.normalise(change.kind, row[change.column])
        for row in named
        if row.get(change.column) not in (None, "")
    } - {None, change.canonical}
    out: list[_Update] = []
    for key, table_rows in found.rows.items():
        target = finder.graph.nodes[key]
        for column, kind in target.identity_columns:
            if finder.base_kind(kind) != base:
                continue
            for pk, row in table_rows.items():
                value = row.get(column)
                if value not in (None, "") and finder.normalise(kind, value) in olds:
                    out.append(_Update(target, column, pk, value, change.value, change))
    return out


def _bindable(conn: sa.Connection, value: Any) -> Any:
    if conn.dialect.name == "sqlite" and isinstance(value, date | datetime | Decimal):
        return value.isoformat() if isinstance(value, date | datetime) else str(value)
    return value


def _apply(finder: Finder, updates: list[_Update]) -> dict[str, int]:
    """One transaction per database; each row only if it still holds the old value."""
    changed: dict[str, int] = defaultdict(int)
    by_system: dict[str, list[_Update]] = defaultdict(list)
    for u in updates:
        by_system[u.node.system].append(u)
    for system, items in by_system.items():
        engine = finder.engine_for(system)
        node = items[0].node
        try:
            with engine.begin() as conn:
                for u in items:
                    node = u.node
                    names = dict.fromkeys([*node.primary_key, u.column])
                    table = sa.table(node.table, *(sa.column(c) for c in names), schema=node.schema)
                    where = [table.c[c] == v for c, v in zip(node.primary_key, u.pk, strict=True)]
                    col = table.c[u.column]
                    where.append(col.is_(None) if u.old is None else col == u.old)
                    stmt = sa.update(table).where(*where).values({u.column: _bindable(conn, u.new)})
                    changed[f"{node.key}.{u.column}"] += conn.execute(stmt).rowcount
        except sa.exc.DBAPIError as exc:
            raise finder.explained(exc, node) from None
    return dict(sorted(changed.items()))


def _hash(key: bytes, column: str, value: Any, kind: str | None, finder: Finder) -> str:
    text = str(value)
    if kind is not None:
        text = finder.normalise(kind, value) or text
    return hmac.new(key, f"{column}\n{text}".encode(), hashlib.sha256).hexdigest()


def _audit_columns(
    updates: list[_Update], changed: Mapping[str, int], key: bytes, finder: Finder
) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for u in updates:
        name = f"{u.node.key}.{u.column}"
        kind = dict(u.node.identity_columns).get(u.column)
        entry = out.setdefault(
            name,
            {"rows": changed.get(name, 0), "old": [], "new": _hash(key, name, u.new, kind, finder)},
        )
        old = _hash(key, name, u.old, kind, finder) if u.old is not None else None
        if old is not None and old not in entry["old"]:
            entry["old"].append(old)
    return out


def rectify(
    map_: LoadedMap | str | Path | None,
    identities: IdentityInput,
    sets: Sequence[tuple[str, str]] | Mapping[str, str],
    *,
    dry_run: bool = False,
    store: str | Store | None = None,
    actor: str = "cli",
    thorough: bool = False,
) -> RectifyResult:
    """Rectify the person's data: validate, apply everywhere the value lives, audit, notify.

    `sets` maps ``system.table.column`` to the corrected value. `dry_run` reports what
    would change and records nothing.
    """
    started = time.perf_counter()
    pairs = list(sets.items()) if isinstance(sets, Mapping) else list(sets)
    req = _start("rectification", map_, identities, store, actor, not dry_run)
    loaded = req.loaded
    m = loaded.datamap
    region = m.policy.default_region or m.controller.country
    custom = {k: d.normalise for k, d in m.identities.items()}
    with req.failures_recorded():
        changes = validate(m, pairs, region=region, custom=custom)
        idents = normalise_identities(loaded, identities)
        with _searching(map_, loaded) as finder:
            found = finder.find(idents, thorough=thorough)
            if not found.found:
                raise SkyddError(
                    "no personal data found for these identities: nothing to rectify",
                    hint="check the identities; skydd request access shows what is found",
                )
            updates = _updates(finder, found, changes)
            if dry_run:
                planned: dict[str, int] = defaultdict(int)
                for u in updates:
                    planned[f"{u.node.key}.{u.column}"] += 1
                return RectifyResult(
                    req.request_id, True, dict(sorted(planned.items())), [],
                    len(found.ambiguous), seconds=time.perf_counter() - started,
                )  # fmt: skip
            changed = _apply(finder, updates)
            columns = _audit_columns(updates, changed, pseudonym_key(loaded.directory), finder)
    kinds = sorted({k for k, _ in idents} | {k for k, _ in found.identities})
    with _opened(store, loaded) as st:
        st.audit.append(RectificationApplied(req.request_id, columns), actor=actor)
        req.store = st
        req.done("done", list(m.systems), changed, kinds=kinds)
        notified = _notify(st, loaded, req.request_id, found, updates, changed, actor)
    warnings = []
    if found.ambiguous:
        warnings.append(
            f"{len(found.ambiguous)} record(s) may be this person's but could be someone "
            "else's: they were not changed; review them (skydd request access shows which)"
        )
    return RectifyResult(
        req.request_id, False, changed, notified, len(found.ambiguous), warnings,
        time.perf_counter() - started,
    )  # fmt: skip


def _notify(
    st: Store,
    loaded: LoadedMap,
    request_id: str,
    found: Found,
    updates: list[_Update],
    changed: Mapping[str, int],
    actor: str,
) -> list[dict[str, Any]]:
    """Queue the Art. 19 notices; return who is told, as the result and receipt list them."""
    from skydd.outbox import list_items, notified_entries, notify_recipients

    tables = sorted({u.node.key for u in updates if changed.get(f"{u.node.key}.{u.column}")})
    if not tables:
        return []
    subject: dict[str, list[str]] = defaultdict(list)
    for kind, value in sorted(found.identities):
        subject[kind].append(value)
    new_values = {f"{u.node.key}.{u.column}": u.change.text for u in updates}
    ids = set(
        notify_recipients(
            st,
            loaded,
            event="rectification",
            request_id=request_id,
            tables=tables,
            subject=subject,
            changes=new_values,
            actor=actor,
        )  # fmt: skip
    )
    items = [i for i in list_items(st, request_id=request_id) if i.item_id in ids]
    return notified_entries(loaded.datamap, items)
