"""Legal holds the DPO places on one person (a legal claim, Art. 17(3)(e)).

`skydd hold add` finds the person's rows the way an access request does and keeps,
in Skydd's store:

- the primary keys of the rows found (`person_hold_rows`): what retention keeps;
  rows added for the person later are not covered: place the hold again;
- a keyed hash (HMAC-SHA-256, the pseudonym key: SKYDD_PSEUDONYM_KEY or
  `.skydd/pseudonym.key` beside the map) of every normalised identity given or
  found (`person_hold_identities`): an erasure request by any of them finds the
  hold without Skydd keeping the values.

The hold wins over retention (`plan` shows the rows as held with the hold's id and
reason) and over erasure (`person_holds_for`), until it is released or its `until`
date has passed. Placing and releasing are audited with counts and identity kinds
only: the reason may name the person and stays in the store.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from skydd.datamap.loader import LoadedMap, load_map
from skydd.errors import SkyddError
from skydd.execution.keys import Key, key_from_text, key_text
from skydd.retention.anonymise import pseudonym_key
from skydd.store import Store, open_store
from skydd.store.schema import person_hold_identities, person_hold_rows, person_holds

IdentityInput = Mapping[str, str | Sequence[str]] | Sequence[tuple[str, str]]
RowKeys = Mapping[str, Iterable[Key]]
"""'system.table' -> primary keys (tuples of the key columns' values)."""


@dataclass(frozen=True)
class PersonHold:
    hold_id: str
    hold: str | None
    reason: str
    until: date | None
    placed_at: str
    placed_by: str
    released_at: str | None
    released_by: str | None
    identity_kinds: tuple[str, ...]
    rows: dict[str, int] = field(default_factory=dict)

    def active(self, on: date) -> bool:
        return self.released_at is None and (self.until is None or on <= self.until)

    @property
    def label(self) -> str:
        """How retention names the hold in a plan: its id and (the start of) its reason."""
        reason = self.reason if len(self.reason) <= 60 else self.reason[:59] + "…"
        return f"legal claim {self.hold_id}: {reason}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "hold_id": self.hold_id,
            "hold": self.hold,
            "reason": self.reason,
            "until": self.until.isoformat() if self.until else None,
            "placed_at": self.placed_at,
            "placed_by": self.placed_by,
            "released_at": self.released_at,
            "released_by": self.released_by,
            "identity_kinds": list(self.identity_kinds),
            "rows": self.rows,
        }


@dataclass(frozen=True)
class HoldMatch:
    """A hold that covers some of the rows or identities asked about."""

    hold: PersonHold
    rows: dict[str, list[Key]]  # 'system.table' -> the keys it keeps among those asked

    @property
    def ground(self) -> str:
        return "17(3)(e)"


def identity_hash(key: bytes, kind: str, value: str) -> str:
    """The keyed hash of one normalised identity (kind and value)."""
    return hmac.new(key, f"{kind}\x00{value}".encode(), hashlib.sha256).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _loaded(map_: LoadedMap | str | Path | None) -> LoadedMap:
    return map_ if isinstance(map_, LoadedMap) else load_map(map_)


def _hold_name(loaded: LoadedMap, hold: str | None) -> str | None:
    """The map's person-scoped hold the new one belongs to (the only one, or the named)."""
    scoped = [n for n, h in loaded.datamap.retention.holds.items() if h.scope == "person"]
    if hold is None:
        return scoped[0] if len(scoped) == 1 else None
    if hold not in scoped:
        raise SkyddError(
            f"'{hold}' is not a hold with 'scope: person' in the map",
            hint="person-scoped holds in the map: " + (", ".join(scoped) or "none"),
        )
    return hold


