"""Small companies for the retention tests: a data map in YAML, its tables built from it.

The tables are created from the map itself (types, primary keys, references as
real foreign keys with their ON DELETE), so one scenario runs unchanged on
SQLite, PostgreSQL and MariaDB. On SQLite the foreign keys are declared but not
enforced (Skydd's connector does not switch them on), as in most SQLite apps.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from skydd.datamap.loader import LoadedMap, load_map
from skydd.datamap.models import OnDelete

HEAD = """\
version: 1
controller: {name: Prov AB, country: SE}
"""

Rows = dict[str, list[dict[str, Any]]]

_TYPES: dict[str, Callable[[], Any]] = {
    "integer": sa.Integer,
    "numeric": lambda: sa.Numeric(12, 2),
    "boolean": sa.Boolean,
    "date": sa.Date,
    "timestamp": sa.DateTime,
    "text": lambda: sa.String(255),
}
_ON_DELETE = {OnDelete.cascade: "CASCADE", OnDelete.set_null: "SET NULL"}


def write_map(
    directory: Path,
    systems: dict[str, str],
    retention: str,
    *,
    urls: dict[str, str] | None = None,
    extra: str = "",
) -> Path:
    """privacy.yaml with `systems` (name -> YAML of its tables) and a retention section.

    Without `urls`, each system is the SQLite file `<name>.db` beside the map.
    """
    urls = urls or {}
    parts = [HEAD, "systems:\n"]
    for name, tables in systems.items():
        url = urls.get(name, f"sqlite:///{name}.db")
        parts.append(f"  {name}:\n    url: '{url}'\n    tables:\n")
        parts.append(textwrap.indent(textwrap.dedent(tables).strip("\n"), " " * 6) + "\n")
    parts.append("retention:\n")
    parts.append(textwrap.indent(textwrap.dedent(retention).strip("\n"), "  ") + "\n")
    if extra:
        parts.append(textwrap.dedent(extra).strip("\n") + "\n")
    path = directory / "privacy.yaml"
    path.write_text("".join(parts), encoding="utf-8")
    return path


def metadata(loaded: LoadedMap, system: str) -> sa.MetaData:
    """The system's tables as SQLAlchemy tables, with the map's references as foreign keys."""
    decl = loaded.datamap.systems[system]
    md = sa.MetaData(schema=decl.schema_name)
    prefix = f"{decl.schema_name}." if decl.schema_name else ""
    for tname, table in decl.tables.items():
        fks: dict[str, tuple[str, str | None]] = {}
        for ref in table.references:
            tsys, ttable, tcols = ref.target(system)
            if tsys != system or len(ref.columns) != 1:
                continue
            fks[ref.columns[0]] = (f"{prefix}{ttable}.{tcols[0]}", _ON_DELETE.get(ref.on_delete))
        cols = []
        for cname, col in table.columns.items():
            args: list[Any] = []
            if cname in fks:
                target, ondelete = fks[cname]
                args.append(sa.ForeignKey(target, ondelete=ondelete))
            cols.append(
                sa.Column(
                    cname,
                    _TYPES[col.type or "text"](),
                    *args,
                    primary_key=cname in table.primary_key,
                    autoincrement=False,
                )
            )
        sa.Table(tname, md, *cols)
    return md


def build(path: Path, rows: dict[str, Rows]) -> LoadedMap:
    """Create every system's tables and fill them: `rows[system][table]`."""
    loaded = load_map(path)
    for system in loaded.datamap.systems:
        md = metadata(loaded, system)
        engine = sa.create_engine(loaded.urls[system])
        try:
            with engine.begin() as conn:
                if md.schema and conn.dialect.name == "postgresql":
                    conn.execute(sa.schema.CreateSchema(md.schema, if_not_exists=True))
                md.create_all(conn)
                for table in md.sorted_tables:
                    data = rows.get(system, {}).get(table.name)
                    if data:
                        conn.execute(table.insert(), data)
        finally:
            engine.dispose()
    return loaded


def insert_many(loaded: LoadedMap, system: str, table: str, data: Iterable[dict[str, Any]]) -> None:
    md = metadata(loaded, system)
    engine = sa.create_engine(loaded.urls[system])
    try:
        with engine.begin() as conn:
            conn.execute(md.tables[_qualified(md, table)].insert(), list(data))
    finally:
        engine.dispose()


def _qualified(md: sa.MetaData, table: str) -> str:
    return f"{md.schema}.{table}" if md.schema else table


def _plain(value: Any) -> Any:
    """Values compared across backends: dates as ISO text, decimals as strings."""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.normalize())
    return value


def snapshot(loaded: LoadedMap) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted by primary key: the database's whole state."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    for system in loaded.datamap.systems:
        md = metadata(loaded, system)
        engine = sa.create_engine(loaded.urls[system])
        try:
            with engine.connect() as conn:
                for table in md.sorted_tables:
                    pk = list(table.primary_key.columns) or list(table.columns)
                    rows = conn.execute(sa.select(table).order_by(*pk))
                    out[f"{system}.{table.name}"] = [tuple(_plain(v) for v in r) for r in rows]
        finally:
            engine.dispose()
    return out


def ids(loaded: LoadedMap, key: str, column: str = "id") -> list[Any]:
    """The values of one column of `system.table`, sorted."""
    system, table = key.split(".", 1)
    md = metadata(loaded, system)
    engine = sa.create_engine(loaded.urls[system])
    try:
        with engine.connect() as conn:
            t = md.tables[_qualified(md, table)]
            return [r[0] for r in conn.execute(sa.select(t.c[column]).order_by(t.c[column]))]
    finally:
        engine.dispose()


def rows_of(loaded: LoadedMap, key: str) -> list[dict[str, Any]]:
    system, table = key.split(".", 1)
    md = metadata(loaded, system)
    engine = sa.create_engine(loaded.urls[system])
    try:
        with engine.connect() as conn:
            t = md.tables[_qualified(md, table)]
            pk = list(t.primary_key.columns)
            return [dict(r._mapping) for r in conn.execute(sa.select(t).order_by(*pk))]
    finally:
        engine.dispose()


def counts(report: Any) -> dict[str, tuple[int, int]]:
    """A plan report as {"rule:table": (due, held)}."""
    return {f"{r.rule}:{r.table}": (r.due, r.held) for r in report.rules}


def due_of(report: Any) -> dict[str, int]:
    """A plan report as {"rule:table": due} for the entries with anything due."""
    return {f"{r.rule}:{r.table}": r.due for r in report.rules if r.due}
