"""Find every row of one person across all declared systems.

From the identities given, search each identity column; follow references in
both directions, across systems and over many hops; harvest further identities
from the person's rows and search again until nothing new turns up.

References, precisely. Rows that refer to one of the person's rows (their
orders, an order's lines) are theirs, and so is what refers to those. A row
that one of theirs refers to is shown as shared when the map says so (a
customer company) and then not followed; in a table of people (one with
identity columns) it is never added this way, since a person's records are
found through their identities, and is reported as ambiguous when no identity
of theirs matches it (a case they wrote in, opened by a colleague); any other
row referred to is theirs to see, but what else refers to it is not followed
(a beacon that saw the person's phone also saw other people's).

Ambiguity, precisely. Each identity value searched matches a set of rows. The
value is *contested* when those rows cannot all be the requester's:

- a row holds values of a kind that tells people apart (email, personnummer,
  CPR, customer number) which the requester gave, and none of them is a value
  the requester gave (the phone also sits on a contact with another email);
  or
- two rows of one table hold different values of a kind that tells people
  apart (email, personnummer, CPR, customer number), and neither value was
  given (a phone number on two customers, searched by phone alone).

A contested value is still searched, but the rows it matches count as the
person's only when an uncontested identity matches them too, or a reference
leads to them from the person's rows; every other row it matched is reported
in `Found.ambiguous` for a person to decide, never merged silently. Whether a
value is contested depends only on the rows it matches and on what the
requester gave, so the search is monotone and its result does not depend on
the order in which rows arrive.

A search is a generator of lookups (`Want`: these values in this column), sent
back the rows; `find` runs each lookup at once, `find_many` (batch_finder.py)
merges the lookups of many people's searches into one query per column and round.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from skydd.errors import SkyddError
from skydd.execution.variants import stored_variants
from skydd.identity import BUILTIN_KINDS, try_normalise
from skydd.planning.graph import DataGraph, Edge, Node

RowKey = tuple[str, tuple[Any, ...]]  # ("system.table", primary key values)
Identity = tuple[str, str]  # (kind, normalised value)
Row = dict[str, Any]
_CHUNK = 500
_NORMALISED_MAX = 100_000
_SCAN_BATCH = 10_000

UNIQUE_KINDS = frozenset({"personnummer", "cpr", "customer_number"})
"""Kinds a person has one of."""
DISTINGUISHING_KINDS = UNIQUE_KINDS | {"email"}
"""Kinds that tell two people apart; a phone number or an IP address may be shared."""


@dataclass
class Found:
    """What a search found: the person's rows, shared rows, and what needs a human."""

    rows: dict[str, dict[tuple[Any, ...], Row]] = field(default_factory=lambda: defaultdict(dict))
    shared: dict[str, dict[tuple[Any, ...], Row]] = field(default_factory=lambda: defaultdict(dict))
    identities: set[Identity] = field(default_factory=set)
    ambiguous: list[dict[str, Any]] = field(default_factory=list)
    """One entry per row withheld: table, key (primary key values), identity kind, reason."""
    searched: list[str] = field(default_factory=list)
    queries: int = 0

    def counts(self) -> dict[str, int]:
        return {key: len(rows) for key, rows in self.rows.items() if rows}

    @property
    def found(self) -> bool:
        return any(self.rows.values())


_SKIP = object()
"""A value that cannot be stored in a column (an email in an integer column)."""


def _to_int(value: Any) -> Any:
    if isinstance(value, int):
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        digits = text[1:] if text[:1] in "+-" else text
        return int(text) if digits.isascii() and digits.isdigit() else _SKIP
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return _SKIP


def _to_str(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | Decimal):
        return str(value)
    return value


def _coercer(type_: Any) -> Callable[[Any], Any] | None:
    """How to bind a value to a column of this type, so the comparison is typed.

    PostgreSQL refuses `integer = text`; MySQL would turn 'anna@example.se'
    into 0 and compare numbers. Values that cannot be of the column's type are
    left out of the query instead.
    """
    if isinstance(type_, sa.Integer):
        return _to_int
    if isinstance(type_, sa.String):
        return _to_str
    return None


