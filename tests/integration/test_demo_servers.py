"""`skydd demo --postgres/--mysql`: the same seed gives the same data as on SQLite.

AXsensor with 100 people is built three times, into SQLite files, PostgreSQL schemas
and MariaDB databases, and every table is compared: row count and a checksum of its
rows in key order, with values normalised the way each driver returns them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from skydd.datamap.loader import load_map
from skydd.demo import DemoResult, build_demo, examples_dir
from skydd.demo.build import server_targets
from skydd.demo.sink import column_kind

pytestmark = pytest.mark.integration

PEOPLE = 100
SEED = 11
AS_OF = date(2026, 3, 2)


def _value(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "json":
        return json.dumps(json.loads(value) if isinstance(value, str) else value, sort_keys=True)
    if kind == "numeric":
        return f"{float(value):.2f}"
    if kind in ("integer", "boolean"):
        return int(value)
    if kind == "blob":
        return bytes(value)
    if isinstance(value, date | datetime):
        return str(value)  # ISO, with a space before the time, as SQLite stores it
    assert not isinstance(value, Decimal | float), (kind, value)
    return str(value)


def _fingerprint(result: DemoResult) -> dict[str, tuple[int, str]]:
    """Per table: rows and a checksum of the normalised rows in key order."""
    loaded = load_map(result.map_path)
    datamap, found = loaded.datamap, {}
    for system, decl in datamap.systems.items():
        engine = sa.create_engine(loaded.urls[system])
        try:
            with engine.connect() as conn:
                for name, table in decl.tables.items():
                    reflected = sa.Table(
                        name, sa.MetaData(), schema=decl.schema_name, autoload_with=conn
                    )
                    order = [reflected.c[k] for k in table.primary_key]
                    kinds = [column_kind(datamap, system, name, c.name) for c in reflected.c]
                    digest = hashlib.sha256()
                    count = 0
                    for row in conn.execute(sa.select(reflected).order_by(*order)):
                        normal = [_value(k, v) for k, v in zip(kinds, row, strict=True)]
                        digest.update(repr(normal).encode())
                        count += 1
                    found[f"{system}.{name}"] = (count, digest.hexdigest())
        finally:
            engine.dispose()
    return found


@pytest.fixture(scope="module")
def on_sqlite(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, str]]:
    directory = tmp_path_factory.mktemp("sqlite") / "demo"
    result = build_demo("axsensor", directory, people=PEOPLE, seed=SEED, as_of=AS_OF)
    return _fingerprint(result)


def test_postgres_holds_the_same_data(
    pg_url: str, tmp_path: Path, on_sqlite: dict[str, tuple[int, str]]
) -> None:
    result = build_demo(
        "axsensor", tmp_path, people=PEOPLE, seed=SEED, as_of=AS_OF, postgres=pg_url
    )
    assert all(" schema " in where for where in result.databases.values())
    assert _fingerprint(result) == on_sqlite
    # Again with --force: the demo's tables are replaced, nothing else is needed.
    again = build_demo(
        "axsensor", tmp_path, people=PEOPLE, seed=SEED, as_of=AS_OF, postgres=pg_url, force=True
    )
    assert again.rows == result.rows


@pytest.fixture
def mysql_demo(mysql_url: str) -> Iterator[str]:
    """The MariaDB URL; the demo's databases (one per system) are dropped afterwards."""
    yield mysql_url
    url = sa.make_url(mysql_url)
    systems = list(load_map(examples_dir() / "axsensor" / "privacy.yaml").datamap.systems)
    engine = sa.create_engine(url.set(database=None))
    try:
        with engine.connect() as conn:
            for schema in server_targets(url, systems).values():
                conn.exec_driver_sql(f"DROP DATABASE IF EXISTS `{schema}`")
    finally:
        engine.dispose()


def test_mariadb_holds_the_same_data(
    mysql_demo: str, tmp_path: Path, on_sqlite: dict[str, tuple[int, str]]
) -> None:
    result = build_demo(
        "axsensor", tmp_path, people=PEOPLE, seed=SEED, as_of=AS_OF, mysql=mysql_demo
    )
    assert _fingerprint(result) == on_sqlite
