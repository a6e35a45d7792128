"""Retention anchored in another database, across PostgreSQL and MariaDB.

The ERP on one server, the CRM and the newsletter tool on the other: nothing can be
joined, so the anchor's side is read as keys on one server and applied on the other.
Real foreign keys (ON DELETE as declared) within each database make a parent deleted
before its children fail here.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "retention"))

from crossdb_scenarios import CROSSDB, many  # noqa: E402
from retention_db import build, due_of, ids, snapshot, write_map  # noqa: E402

from skydd import retention  # noqa: E402
from skydd.datamap.loader import LoadedMap  # noqa: E402

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("SKYDD_DATABASE_URL", "SKYDD_AUDIT_ANCHOR", "SKYDD_AUDIT_KEY", "SKYDD_MAP"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


def _urls(request: pytest.FixtureRequest, erp_on: str) -> dict[str, str]:
    pg: str = request.getfixturevalue("pg_url")
    my: str = request.getfixturevalue("mysql_url")
    erp, other = (pg, my) if erp_on == "postgresql" else (my, pg)
    return {"erp": erp, "crm": other, "newsletter": other}


def _build(folder: Path, urls: dict[str, str], rows: object) -> LoadedMap:
    folder.mkdir(exist_ok=True)
    path = write_map(folder, CROSSDB.systems, CROSSDB.retention, urls=urls)
    return build(path, rows)  # type: ignore[arg-type]


@pytest.mark.parametrize("erp_on", ["postgresql", "mariadb"])
def test_plan_run_and_a_second_run_across_servers(
    request: pytest.FixtureRequest, tmp_path: Path, erp_on: str
) -> None:
    loaded = _build(tmp_path / "company", _urls(request, erp_on), CROSSDB.rows)
    for day, expected in CROSSDB.expected.items():
        assert due_of(retention.plan(loaded, as_of=day)) == expected, day
    said = due_of(retention.plan(loaded, as_of=CROSSDB.run_on))
    report = retention.run(loaded, as_of=CROSSDB.run_on, batch=2)
    assert report.done == said and not report.skipped
    for table, left in CROSSDB.left.items():
        assert ids(loaded, table) == left, table
    assert due_of(retention.plan(loaded, as_of=CROSSDB.run_on)) == {}
    assert retention.run(loaded, as_of=CROSSDB.run_on).done == {}


def test_stopped_mid_run_and_resumed_across_servers(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    on = date(2026, 1, 1)
    data = many(60)
    interrupted = _build(tmp_path / "interrupted", _urls(request, "postgresql"), data)
    (tmp_path / "whole").mkdir()
    whole = build(write_map(tmp_path / "whole", CROSSDB.systems, CROSSDB.retention), data)
    said = sum(r.due for r in retention.plan(interrupted, as_of=on).rules)
    assert said > 100
    first = retention.run(interrupted, as_of=on, batch=5, stop_after=4)
    assert first.batches == 4
    rest = retention.run(interrupted, as_of=on, batch=5)
    retention.run(whole, as_of=on, batch=5)
    assert snapshot(interrupted) == snapshot(whole)
    assert sum(first.done.values()) + sum(rest.done.values()) == said
    assert due_of(retention.plan(interrupted, as_of=on)) == {}