@dataclass(frozen=True)
class _TableInfo:
    """What the database says about one mapped table, reflected once per Finder."""

    columns: tuple[str, ...]  # every column, declared or not: access shows all of them
    coerce: dict[str, Callable[[Any], Any]]
    # Columns whose comparisons ignore case or trailing spaces (MySQL's *_ci collations,
    # SQLite's NOCASE): a batch search hands their rows out by the folded value.
    folded: frozenset[str] = frozenset()


@dataclass(frozen=True)
class _Sql:
    """A compiled lookup: its text, and the order of its values for positional drivers."""

    text: str
    named: bool  # parameters v0, v1, … by name, or by position
    order: tuple[int, ...] | None  # positions in another order than v0, v1, …

    def params(self, values: Sequence[Any]) -> tuple[Any, ...] | dict[str, Any]:
        if self.named:
            return {f"v{i}": v for i, v in enumerate(values)}
        if self.order is None:
            return tuple(values)
        return tuple(values[i] for i in self.order)


@dataclass(frozen=True)
class Want:
    """A lookup a search needs: the rows of `node` whose `column` is one of `values`."""

    node: Node
    column: str
    info: _TableInfo
    values: list[Any]


T = TypeVar("T")
Steps = Generator[Want, list[Row], T]
"""A search, or part of one, that yields its lookups and is sent their rows."""


def _folds(dialect: str, collation: str | None) -> bool:
    """Whether the column's comparisons ignore case (and, on MySQL, trailing spaces)."""
    name = (collation or "").lower()
    if dialect in ("mysql", "mariadb"):
        return not (name.endswith("_bin") or name.endswith("_cs") or name == "binary")
    return name == "nocase"


