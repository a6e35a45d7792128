"""Sampling on SQLite: whole small tables, random order, key windows by key or rowid."""

from __future__ import annotations

import random
from pathlib import Path

import sqlalchemy as sa

from skydd.scan import sampling

ROWS = sampling.SMALL + 5_000


def _db(tmp_path: Path) -> tuple[sa.Engine, sa.Table, sa.Table]:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 's.db'}")
    meta = sa.MetaData()
    by_int = sa.Table(
        "by_int", meta, sa.Column("id", sa.Integer, primary_key=True), sa.Column("v", sa.Text)
    )
    by_text = sa.Table(
        "by_text", meta, sa.Column("code", sa.String(20), primary_key=True), sa.Column("v", sa.Text)
    )
    meta.create_all(engine)
    with engine.begin() as conn:
        conn.execute(by_int.insert(), [{"id": i, "v": f"v{i}"} for i in range(ROWS)])
        conn.execute(by_text.insert(), [{"code": f"C{i:06d}", "v": f"v{i}"} for i in range(ROWS)])
    return engine, by_int, by_text


def test_each_way_of_sampling(tmp_path: Path) -> None:
    engine, by_int, by_text = _db(tmp_path)
    rng = random.Random(1)
    with engine.connect() as conn:
        assert sampling.row_estimate(conn, by_int) == ROWS
        rows, how = sampling.sample_rows(conn, by_int, ["v"], 500, rng)
        assert how == "key-windows" and 400 <= len(rows) <= 500
        assert len(set(rows)) == len(rows)
        rows, how = sampling.sample_rows(conn, by_text, ["code", "v"], 500, rng)
        assert how == "key-windows" and len(rows) >= 400  # by rowid: no integer key
        rows, how = sampling.sample_rows(conn, by_int, ["v"], ROWS + 1, rng)
        assert how == "all" and len(rows) == ROWS
        conn.execute(sa.delete(by_int).where(by_int.c.id >= 100))
        rows, how = sampling.sample_rows(conn, by_int, ["v"], 50, rng)
        assert how == "random" and len(rows) == 50
        full = [r for batch in sampling.all_rows(conn, by_text, ["v"]) for r in batch]
    engine.dispose()
    assert len(full) == ROWS


def test_only_text_and_integer_columns_are_scanned() -> None:
    t = sa.Table(
        "t",
        sa.MetaData(),
        sa.Column("a", sa.Text),
        sa.Column("b", sa.BigInteger),
        sa.Column("c", sa.Date),
        sa.Column("d", sa.Float),
        sa.Column("e", sa.LargeBinary),
    )
    assert [c.name for c in t.columns if sampling.scannable(c)] == ["a", "b"]