def add_hold(
    map_: LoadedMap | str | Path | None,
    identities: IdentityInput,
    *,
    reason: str,
    by: str,
    until: date | None = None,
    hold: str | None = None,
    store: str | None = None,
) -> PersonHold:
    """Find the person and keep their rows from retention and erasure until released."""
    from skydd.execution.systems import Systems
    from skydd.requests.access import find_person, normalise_identities
    from skydd.retention.events import PersonHoldPlaced

    loaded = _loaded(map_)
    if not reason.strip():
        raise SkyddError("a hold needs a reason", hint="say which claim it is, e.g. --reason …")
    if not by.strip():
        raise SkyddError("a hold needs the name of who places it", hint="give --by NAME")
    name = _hold_name(loaded, hold)
    given = normalise_identities(loaded, identities)
    with Systems(loaded) as systems:
        found = find_person(loaded, given, systems, thorough=True)
    key = pseudonym_key(Path(loaded.directory))
    hashes = sorted({identity_hash(key, k, v) for k, v in given | set(found.identities)})
    rows = {table: sorted(keys, key=key_text) for table, keys in found.rows.items() if keys}
    hold_id = "LH-" + uuid.uuid4().hex[:12]
    kinds = tuple(sorted({k for k, _ in given}))
    placed = PersonHold(
        hold_id,
        name,
        reason.strip(),
        until,
        _now(),
        by,
        None,
        None,
        kinds,
        {t: len(k) for t, k in rows.items()},
    )
    with open_store(store, default_dir=loaded.directory) as st:
        with st.engine.begin() as conn:
            conn.execute(
                sa.insert(person_holds).values(
                    hold_id=hold_id,
                    hold=name,
                    reason=placed.reason,
                    until=until.isoformat() if until else None,
                    placed_at=placed.placed_at,
                    placed_by=by,
                    identity_kinds=",".join(kinds),
                )
            )
            conn.execute(
                sa.insert(person_hold_identities),
                [{"hold_id": hold_id, "identity_hash": h} for h in hashes],
            )
            keyed = [
                {"hold_id": hold_id, "table_key": t, "row_key": key_text(k)}
                for t, keys in rows.items()
                for k in keys
            ]
            if keyed:
                conn.execute(sa.insert(person_hold_rows), keyed)
        event = PersonHoldPlaced(
            hold_id, name, list(kinds), placed.rows, until.isoformat() if until else None
        )
        st.audit.append(event, actor=by)
    return placed


def _holds(conn: sa.Connection, where: Any = None) -> list[PersonHold]:
    stmt = sa.select(person_holds).order_by(person_holds.c.placed_at)
    if where is not None:
        stmt = stmt.where(where)
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    per_table = sa.select(
        person_hold_rows.c.hold_id, person_hold_rows.c.table_key, sa.func.count()
    ).group_by(person_hold_rows.c.hold_id, person_hold_rows.c.table_key)
    for hold_id, table, n in conn.execute(per_table):
        counts[hold_id][table] = int(n)
    out = []
    for r in conn.execute(stmt).mappings():
        until = date.fromisoformat(r["until"]) if r["until"] else None
        kinds = tuple(k for k in str(r["identity_kinds"]).split(",") if k)
        out.append(
            PersonHold(
                r["hold_id"],
                r["hold"],
                r["reason"],
                until,
                r["placed_at"],
                r["placed_by"],
                r["released_at"],
                r["released_by"],
                kinds,
                counts.get(r["hold_id"], {}),
            )
        )
    return out


def list_holds(
    map_: LoadedMap | str | Path | None = None,
    *,
    store: str | None = None,
    everything: bool = False,
    as_of: date | None = None,
) -> list[PersonHold]:
    """The holds in force on `as_of` (default today); with `everything`, also the ended."""
    loaded = _loaded(map_)
    on = as_of or date.today()
    with open_store(store, default_dir=loaded.directory) as st, st.engine.connect() as conn:
        found = _holds(conn)
    return found if everything else [h for h in found if h.active(on)]