class Finder:
    """Searches the systems of one data map for people.

    Create it once per map and call `find` per request: it keeps what it
    learnt of the databases (column names and types), and a request opens one
    connection per system.
    """

    def __init__(
        self,
        graph: DataGraph,
        engine_for: Callable[[str], Engine],
        *,
        region: str = "SE",
        custom_kinds: dict[str, str] | None = None,
        thorough: bool = False,
        explain: Callable[[sa.exc.DBAPIError, str, str], Exception] | None = None,
        connect: Callable[[str], Connection] | None = None,
    ) -> None:
        self.graph = graph
        self.explain = explain
        self.engine_for = engine_for
        self.connect = connect or (lambda system: engine_for(system).connect())
        self.region = region
        self.custom = custom_kinds or {}
        self.thorough = thorough
        self._info: dict[str, _TableInfo] = {}
        self._sql: dict[tuple[str, str, int], _Sql] = {}
        self._statements: dict[tuple[str, str], sa.Select[Any]] = {}
        self._identity_tables: dict[str, list[tuple[Node, str]]] = {}
        self._base_kinds: dict[str, str] = {}
        self._normalised: dict[tuple[str, str], str | None] = {}
        self.checked = False  # every system answered and every table matched the map once

    def find(self, identities: Iterable[Identity], *, thorough: bool | None = None) -> Found:
        """Search until no new identity or row turns up."""
        from skydd.execution.batch_finder import run_alone

        deep = self.thorough if thorough is None else thorough
        return run_alone(_Search(self, set(identities), deep))

    def find_many(
        self, people: Sequence[Iterable[Identity]], *, thorough: bool | None = None
    ) -> list[Found]:
        """`find` for many people at once: each lookup one query for all of them.

        Every person's search runs exactly as `find` would run it (the same rules,
        the same result); their lookups of one column in one round are merged into
        `IN (…)` lists of up to 500 values, and each person is handed the rows of
        their own values. See `skydd.execution.batch_finder`.
        """
        from skydd.execution.batch_finder import find_many

        deep = self.thorough if thorough is None else thorough
        return find_many(self, [_Search(self, set(p), deep) for p in people])

    # -- what stays the same between requests ----------------------------------------------
    def base_kind(self, kind: str) -> str:
        """The built-in kind behind a map's own kind (member_id → customer_number)."""
        base = self._base_kinds.get(kind)
        if base is None:
            base = self.custom.get(kind, kind)
            base = base if base in BUILTIN_KINDS else kind
            self._base_kinds[kind] = base
        return base

    def identity_tables(self, kind: str) -> list[tuple[Node, str]]:
        tables = self._identity_tables.get(kind)
        if tables is None:
            tables = [(n, c) for n, c in self.graph.identity_tables(kind) if not n.shared]
            self._identity_tables[kind] = tables
        return tables

    def info(self, node: Node, conn: Connection) -> _TableInfo:
        """Columns and their types, read from the database the first time a table is used."""
        info = self._info.get(node.key)
        if info is None:
            info = self._reflect(node, conn)
            self._info[node.key] = info
        return info

    def _reflect(self, node: Node, conn: Connection) -> _TableInfo:
        where = f"{node.schema}.{node.table}" if node.schema else node.table
        try:
            reflected = sa.inspect(conn).get_columns(node.table, schema=node.schema)
        except sa.exc.NoSuchTableError:
            reflected = []
        except sa.exc.DBAPIError as exc:
            raise self.explained(exc, node) from None
        if not reflected:
            raise MapMismatchError(
                f"the map names the table {node.key}, but {node.system} has no table '{where}'",
                hint="run `skydd init` against the database to see what it holds, and "
                "correct the table name (or the system's schema) in the map",
            )
        actual = {c["name"]: c for c in reflected}
        folded = {name.casefold(): name for name in actual}
        exact_case = conn.dialect.name == "postgresql"
        columns: list[str] = []
        coerce: dict[str, Callable[[Any], Any]] = {}
        nocase = {
            name.casefold()
            for name, c in actual.items()
            if _folds(conn.dialect.name, getattr(c["type"], "collation", None))
        }
        for name in node.columns:
            db_name = (
                name if name in actual else None if exact_case else folded.get(name.casefold())
            )
            if db_name is None:
                raise MapMismatchError(
                    f"the map names the column {node.key}.{name}, but the table '{where}' in "
                    f"{node.system} has no such column (it has: {', '.join(actual)})",
                    hint="correct the column name in the map, or remove the column",
                )
            columns.append(name)
            fn = _coercer(actual[db_name]["type"])
            if fn is not None:
                coerce[name] = fn
        declared = {c.casefold() for c in node.columns}
        columns += [c for c in actual if c.casefold() not in declared]
        return _TableInfo(
            tuple(columns), coerce, frozenset(c for c in columns if c.casefold() in nocase)
        )

    def statement(self, node: Node, column: str, info: _TableInfo) -> sa.Select[Any]:
        """SELECT every column WHERE column IN :values (expanding), as a Core statement."""
        stmt = self._statements.get((node.key, column))
        if stmt is None:
            tbl = sa.table(node.table, *(sa.column(c) for c in info.columns), schema=node.schema)
            stmt = sa.select(*tbl.c).where(
                tbl.c[column].in_(sa.bindparam("values", expanding=True))
            )
            self._statements[(node.key, column)] = stmt
        return stmt

    def sql(self, node: Node, column: str, info: _TableInfo, dialect: sa.Dialect, n: int) -> _Sql:
        """SELECT every column WHERE column IN (n placeholders), compiled once per size.

        SQLAlchemy writes the SQL (identifiers quoted by the dialect, values bound);
        the request then runs it on the driver's cursor, which costs a tenth of a
        Core execution: a search runs dozens of these small indexed lookups.
        """
        key = (node.key, column, n)
        sql = self._sql.get(key)
        if sql is None:
            tbl = sa.table(node.table, *(sa.column(c) for c in info.columns), schema=node.schema)
            binds: list[sa.BindParameter[Any]] = [sa.bindparam(f"v{i}") for i in range(n)]
            compiled = sa.select(*tbl.c).where(tbl.c[column].in_(binds)).compile(dialect=dialect)
            order = tuple(int(name[1:]) for name in compiled.positiontup or ())
            in_order = order == tuple(range(len(order)))
            sql = _Sql(compiled.string, not dialect.positional, None if in_order else order)
            self._sql[key] = sql
        return sql

    def scan_sql(self, node: Node, column: str, dialect: sa.Dialect) -> str:
        """SELECT DISTINCT column WHERE column IS NOT NULL, compiled once."""
        key = (node.key, column, 0)
        sql = self._sql.get(key)
        if sql is None:
            tbl = sa.table(node.table, sa.column(column), schema=node.schema)
            stmt = sa.select(tbl.c[column]).where(tbl.c[column].is_not(None)).distinct()
            sql = _Sql(stmt.compile(dialect=dialect).string, not dialect.positional, None)
            self._sql[key] = sql
        return sql.text

    def explained(self, exc: sa.exc.DBAPIError, node: Node) -> Exception:
        if self.explain is None:
            return exc
        return self.explain(exc, node.system, node.table)

    def normalise(self, kind: str, value: Any) -> str | None:
        """A stored value's canonical form, remembered: the same values come back often."""
        key = (kind, value if isinstance(value, str) else str(value))
        try:
            return self._normalised[key]
        except KeyError:
            pass
        if len(self._normalised) >= _NORMALISED_MAX:
            self._normalised.clear()
        norm = try_normalise(kind, key[1], region=self.region, custom=self.custom)
        self._normalised[key] = norm
        return norm

    def row_identities(self, node: Node, row: Row) -> set[Identity]:
        out: set[Identity] = set()
        for col, kind in node.identity_columns:
            value = row.get(col)
            if value is None or value == "":
                continue
            norm = self.normalise(kind, value)
            if norm is not None:
                out.add((kind, norm))
        return out


