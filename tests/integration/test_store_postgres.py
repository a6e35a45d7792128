"""Skydd's store on a real PostgreSQL server: migrations, appends, locking, tamper checks."""

from __future__ import annotations

import importlib.util
import multiprocessing
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError

from skydd.errors import SkyddError
from skydd.store import StaffAction, Store, open_store
from skydd.store.db import MIGRATIONS

pytestmark = pytest.mark.integration


def _load_tampering() -> ModuleType:
    # The SQLite tamper tests' attacker, reused as is (tests/ is not a package).
    path = Path(__file__).parents[1] / "store" / "tampering.py"
    spec = importlib.util.spec_from_file_location("store_tampering", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


Attacker = _load_tampering().Attacker


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("SKYDD_DATABASE_URL", "SKYDD_AUDIT_ANCHOR", "SKYDD_AUDIT_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


@pytest.fixture
def pg_store(pg_url: str) -> Any:
    store = open_store(pg_url)
    for i in range(2, 11):
        store.audit.append(StaffAction(actor="anna", action="approve", target=f"r:{i}"))
    yield store
    store.close()


def test_store_on_postgres(pg_url: str, tmp_path: Path) -> None:
    plain = pg_url.replace("postgresql+psycopg://", "postgresql://", 1)
    with open_store(plain) as store:
        assert store.url.drivername == "postgresql+psycopg"
        store.audit.append(StaffAction(actor="anna", action="approve", target="r:1"), "anna")
        anchor = store.audit.anchor_path
    assert anchor is not None and anchor.parent == tmp_path / "state" / "skydd"
    with open_store(pg_url) as store:
        assert [r.kind for r in store.audit.records()] == ["store-initialised", "staff-action"]
        result = store.audit.verify()
        assert result.ok and result.problems == []
        assert result.anchor == result.head
        with pytest.raises(DatabaseError, match="append-only"), store.engine.begin() as conn:
            conn.execute(text("DELETE FROM audit_events"))


def _changed(a: Any) -> None:
    a.sql("UPDATE audit_events SET actor = 'mallory' WHERE seq = 4")


def _removed(a: Any) -> None:
    a.sql("DELETE FROM audit_events WHERE seq = 5")


def _inserted(a: Any) -> None:
    for seq in range(10, 6, -1):
        a.sql("UPDATE audit_events SET seq = :new WHERE seq = :old", new=seq + 1, old=seq)
    a.forge(7, prev_hash=a.row(6)["hash"])
    a.set_head(11)


def _reordered(a: Any) -> None:
    a.sql("UPDATE audit_events SET seq = -1 WHERE seq = 3")
    a.sql("UPDATE audit_events SET seq = 3 WHERE seq = 8")
    a.sql("UPDATE audit_events SET seq = 8 WHERE seq = -1")


def _truncated(a: Any) -> None:
    a.sql("DELETE FROM audit_events WHERE seq > 8")
    a.set_head(8)


@pytest.mark.parametrize(
    ("tamper", "expected"),
    [
        (_changed, [("changed", 4)]),
        (_removed, [("removed", 5)]),
        (_inserted, [("inserted", 7)]),
        (_reordered, [("reordered", 3), ("reordered", 8)]),
        (_truncated, [("truncated", 9)]),
    ],
    ids=["changed", "removed", "inserted", "reordered", "truncated"],
)
def test_tampering_on_postgres_is_named(
    pg_store: Store, tamper: Callable[[Any], None], expected: list[tuple[str, int]]
) -> None:
    tamper(Attacker(pg_store.engine))
    result = pg_store.audit.verify()
    assert not result.ok
    assert [(p.kind, p.seq) for p in result.problems] == expected


def _append_many(url: str, name: str, start: Any) -> None:
    with open_store(url) as store:
        start.wait()
        for i in range(25):
            store.audit.append(StaffAction(actor=name, action="approve", target=f"r:{i}"), name)


def test_concurrent_appends_on_postgres_form_one_chain(pg_url: str) -> None:
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    children = [
        context.Process(target=_append_many, args=(pg_url, f"worker-{n}", start)) for n in range(2)
    ]
    for child in children:
        child.start()
    start.set()
    for child in children:
        child.join(timeout=120)
    assert [child.exitcode for child in children] == [0, 0]
    with open_store(pg_url) as store:
        records = list(store.audit.records())
        result = store.audit.verify()
    assert [r.seq for r in records] == list(range(1, 52))
    assert [r.kind for r in records].count("store-initialised") == 1
    assert result.ok and result.problems == []


def test_missing_database_is_a_clear_error(pg_url: str) -> None:
    url = make_url(pg_url).set(database="skydd_no_such_db", password="hunter22")
    with pytest.raises(SkyddError) as raised:
        open_store(url.render_as_string(hide_password=False))
    text_ = raised.value.render()
    assert f"{url.host}:{url.port}/skydd_no_such_db" in text_
    assert "hunter22" not in text_


def test_migrations_go_down_and_up_again_on_postgres(pg_url: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with open_store(pg_url) as store:
        with store.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "base")
        assert set(inspect(store.engine).get_table_names()) == {"skydd_alembic_version"}
        assert store.audit.anchor_path is not None
        store.audit.anchor_path.unlink()
    with open_store(pg_url) as store:
        assert store.audit.verify().ok
