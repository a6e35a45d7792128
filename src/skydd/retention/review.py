"""Periodic review (AS-7): rows past their review date, and marking them reviewed.

A rule with `action: review` changes nothing. Its rows whose anchor plus period has
passed are on the review list; a person checks that each is current and correct and
marks it reviewed. The mark (in Skydd's store, `retention_reviews`) takes the row off
the list until one period after the review; marking is audited with counts (the keys
stay in the store: a customer number is personal data). The list shows the table, the
primary key and the date the review fell due, nothing else of the row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from skydd.datamap.loader import LoadedMap, load_map
from skydd.errors import SkyddError
from skydd.execution.keys import Key, encode_key, key_from_text, key_text
from skydd.retention.planner import TablePlan, plan_retention, purge_date
from skydd.store import Store, open_store
from skydd.store.schema import retention_reviews

Reviewed = dict[tuple[str, str], list[Key]]
"""(rule, table) -> keys reviewed recently enough to be off the list."""


@dataclass
class ReviewItem:
    rule: str
    table: str
    key: list[Any]  # the primary key's values, JSON-ready
    due_since: str | None  # the day the review fell due, where the anchor is the row's own
    last_reviewed: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "table": self.table,
            "key": self.key,
            "due_since": self.due_since,
            "last_reviewed": self.last_reviewed,
        }


@dataclass
class ReviewList:
    as_of: date
    items: list[ReviewItem] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat(), "items": [i.as_dict() for i in self.items]}


def _loaded(map_: LoadedMap | str | Path | None) -> LoadedMap:
    return map_ if isinstance(map_, LoadedMap) else load_map(map_)


def _marks(store: Store, rule: str | None = None) -> dict[tuple[str, str], dict[str, str]]:
    """(rule, table) -> row key text -> the date of its latest review."""
    out: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    stmt = sa.select(
        retention_reviews.c.rule,
        retention_reviews.c.table_key,
        retention_reviews.c.row_key,
        retention_reviews.c.reviewed_on,
    )
    if rule is not None:
        stmt = stmt.where(retention_reviews.c.rule == rule)
    with store.engine.connect() as conn:
        for r, table, key, on in conn.execute(stmt):
            out[(r, table)][key] = on
    return out


def reviewed_keys(loaded: LoadedMap, store: Store, as_of: date) -> Reviewed:
    """The rows whose latest review is recent enough that they are not due again yet."""
    rules = loaded.datamap.retention.rules
    out: Reviewed = {}
    for (rule, table), marks in _marks(store).items():
        decl = rules.get(rule)
        if decl is None or decl.action != "review" or not decl.period:
            continue
        period, align = decl.period, decl.align
        fresh = [
            key_from_text(k)
            for k, on in marks.items()
            if purge_date(date.fromisoformat(on), period, align) > as_of
        ]
        if fresh:
            out[(rule, table)] = fresh
    return out


def review_list(
    map_: LoadedMap | str | Path | None = None,
    *,
    as_of: date | None = None,
    rule: str | None = None,
    store: str | None = None,
) -> ReviewList:
    """Rows of `action: review` rules past their review date and not reviewed since."""
    from skydd.retention.runner import state_of

    loaded = _loaded(map_)
    day = as_of or date.today()
    plan = plan_retention(loaded.datamap, day, rule=rule)
    reviews = [tp for tp in plan.tables if tp.action == "review"]
    if rule is not None and not reviews:
        raise SkyddError(f"rule '{rule}' is not a review rule", hint="its action is not 'review'")
    out = ReviewList(day)
    with open_store(store, default_dir=loaded.directory) as st:
        marks = _marks(st, rule)
        state = state_of(loaded, st, day)
    for tp, rows in _due_rows(loaded, plan.tables, reviews, state):
        seen = marks.get((tp.rule, tp.table), {})
        decl = loaded.datamap.retention.rules[tp.rule]
        for key, anchor in rows:
            since = None
            if anchor is not None and decl.period:
                since = purge_date(_as_date(anchor), decl.period, decl.align).isoformat()
            out.items.append(
                ReviewItem(tp.rule, tp.table, encode_key(key), since, seen.get(key_text(key)))
            )
    return out


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _due_rows(
    loaded: LoadedMap, plans: list[TablePlan], reviews: list[TablePlan], state: Any
) -> Iterable[tuple[TablePlan, list[tuple[Key, Any]]]]:
    """Per review plan, the keys on the list and, where the anchor is the row's own single
    column, its value."""
    from skydd.retention import crossdb
    from skydd.retention.runner import _opened, _Table, with_state

    with _opened(loaded) as systems:
        builders: dict[str, Any] = {}
        with_state(loaded, systems, builders, state)
        done: set[int] = set()
        for tp in reviews:
            if id(tp) in done:
                continue
            if tp.bridge is not None:
                group = crossdb.members(tp, plans)
                done |= {id(p) for p in group}
                bridged = crossdb.Bridged(loaded, systems, builders, plans, group)
                found: dict[int, list[tuple[Key, Any]]] = defaultdict(list)
                for params in bridged.chunks():
                    for tb in bridged.tables:
                        found[id(tb.tp)] += _rows(tb, params)
                yield from ((tb.tp, found[id(tb.tp)]) for tb in bridged.tables)
                continue
            yield tp, _rows(_Table(loaded, systems, tp, builders, plans), {})


def _rows(tb: Any, params: dict[str, Any]) -> list[tuple[Key, Any]]:
    anchor = tb.tp.anchor
    own = anchor.own[0] if anchor and anchor.root == tb.tp.table and len(anchor.own) == 1 else None
    cols = [tb.t.c[k] for k in tb.pk] + ([tb.t.c[own]] if own else [])
    stmt = sa.select(*cols).where(tb.due, sa.not_(tb.held)).order_by(*cols[: len(tb.pk)])
    with tb.engine.connect() as conn:
        rows = conn.execute(stmt, params).all()
    n = len(tb.pk)
    return [(tuple(r[:n]), r[n] if own else None) for r in rows]


def _typed(loaded: LoadedMap, table: str, text: str) -> Key:
    """A key given on the command line ('17', or 'a,b' for a key of two columns), typed
    as the map declares its columns."""
    system, name = table.split(".", 1)
    decl = loaded.datamap.systems[system].tables[name]
    parts = text.split(",") if len(decl.primary_key) > 1 else [text]
    if len(parts) != len(decl.primary_key):
        raise SkyddError(
            f"a key given is not a key of {table}",
            hint=f"give {len(decl.primary_key)} values separated by commas",
        )
    out: list[Any] = []
    for column, value in zip(decl.primary_key, parts, strict=True):
        col = decl.columns.get(column)
        if col is not None and col.type == "integer":
            try:
                out.append(int(value))
            except ValueError:
                raise SkyddError(
                    f"a key given is not a whole number, as {table}.{column} is",
                    hint="check --key",
                ) from None
        else:
            out.append(value.strip())
    return tuple(out)


def mark_reviewed(
    map_: LoadedMap | str | Path | None,
    rule: str,
    keys: list[str],
    *,
    by: str,
    note: str | None = None,
    as_of: date | None = None,
    store: str | None = None,
    table: str | None = None,
) -> dict[str, int]:
    """Mark rows of a review rule reviewed on `as_of` (default today); rows per table.

    Each key must be a row of one of the rule's tables (with `table`, of that one).
    """
    from skydd.retention.events import RetentionReviewed

    loaded = _loaded(map_)
    decl = loaded.datamap.retention.rules.get(rule)
    if decl is None or decl.action != "review":
        reviews = [n for n, r in loaded.datamap.retention.rules.items() if r.action == "review"]
        raise SkyddError(
            f"no review rule '{rule}'",
            hint="review rules in the map: " + (", ".join(reviews) or "none"),
        )
    if not keys:
        raise SkyddError("no key given", hint="give --key for each row reviewed")
    if not by.strip():
        raise SkyddError("a review needs the name of who did it", hint="give --by NAME")
    tables = [table] if table else list(decl.tables)
    if table and table not in decl.tables:
        raise SkyddError(f"{table} is not under rule '{rule}'", hint=", ".join(decl.tables))
    day = as_of or date.today()
    found = _existing(loaded, tables, keys)
    missing = [k for k in keys if k not in found]
    if missing:
        # The keys themselves are not repeated: a customer number is personal data.
        raise SkyddError(
            f"{len(missing)} of the {len(keys)} keys given are not rows of {', '.join(tables)}",
            hint="copy the keys from `skydd retention review`",
        )
    per_table: dict[str, list[Key]] = defaultdict(list)
    for table_key, key in found.values():
        per_table[table_key].append(key)
    at = datetime.now(UTC).isoformat()
    with open_store(store, default_dir=loaded.directory) as st:
        with st.engine.begin() as conn:
            for table_key, ks in per_table.items():
                texts = [key_text(k) for k in ks]
                conn.execute(
                    sa.delete(retention_reviews).where(
                        retention_reviews.c.rule == rule,
                        retention_reviews.c.table_key == table_key,
                        retention_reviews.c.row_key.in_(texts),
                    )
                )
                conn.execute(
                    sa.insert(retention_reviews),
                    [
                        {
                            "rule": rule,
                            "table_key": table_key,
                            "row_key": t,
                            "reviewed_on": day.isoformat(),
                            "reviewed_at": at,
                            "reviewed_by": by,
                            "note": note,
                        }
                        for t in texts
                    ],
                )
        for table_key, ks in per_table.items():
            event = RetentionReviewed(rule, table_key, len(ks), day.isoformat(), bool(note))
            st.audit.append(event, actor=by)
    return {t: len(k) for t, k in per_table.items()}


def _existing(loaded: LoadedMap, tables: list[str], keys: list[str]) -> dict[str, tuple[str, Key]]:
    """Given key text -> (table, typed key) for the keys that are rows of the tables."""
    from skydd.execution.systems import Systems
    from skydd.planning.graph import build_graph
    from skydd.retention.sql import PredicateBuilder

    out: dict[str, tuple[str, Key]] = {}
    graph = build_graph(loaded.datamap)
    with Systems(loaded) as systems:
        for table in tables:
            wanted = [k for k in keys if k not in out]
            if not wanted:
                break
            system = table.split(".", 1)[0]
            engine = systems.engine(system)
            b = PredicateBuilder(loaded.datamap, graph, engine.dialect.name)
            t = b.table(table)
            pk = list(loaded.datamap.systems[system].tables[table.split(".", 1)[1]].primary_key)
            typed = {}
            for k in wanted:
                try:
                    typed[k] = _typed(loaded, table, k)
                except SkyddError:
                    if len(tables) == 1:
                        raise
                    continue
            if not typed or not pk:
                continue
            exists = b.among(table, t, list(typed.values()))
            stmt = sa.select(*(t.c[c] for c in pk)).where(exists)
            with engine.connect() as conn:
                present = {key_text(tuple(r)) for r in conn.execute(stmt)}
            for text, key in typed.items():
                if key_text(key) in present:
                    out[text] = (table, key)
    return out