class MapMismatchError(SkyddError):
    """The map names a table or column that the database does not have."""


@dataclass
class _Match:
    """The rows one identity value matched, and why it is contested (None: it is not)."""

    rows: list[tuple[Node, Row]]
    contested: str | None


class _Search:
    """One request's search: its connections and what it has matched so far."""

    def __init__(self, finder: Finder, given: set[Identity], thorough: bool) -> None:
        self.f = finder
        self.given = given
        self.thorough = thorough
        self.found = Found()
        self.matches: dict[Identity, _Match] = {}
        self.conns: dict[str, Connection] = {}
        self.cursors: dict[str, Any] = {}
        self.referenced: set[RowKey] = set()  # reached only by walking up a reference
        self.unconfirmed: list[tuple[Node, Row, str]] = []  # person rows a reference reached
        self.given_by_kind: dict[str, set[str]] = defaultdict(set)
        for kind, value in given:
            self.given_by_kind[kind].add(value)

    def close(self) -> None:
        for cursor in self.cursors.values():
            cursor.close()
        self.cursors.clear()
        for conn in self.conns.values():
            conn.close()
        self.conns.clear()

    def cursor(self, system: str, conn: Connection) -> Any:
        """The driver's cursor on the system's connection, one per search."""
        cursor = self.cursors.get(system)
        if cursor is None:
            cursor = conn.connection.cursor()
            self.cursors[system] = cursor
        return cursor

    def table_info(self, node: Node) -> _TableInfo:
        """What the finder knows of the table; a connection only the first time."""
        return self.f._info.get(node.key) or self.f.info(node, self.conn(node.system))

    def conn(self, system: str) -> Connection:
        conn = self.conns.get(system)
        if conn is None:
            conn = self.f.connect(system)
            self.conns[system] = conn
        return conn

    # -- the loop --------------------------------------------------------------------------
    def run(self) -> Steps[Found]:
        """The search, as steps: it yields each lookup it needs and is sent the rows."""
        found = self.found
        # The first search opens every system and checks every table: a database that does
        # not answer, or does not match the map, fails the request by name instead of being
        # skipped. Later searches open only what they use; pooled connections would not
        # prove a server is up anyway, and a failing query still names system and table.
        if not self.f.checked:
            for node in self.f.graph.nodes.values():
                self.f.info(node, self.conn(node.system))
            self.f.checked = True
        known = set(self.given)
        pending = set(known)
        while pending:
            new_rows: list[tuple[Node, Row]] = []
            for kind, values in _by_kind(pending).items():
                hits = yield from self._match_identity(kind, values)
                for value in values:
                    ident = (kind, value)
                    rows = hits.get(ident, [])
                    match = _Match(rows, self._contested(kind, rows))
                    self.matches[ident] = match
                    if match.contested is None:
                        new_rows += self._add(rows, shared=False)
            new_rows += yield from self._follow(new_rows)
            for node, row in new_rows:
                if node.identity_columns:
                    known |= self.f.row_identities(node, row)
            pending = known - self.matches.keys()
        self._report_ambiguous()
        contested = {i for i, m in self.matches.items() if m.contested}
        found.identities = known - contested
        found.searched = sorted(self.f.graph.nodes)
        for bucket in (found.rows, found.shared):
            for key in list(bucket):
                bucket[key] = dict(sorted(bucket[key].items(), key=_sort_key))
        return found

    def _contested(self, kind: str, rows: list[tuple[Node, Row]]) -> str | None:
        """Why the rows one value matched cannot all be the requester's (module docstring)."""
        seen: dict[tuple[str, str], set[str]] = defaultdict(set)
        for node, row in rows:
            held: dict[str, set[str]] = defaultdict(set)
            for k, v in self.f.row_identities(node, row):
                held[k].add(v)
            for k, values in held.items():
                if k == kind or self.f.base_kind(k) not in DISTINGUISHING_KINDS:
                    continue
                given = self.given_by_kind.get(k)
                if given:
                    if not values & given:
                        return f"the record holds another {k} than the one given"
                    continue
                other = seen[(node.key, k)]
                if other and not other & values:
                    return f"it matches records with different {k}"
                other |= values
        return None

    def _report_ambiguous(self) -> None:
        found = self.found
        reported: set[RowKey] = set()

        def report(node: Node, row: dict[str, Any], identity: str, reason: str) -> None:
            pk = _key(node, row)
            if (node.key, pk) in reported or pk in found.rows.get(node.key, {}):
                return
            reported.add((node.key, pk))
            found.ambiguous.append(
                {"table": node.key, "key": list(pk), "identity": identity, "reason": reason}
            )

        for node, row, child in self.unconfirmed:
            report(
                node,
                row,
                "reference",
                f"the person's {child} refers to this record, but none of "
                "their identities matches it",
            )
        for (kind, _value), match in self.matches.items():
            if match.contested is None:
                continue
            for node, row in match.rows:
                report(
                    node,
                    row,
                    kind,
                    f"found only through a {kind} that may belong to someone else: "
                    f"{match.contested}",
                )

    # -- SQL -------------------------------------------------------------------------------
    def select(
        self, node: Node, column: str, values: Iterable[Any], *, known: bool = False
    ) -> Steps[list[Row]]:
        """Rows whose `column` is one of `values`.

        Rows already in the result are not read again when `column` is the primary
        key (a reference back to a row the search has); `known=True` returns them
        with the rest, as an identity match must see every row it matches.
        """
        given = [v for v in values if v is not None]
        if not given:
            return []
        info = self.table_info(node)
        coerce = info.coerce.get(column)
        if coerce is not None:
            given = [v for v in map(coerce, given) if v is not _SKIP]
        unique = list(dict.fromkeys(given))
        rows: list[Row] = []
        if node.primary_key == (column,):
            mine = self.found.rows.get(node.key, {})
            shared = self.found.shared.get(node.key, {})
            fetch = []
            for v in unique:
                row = mine.get((v,)) or shared.get((v,))
                if row is None:
                    fetch.append(v)
                elif known:
                    rows.append(row)
            unique = fetch
        if unique:
            rows += yield Want(node, column, info, unique)
        return rows

    def fetch(self, want: Want) -> list[Row]:
        """Run one lookup on this search's own connection, in chunks."""
        conn = self.conn(want.node.system)
        rows: list[Row] = []
        for i in range(0, len(want.values), _CHUNK):
            part = want.values[i : i + _CHUNK]
            rows += self._run(want.node, want.column, want.info, conn, part)
        return rows

    def _run(
        self, node: Node, column: str, info: _TableInfo, conn: Connection, values: list[Any]
    ) -> list[Row]:
        # Pad to a power of two (IN ignores repeats) so a few compiled sizes serve all.
        size = 1 << (len(values) - 1).bit_length()
        values = values + [values[-1]] * (size - len(values))
        sql = self.f.sql(node, column, info, conn.dialect, size)
        params = sql.params(values)
        self.found.queries += 1
        cursor = self.cursor(node.system, conn)
        try:
            cursor.execute(sql.text, params)
            names = info.columns  # the statement selects exactly these, in this order
            return [dict(zip(names, r, strict=False)) for r in cursor.fetchall()]
        except conn.dialect.loaded_dbapi.Error as exc:
            error = sa.exc.DBAPIError(sql.text, None, exc)
            raise self.f.explained(error, node) from None

    def _scan(self, node: Node, column: str, kind: str, wanted: set[str]) -> Steps[list[Row]]:
        """Thorough mode: read the whole identity column and normalise each value."""
        conn = self.conn(node.system)
        self.f.info(node, conn)
        sql = self.f.scan_sql(node, column, conn.dialect)
        maybe = _prefilter(self.f.base_kind(kind), wanted)
        region, custom = self.f.region, self.f.custom
        hits: list[Any] = []
        cursor = self.cursor(node.system, conn)
        try:
            self.found.queries += 1
            cursor.execute(sql, () if conn.dialect.positional else {})
            while batch := cursor.fetchmany(_SCAN_BATCH):
                for (value,) in batch:
                    text = value if isinstance(value, str) else str(value)
                    if maybe is not None and not maybe(text):
                        continue
                    norm = try_normalise(kind, text, region=region, custom=custom)
                    if norm is not None and norm in wanted:
                        hits.append(value)
        except conn.dialect.loaded_dbapi.Error as exc:
            raise self.f.explained(sa.exc.DBAPIError(sql, None, exc), node) from None
        return (yield from self.select(node, column, hits))

    def _match_identity(
        self, kind: str, values: set[str]
    ) -> Steps[dict[Identity, list[tuple[Node, Row]]]]:
        hits: dict[Identity, list[tuple[Node, Row]]] = defaultdict(list)
        tables = self.f.identity_tables(kind)
        stored = (
            []
            if self.thorough or not tables
            else [
                v
                for value in sorted(values)
                for v in stored_variants(self.f.base_kind(kind), value, self.f.region)
            ]
        )
        for node, column in tables:
            if self.thorough:
                rows = yield from self._scan(node, column, kind, values)
            else:
                rows = yield from self.select(node, column, stored, known=True)
            for row in rows:
                raw = row.get(column)
                norm = None if raw is None else self.f.normalise(kind, raw)
                if norm in values:
                    hits[(kind, norm)].append((node, row))
        return hits

    # -- references ------------------------------------------------------------------------
    def _follow(self, start: Sequence[tuple[Node, Row]]) -> Steps[list[tuple[Node, Row]]]:
        """Walk references from the person's rows (see "References" above)."""
        added: list[tuple[Node, Row]] = []
        frontier = list(start)
        graph = self.f.graph
        while frontier:
            owned: dict[str, list[Row]] = defaultdict(list)
            every: dict[str, list[Row]] = defaultdict(list)
            for node, row in frontier:
                every[node.key].append(row)
                if (node.key, _key(node, row)) not in self.referenced:
                    owned[node.key].append(row)
            frontier = []
            for key, rows in owned.items():
                for edge in graph.incoming.get(key, []):
                    if not edge.other_person:
                        frontier += yield from self._walk(edge, rows, down=True)
            for key, rows in every.items():
                for edge in graph.outgoing.get(key, []):
                    if not edge.other_person:
                        frontier += yield from self._walk(edge, rows, down=False)
            added += frontier
        return added

    def _walk(self, edge: Edge, rows: list[Row], *, down: bool) -> Steps[list[tuple[Node, Row]]]:
        src, dst = (
            (edge.parent_columns, edge.child_columns)
            if down
            else (edge.child_columns, edge.parent_columns)
        )
        target = self.f.graph.nodes[edge.child if down else edge.parent]
        shared = edge.shared and not down
        if len(src) == 1:
            fetched = yield from self.select(target, dst[0], [r.get(src[0]) for r in rows])
        else:
            info = self.table_info(target)
            wanted = {self._typed(info, dst, tuple(r.get(c) for c in src)) for r in rows}
            candidates = yield from self.select(target, dst[0], [w[0] for w in wanted])
            fetched = [
                r
                for r in candidates
                if self._typed(info, dst, tuple(r.get(c) for c in dst)) in wanted
            ]
        if not down and not shared and not target.shared and target.holds_people:
            self.unconfirmed += [(target, r, edge.child) for r in fetched]
            return []
        return self._add([(target, r) for r in fetched], shared=shared, owned=down)

    @staticmethod
    def _typed(
        info: _TableInfo, columns: tuple[str, ...], values: tuple[Any, ...]
    ) -> tuple[Any, ...]:
        out = []
        for c, v in zip(columns, values, strict=True):
            fn = info.coerce.get(c)
            out.append(fn(v) if fn is not None and v is not None else v)
        return tuple(out)

    def _add(
        self, rows: Iterable[tuple[Node, Row]], *, shared: bool, owned: bool = True
    ) -> list[tuple[Node, Row]]:
        """Put rows in the result; return those to walk on from: new, or newly owned.

        `owned=False` marks rows reached by walking up a reference; they are walked
        down from only once something owned (an identity, a parent) reaches them too.
        """
        new: list[tuple[Node, Row]] = []
        found = self.found
        for node, row in rows:
            key = _key(node, row)
            mine = found.rows[node.key]
            if key in mine:
                if owned and (node.key, key) in self.referenced:
                    self.referenced.discard((node.key, key))
                    new.append((node, mine[key]))
                continue
            if shared or node.shared:
                found.shared[node.key].setdefault(key, row)
                continue
            # A row first met as a shared parent stays shared.
            if key in found.shared.get(node.key, {}):
                continue
            mine[key] = row
            if not owned:
                self.referenced.add((node.key, key))
            new.append((node, row))
        return new


