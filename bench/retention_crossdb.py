"""Retention anchored in another database: `retention.run` against the raw SQL a person writes.

The ERP (one database) holds `--people` contacts (1,000,000 by default), half of
them still customers (`customer_until` NULL); the CRM (another database) holds three
activities per contact and two notes per activity: about nine dependent rows per
person in a database that knows nothing of when someone stopped being a customer.
The rule (ACTE's sales history: two years after the relationship ended, at the end
of that year) makes about a third of the CRM's rows due.

Raw: on SQLite the ERP is ATTACHed to the CRM and two DELETEs (notes, then
activities) run in one transaction with `contact_id IN (SELECT id FROM erp.contacts
WHERE customer_until < :bound)`; on PostgreSQL, where two databases cannot be joined,
the due contact ids are read from the ERP in one query and the two DELETEs take them
as one array (`= ANY(:ids)`). Skydd: `retention.run` as the CLI runs it (progress,
lock, an audit event per batch). The CRM copies must end identical.

    .venv/bin/python bench/retention_crossdb.py [--people 1000000] [--no-postgres]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import sys
from pathlib import Path

# The bench folder holds scripts named like standard modules (queue.py): keep it off the
# import path, or psycopg imports the wrong queue.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import sqlite3  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from datetime import date  # noqa: E402
from typing import Any  # noqa: E402

import sqlalchemy as sa  # noqa: E402

from skydd import retention  # noqa: E402
from skydd.datamap.loader import load_map  # noqa: E402

AS_OF = date(2026, 1, 1)
BOUND = date(2024, 1, 1)  # two years, end of year, on AS_OF: ended before 2024

MAP = """\
version: 1
controller: {{name: Bench AB, country: SE}}
systems:
  erp:
    url: '{erp}'
    tables:
      contacts:
        primary_key: id
        columns:
          id: {{category: user.unique_id, type: integer, identity: customer_number}}
          email: {{category: user.contact.email, type: text, identity: email}}
          customer_until: {{category: system.operations, type: date}}
  crm:
    url: '{crm}'
    tables:
      activities:
        primary_key: id
        columns:
          id: {{category: system.operations, type: integer}}
          contact_id: {{category: user.unique_id, type: integer}}
          occurred_at: {{category: system.operations, type: date}}
        references:
          - {{column: contact_id, to: erp.contacts.id, on_delete: cascade}}
      notes:
        primary_key: id
        columns:
          id: {{category: system.operations, type: integer}}
          activity_id: {{category: system.operations, type: integer}}
          body: {{category: user.content.private, type: text, free_text: true}}
        references:
          - {{column: activity_id, to: activities.id, on_delete: cascade}}
retention:
  rules:
    sales_history:
      tables: [crm.activities, crm.notes]
      anchor: erp.contacts.customer_until
      period: 2 years
      align: end_of_year
