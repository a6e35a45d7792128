"""`skydd init` on PostgreSQL and MariaDB: the same shop schema as the SQLite tests."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
import sqlalchemy as sa

from skydd.checking import run_check
from skydd.connectors import connect, postgres
from skydd.datamap import load_map
from skydd.datamap.introspect import init_map

pytestmark = pytest.mark.integration


def _load_shop() -> ModuleType:
    path = Path(__file__).parents[1] / "connectors" / "shop_schema.py"
    spec = importlib.util.spec_from_file_location("shop_schema", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


shop = _load_shop()


def build(url: str) -> None:
    with connect(url) as conn:
        shop.build(conn.engine)


def check_draft(url: str, tmp_path: Path) -> dict[str, object]:
    build(url)
    out = tmp_path / "privacy.yaml"
    result = init_map([url], out)
    assert (result.systems, result.tables, result.references) == (1, 8, 8)
    loaded = load_map(out)
    ((system_name, system),) = loaded.datamap.systems.items()
    found = {
        (tname, tuple(ref.columns), ref.to, ref.on_delete.value)
        for tname, table in system.tables.items()
        for ref in table.references
    }
    assert found == shop.REFERENCES
    customers = system.tables["customers"].columns
    assert customers["contact"].identity == "email"  # from sampled values
    assert customers["ident"].identity == "personnummer"
    assert customers["telefon"].identity == "phone"
    assert system.tables["order_lines"].primary_key == ["order_id", "line_no"]
    report = run_check(out)
    assert report.issues == []
    assert report.exit_code == 1
    return {"name": system_name, "url": system.url, "text": out.read_text()}


def test_postgres(pg_url: str, tmp_path: Path) -> None:
    drafted = check_draft(pg_url, tmp_path)
    assert drafted["name"] == sa.make_url(pg_url).database


def test_mariadb(mysql_url: str, tmp_path: Path) -> None:
    drafted = check_draft(mysql_url, tmp_path)
    assert drafted["name"] == sa.make_url(mysql_url).database


def test_postgres_password_stays_out_of_the_map(pg_url: str, tmp_path: Path) -> None:
    # The test server trusts local connections, so any password is accepted.
    build(pg_url)
    url = sa.make_url(pg_url).set(password="hunter2").render_as_string(hide_password=False)
    out = tmp_path / "privacy.yaml"
    result = init_map([url], out)
    text = out.read_text()
    assert "hunter2" not in text
    (secret,) = result.secrets
    assert f":${{{secret}:-}}@" in text
    assert f"export {secret}" in text
    assert load_map(out).datamap.systems


def test_postgres_samples_large_tables_with_tablesample(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(pg_url)
    monkeypatch.setattr(postgres, "LARGE_TABLE", 1)
    with connect(pg_url) as conn:
        with conn.engine.begin() as c:
            c.execute(sa.text("ANALYZE customers"))
        table = conn.table("customers")
        with conn.connection() as c:
            query = conn.sample_query(c, table, table.c.e_post, 3)
        assert "TABLESAMPLE" in str(query.compile(conn.engine))
        values = conn.sample("customers", "e_post", 3)
    assert 0 < len(values) <= 3
    assert all("@" in v for v in values)


@pytest.mark.parametrize("kind", ["pg", "mysql"])
def test_reflection_matches_on_every_backend(kind: str, request: pytest.FixtureRequest) -> None:
    url = request.getfixturevalue("pg_url" if kind == "pg" else "mysql_url")
    build(url)
    with connect(url) as conn:
        conn.ping()
        tables = {t.name: t for t in conn.reflect()}
        assert set(tables) == set(shop.metadata.tables)
        (fk,) = tables["shipment_events"].foreign_keys
        assert (fk.columns, fk.referred_table, fk.referred_columns) == (
            ["order_id", "shipment_no"],
            "shipments",
            ["order_id", "shipment_no"],
        )
        assert fk.ondelete == "CASCADE"
        self_ref = tables["employees"].foreign_keys[0]
        assert (self_ref.referred_table, self_ref.ondelete) == ("employees", "SET NULL")
        assert conn.quote("order") == ('"order"' if kind == "pg" else "`order`")
        assert sorted(conn.sample("employees", "namn", 5)) == ["Chef Chefsson", "Sam Säljare"]