def release_hold(
    map_: LoadedMap | str | Path | None, hold_id: str, *, by: str, store: str | None = None
) -> PersonHold:
    """End a hold: from now on retention and erasure treat the rows as any others."""
    from skydd.retention.events import PersonHoldReleased

    loaded = _loaded(map_)
    if not by.strip():
        raise SkyddError("releasing a hold needs the name of who releases it", hint="give --by")
    with open_store(store, default_dir=loaded.directory) as st:
        with st.engine.begin() as conn:
            found = _holds(conn, person_holds.c.hold_id == hold_id)
            if not found:
                raise SkyddError(
                    f"no legal hold '{hold_id}'", hint="`skydd hold list` shows the holds"
                )
            if found[0].released_at is not None:
                raise SkyddError(
                    f"the hold {hold_id} was released on {found[0].released_at[:10]}",
                    hint="nothing to do",
                )
            at = _now()
            conn.execute(
                sa.update(person_holds)
                .where(person_holds.c.hold_id == hold_id)
                .values(released_at=at, released_by=by)
            )
        st.audit.append(PersonHoldReleased(hold_id, sum(found[0].rows.values())), actor=by)
    h = found[0]
    return PersonHold(
        h.hold_id,
        h.hold,
        h.reason,
        h.until,
        h.placed_at,
        h.placed_by,
        at,
        by,
        h.identity_kinds,
        h.rows,
    )


def person_holds_for(
    store: Store,
    loaded: LoadedMap,
    row_keys_or_identities: RowKeys | Iterable[tuple[str, str]],
    *,
    as_of: date | None = None,
) -> list[HoldMatch]:
    """The holds in force that cover some of these rows, or this person.

    Give either the rows an erasure is about to change (`{"system.table": [key, …]}`,
    keys as tuples of the primary key's values as read from the database): each match
    lists the keys it keeps; or the normalised identities of the person (`[(kind,
    value), …]`, as `requests.access.normalise_identities` gives them): each match
    lists every row the hold keeps. An empty list: nothing holds them.
    """
    on = as_of or date.today()
    with store.engine.connect() as conn:
        holds = {h.hold_id: h for h in _holds(conn) if h.active(on)}
        if not holds:
            return []
        matched: dict[str, dict[str, list[Key]]] = defaultdict(lambda: defaultdict(list))
        if isinstance(row_keys_or_identities, Mapping):
            for table, keys in row_keys_or_identities.items():
                texts = [key_text(tuple(k)) for k in keys]
                for i in range(0, len(texts), 500):
                    stmt = sa.select(person_hold_rows.c.hold_id, person_hold_rows.c.row_key).where(
                        person_hold_rows.c.table_key == table,
                        person_hold_rows.c.row_key.in_(texts[i : i + 500]),
                    )
                    for hold_id, text in conn.execute(stmt):
                        if hold_id in holds:
                            matched[hold_id][table].append(key_from_text(text))
        else:
            key = pseudonym_key(Path(loaded.directory))
            hashes = [identity_hash(key, k, v) for k, v in row_keys_or_identities]
            by_identity = sa.select(person_hold_identities.c.hold_id).where(
                person_hold_identities.c.identity_hash.in_(hashes)
            )
            ids = {h for (h,) in conn.execute(by_identity) if h in holds}
            rows = sa.select(
                person_hold_rows.c.hold_id, person_hold_rows.c.table_key, person_hold_rows.c.row_key
            ).where(person_hold_rows.c.hold_id.in_(sorted(ids)))
            for hold_id in ids:
                matched[hold_id]  # a hold found by identity matches even without rows
            for hold_id, table, text in conn.execute(rows):
                matched[hold_id][table].append(key_from_text(text))
    return [HoldMatch(holds[h], {t: list(k) for t, k in m.items()}) for h, m in matched.items()]


def held_rows(store: Store, as_of: date) -> dict[str, dict[str, list[Key]]]:
    """For retention: per table, per hold in force on `as_of`, the keys it keeps."""
    out: dict[str, dict[str, list[Key]]] = defaultdict(dict)
    with store.engine.connect() as conn:
        holds = {h.hold_id: h for h in _holds(conn) if h.active(as_of)}
        if not holds:
            return {}
        stmt = sa.select(
            person_hold_rows.c.hold_id, person_hold_rows.c.table_key, person_hold_rows.c.row_key
        ).where(person_hold_rows.c.hold_id.in_(sorted(holds)))
        for hold_id, table, text in conn.execute(stmt):
            out[table].setdefault(holds[hold_id].label, []).append(key_from_text(text))
    return dict(out)