"""

ERP_SQL = [
    "CREATE TABLE contacts (id integer PRIMARY KEY, email text, customer_until date)",
]
CRM_SQL = [
    "CREATE TABLE activities (id bigint PRIMARY KEY, contact_id integer, occurred_at date)",
    "CREATE TABLE notes (id bigint PRIMARY KEY, activity_id bigint, body text)",
]
CRM_INDEXES = [
    "CREATE INDEX activities_contact ON activities (contact_id)",
    "CREATE INDEX notes_activity ON notes (activity_id)",
]
# Every second contact is still a customer (NULL); the others' ends are spread over
# 2020-2025, two thirds of them before 2024: a third of all CRM rows is due.
SQLITE_ERP = """WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {people})
  INSERT INTO contacts SELECT i, 'p' || i || '@example.se',
    CASE WHEN i % 2 = 0 THEN NULL
         ELSE date('2020-01-01', '+' || ((i * 7919) % 2190) || ' days') END FROM n"""
SQLITE_CRM = [
    """WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {people})
       INSERT INTO activities SELECT i * 4 + j.j, i, '2016-06-01'
       FROM n, (SELECT 0 AS j UNION ALL SELECT 1 UNION ALL SELECT 2) j""",
    """INSERT INTO notes SELECT a.id * 2 + k.k, a.id, 'note ' || k.k
       FROM activities a, (SELECT 0 AS k UNION ALL SELECT 1) k""",
]
PG_ERP = """INSERT INTO contacts SELECT i, 'p' || i || '@example.se',
    CASE WHEN i % 2 = 0 THEN NULL ELSE date '2020-01-01' + ((i::bigint * 7919) % 2190)::int END
  FROM generate_series(1, {people}) i"""
PG_CRM = [
    """INSERT INTO activities SELECT i::bigint * 4 + j, i, date '2016-06-01'
       FROM generate_series(1, {people}) i, generate_series(0, 2) j""",
    """INSERT INTO notes SELECT a.id * 2 + k, a.id, 'note ' || k
       FROM activities a, generate_series(0, 1) k""",
    "ALTER TABLE notes ADD FOREIGN KEY (activity_id) REFERENCES activities(id) ON DELETE CASCADE",
]


def _timed(func: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    value = func()
    return time.perf_counter() - started, value


def _state(url: str) -> dict[str, tuple[int, int]]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                t: tuple(int(v or 0) for v in conn.execute(
                    sa.text(f"SELECT count(*), sum(id) FROM {t}")).one())  # type: ignore[misc]
                for t in ("activities", "notes")
            }  # fmt: skip
    finally:
        engine.dispose()


def _skydd(folder: Path, erp: str, crm: str) -> tuple[float, Any]:
    folder.mkdir()
    (folder / "privacy.yaml").write_text(MAP.format(erp=erp, crm=crm), encoding="utf-8")
    loaded = load_map(folder / "privacy.yaml")
    store = f"sqlite:///{folder / 'store.db'}"
    from skydd.store import open_store

    open_store(store).close()  # a daily run finds its store made
    return _timed(lambda: retention.run(loaded, as_of=AS_OF, store=store, progress=lambda *a: None))


def _report(backend: str, before: dict[str, tuple[int, int]], raw_s: float, run: Any,
            skydd_s: float, after: dict[str, tuple[int, int]]) -> str:  # fmt: skip
    gone = {t: before[t][0] - after[t][0] for t in before}
    total = sum(n for n, _ in before.values())
    return (
        f"{backend}: {sum(gone.values()):,} of {total:,} CRM rows deleted "
        f"({sum(gone.values()) / total:.0%}: activities {gone['activities']:,}, notes "
        f"{gone['notes']:,}); raw {raw_s:.1f} s, retention.run {skydd_s:.1f} s in "
        f"{run.batches} batches: {skydd_s / raw_s - 1:+.0%}"
    )


def bench_sqlite(people: int, folder: Path) -> str:
    erp, crm = folder / "erp.db", folder / "crm.db"
    started = time.perf_counter()
    for path, stmts in ((erp, [*ERP_SQL, SQLITE_ERP]), (crm, [*CRM_SQL, *SQLITE_CRM])):
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA journal_mode=OFF")
        for stmt in stmts:
            conn.execute(stmt.format(people=people))
        if path == crm:
            for stmt in CRM_INDEXES:
                conn.execute(stmt)
        conn.commit()
        conn.execute("ANALYZE")
        conn.close()
    print(f"SQLite: generated in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    shutil.copy(crm, folder / "crm_raw.db")
    before = _state(f"sqlite:///{crm}")

    def raw() -> None:
        conn = sqlite3.connect(folder / "crm_raw.db")
        conn.execute("ATTACH DATABASE ? AS erp", (str(erp),))
        due = "SELECT id FROM erp.contacts WHERE customer_until < ?"
        with conn:
            conn.execute(
                f"DELETE FROM notes WHERE activity_id IN "  # noqa: S608
                f"(SELECT id FROM activities WHERE contact_id IN ({due}))",
                (BOUND.isoformat(),),
            )
            conn.execute(
                f"DELETE FROM activities WHERE contact_id IN ({due})",  # noqa: S608
                (BOUND.isoformat(),),
            )
        conn.close()

    raw_s, _ = _timed(raw)
    skydd_s, run = _skydd(folder / "cli", f"sqlite:///{erp}", f"sqlite:///{crm}")
    after, raw_after = _state(f"sqlite:///{crm}"), _state(f"sqlite:///{folder / 'crm_raw.db'}")
    if after != raw_after:
        raise SystemExit(f"SQLite: the copies differ: raw {raw_after}, skydd {after}")
    return _report(f"SQLite {sqlite3.sqlite_version}", before, raw_s, run, skydd_s, after)


def bench_postgres(people: int, admin_url: str, folder: Path) -> str:
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    names = {n: f"skydd_bench_x{n}_{os.getpid()}" for n in ("erp", "crm", "raw")}
    url = sa.make_url(admin_url)
    urls = {n: url.set(database=d).render_as_string(hide_password=False) for n, d in names.items()}
    try:
        with admin.connect() as conn:
            version = conn.execute(sa.text("SHOW server_version")).scalar()
            for n in ("erp", "crm"):
                conn.execute(sa.text(f'CREATE DATABASE "{names[n]}"'))
        started = time.perf_counter()
        for n, stmts in (("erp", [*ERP_SQL, PG_ERP]), ("crm", [*CRM_SQL, *PG_CRM, *CRM_INDEXES])):
            engine = sa.create_engine(urls[n])
            with engine.begin() as conn:
                for stmt in stmts:
                    conn.execute(sa.text(stmt.format(people=people)))
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(sa.text("VACUUM ANALYZE"))
            engine.dispose()
        print(f"PostgreSQL: generated in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{names["raw"]}" TEMPLATE "{names["crm"]}"'))
        before = _state(urls["crm"])

        def raw() -> None:
            erp = sa.create_engine(urls["erp"])
            crm = sa.create_engine(urls["raw"])
            with erp.connect() as conn:
                due = sa.text("SELECT id FROM contacts WHERE customer_until < :b")
                ids = [r[0] for r in conn.execute(due, {"b": BOUND})]
            with crm.begin() as conn:
                conn.execute(sa.text(
                    "DELETE FROM notes WHERE activity_id IN (SELECT id FROM activities"
                    " WHERE contact_id = ANY(:ids))"), {"ids": ids})  # fmt: skip
                conn.execute(
                    sa.text("DELETE FROM activities WHERE contact_id = ANY(:ids)"), {"ids": ids}
                )
            erp.dispose()
            crm.dispose()

        raw_s, _ = _timed(raw)
        skydd_s, run = _skydd(folder / "pg", urls["erp"], urls["crm"])
        after, raw_after = _state(urls["crm"]), _state(urls["raw"])
        if after != raw_after:
            raise SystemExit(f"PostgreSQL: the copies differ: raw {raw_after}, skydd {after}")
        return _report(f"PostgreSQL {version}", before, raw_s, run, skydd_s, after)
    finally:
        with admin.connect() as conn:
            for d in names.values():
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{d}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument(
        "--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    )
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    os.environ.pop("SKYDD_DATABASE_URL", None)
    with tempfile.TemporaryDirectory(prefix="skydd-bench-") as tmp:
        folder = Path(tmp)
        os.environ["XDG_STATE_HOME"] = str(folder / "state")
        (folder / "sqlite").mkdir()
        print(bench_sqlite(args.people, folder / "sqlite"), flush=True)
        if not args.no_postgres:
            print(bench_postgres(args.people, args.postgres, folder), flush=True)
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