_NOT_DIGITS = {i: None for i in range(128) if not chr(i).isdigit()}  # str.translate table


def _prefilter(kind: str, wanted: set[str]) -> Callable[[str], bool] | None:
    """A cheap test that passes every stored form of the wanted values, and few others.

    Normalising costs up to ~15 µs a phone number; a thorough scan reads whole
    columns. An email's canonical form is inside the stored text, case-folded;
    a phone number's or personnummer's last seven digits are among the stored
    digits. Anything not plain ASCII is left to the normaliser.
    """
    if kind == "email":
        needles = tuple({w.casefold() for w in wanted})
        if len(needles) == 1:
            needle = needles[0]
            return lambda text: not text.isascii() or needle in text.lower()
        return lambda text: not text.isascii() or any(n in text.lower() for n in needles)
    if kind in ("phone", "personnummer", "cpr", "orgnr"):
        tails = tuple({w.translate(_NOT_DIGITS)[-7:] for w in wanted})
        if not tails or any(len(t) < 7 for t in tails):
            return None

        def digits_match(text: str) -> bool:
            if not text.isascii():
                return True
            digits = text.translate(_NOT_DIGITS)
            return any(t in digits for t in tails)

        return digits_match
    return None


def _key(node: Node, row: Row) -> tuple[Any, ...]:
    cols = node.primary_key or tuple(sorted(row))
    return tuple(row.get(c) for c in cols)


def _by_kind(identities: Iterable[Identity]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for kind, value in identities:
        out[kind].add(value)
    return out


def _sort_key(item: tuple[tuple[Any, ...], Row]) -> tuple[tuple[bool, str, str, Any], ...]:
    """Order rows by primary key whatever the database returned first; None last."""
    return tuple(
        (v is None, type(v).__name__, "", v)
        if isinstance(v, int | float | Decimal)
        else (v is None, type(v).__name__, str(v), 0)
        for v in item[0]
    )


def iter_rows(found: Found) -> Iterator[tuple[str, Row]]:
    """Every row of the person, with its table."""
    for table, rows in found.rows.items():
        for row in rows.values():
            yield table, row
