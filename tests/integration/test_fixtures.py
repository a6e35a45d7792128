"""The shared server fixtures give empty databases that are gone afterwards."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("fixture", ["pg_url", "mysql_url"])
def test_fresh_database_is_empty_and_writable(fixture: str, request: pytest.FixtureRequest) -> None:
    url = request.getfixturevalue(fixture)
    assert make_url(url).database.startswith("skydd_test_")  # type: ignore[union-attr]
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            assert inspect(conn).get_table_names() == []
            conn.execute(text("CREATE TABLE t (name VARCHAR(20))"))
            conn.execute(text("INSERT INTO t VALUES ('åäö')"))
            assert conn.execute(text("SELECT name FROM t")).scalar_one() == "åäö"
    finally:
        engine.dispose()
