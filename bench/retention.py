"""What batching, holds and the audit log cost: a retention run against raw SQL.

One company: `--people` contacts (1,000,000 by default), three orders each with
two lines, and one invoice each under the bookkeeping hold: about ten dependent
rows per person. The AX-1 rule (seven years after the last contact, deleted at
the end of that year) makes 36 % of the contacts due with their orders; the hold
keeps a quarter of those contacts (their invoice's fiscal year is not seven
years over), so the run deletes about 30 % of all rows.

The data is generated with plain SQL into a base database, then copied twice.
On one copy `skydd.retention.run` does the work as `skydd retention run` does
(progress totals, keyset batches of 5000 rows, an audit event per batch, the
lock); on the other, three hand-written DELETE statements (children first, in
one transaction) delete the same rows. The copies must end identical (row
counts and key sums per table); the overhead is Skydd's time over raw time.

    .venv/bin/python bench/retention.py [--people 1000000] [--no-postgres]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres] [--markdown]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from skydd import retention
from skydd.datamap.loader import load_map

AS_OF = date(2026, 1, 1)
BOUND = "2019-01-01"  # AX-1 on AS_OF: last contact before 2019 is due
HOLD = "2019-01-01"  # bookkeeping on AS_OF: fiscal years ending before 2019 are free
TABLES = ("contacts", "orders", "order_lines", "invoices")

MAP = """\
version: 1
controller: {{name: Bench AB, country: SE}}
systems:
  erp:
    url: '{url}'
    tables:
      contacts:
        primary_key: id
        columns:
          id: {{category: user.unique_id, type: integer}}
          email: {{category: user.contact.email, type: text, identity: email}}
          last_contact: {{category: system.operations, type: date}}
      orders:
        primary_key: id
        columns:
          id: {{category: system.operations, type: integer}}
          contact_id: {{category: user.unique_id, type: integer}}
          ordered_at: {{category: system.operations, type: date}}
          total: {{category: user.financial, type: numeric}}
        references:
          - {{column: contact_id, to: contacts.id, on_delete: cascade}}
      order_lines:
        primary_key: id
        columns:
          id: {{category: system.operations, type: integer}}
          order_id: {{category: system.operations, type: integer}}
          product: {{category: user.behavior.purchase_history, type: text}}
          quantity: {{category: system.operations, type: integer}}
        references:
          - {{column: order_id, to: orders.id, on_delete: cascade}}
      invoices:
        primary_key: id
        columns:
          id: {{category: system.operations, type: integer}}
          contact_id: {{category: user.unique_id, type: integer}}
          fiscal_year_end: {{category: system.operations, type: date}}
          amount: {{category: user.financial, type: numeric}}
        references:
          - {{column: contact_id, to: contacts.id, on_delete: set_null}}
retention:
  rules:
    order_data:
      tables: [erp.contacts, erp.orders, erp.order_lines]
      anchor: contacts.last_contact
      period: 7 years
      align: end_of_year
  holds:
    bookkeeping:
      labels: Bokföringsskyldighet
      law: Bokföringslagen (1999:1078) 7 kap. 2 §
      tables: [erp.invoices]
      anchor: fiscal_year_end
      period: 7 years
      align: end_of_year
"""

# Hand-written: what a DBA would type for the same rule, hold included.
RAW = [
    """DELETE FROM order_lines WHERE order_id IN (
         SELECT o.id FROM orders o JOIN contacts c ON c.id = o.contact_id
         WHERE c.last_contact < :bound)""",
    """DELETE FROM orders WHERE contact_id IN (
         SELECT id FROM contacts WHERE last_contact < :bound)""",
    """DELETE FROM contacts WHERE last_contact < :bound AND NOT EXISTS (
         SELECT 1 FROM invoices i WHERE i.contact_id = contacts.id
         AND (i.fiscal_year_end IS NULL OR i.fiscal_year_end >= :hold))""",
]

SCHEMA = [
    "CREATE TABLE contacts (id integer PRIMARY KEY, email varchar(200), last_contact date)",
    """CREATE TABLE orders (id integer PRIMARY KEY, contact_id integer {fk_contact_cascade},
         ordered_at date, total numeric(12, 2))""",
    """CREATE TABLE order_lines (id bigint PRIMARY KEY, order_id integer {fk_order},
         product varchar(40), quantity integer)""",
    """CREATE TABLE invoices (id integer PRIMARY KEY, contact_id integer {fk_contact_set_null},
         fiscal_year_end date, amount numeric(12, 2))""",
]
# SQLite declares them in the table (it cannot add them later, and the connector does
# not enforce them); PostgreSQL adds and checks them once the rows are in.
FOREIGN_KEYS = {
    "fk_contact_cascade": ("orders", "contact_id", "contacts", "CASCADE"),
    "fk_order": ("order_lines", "order_id", "orders", "CASCADE"),
    "fk_contact_set_null": ("invoices", "contact_id", "contacts", "SET NULL"),
}
INDEXES = [
    "CREATE INDEX orders_contact ON orders (contact_id)",
    "CREATE INDEX order_lines_order ON order_lines (order_id)",
    "CREATE INDEX invoices_contact ON invoices (contact_id)",
]


def _schema(inline: bool) -> list[str]:
    refs = {
        name: f"REFERENCES {parent}(id) ON DELETE {action}" if inline else ""
        for name, (_, _, parent, action) in FOREIGN_KEYS.items()
    }
    return [stmt.format(**refs) for stmt in SCHEMA]


def _add_foreign_keys() -> list[str]:
    return [
        f"ALTER TABLE {table} ADD FOREIGN KEY ({column}) REFERENCES {parent}(id) ON DELETE {action}"
        for table, column, parent, action in FOREIGN_KEYS.values()
    ]


# Last contacts spread over 2015-2025 (4018 days); the invoice's fiscal year ends
# 0, 1 or 2 years after the year of the last contact.
SQLITE_FILL = [
    """WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {people})
       INSERT INTO contacts SELECT i, 'p' || i || '@example.se',
         date('2015-01-01', '+' || ((i * 7919) % 4018) || ' days') FROM n""",
    """INSERT INTO orders SELECT c.id * 4 + j.j, c.id, c.last_contact, 100 + j.j
       FROM contacts c, (SELECT 0 AS j UNION ALL SELECT 1 UNION ALL SELECT 2) j""",
    """INSERT INTO order_lines SELECT o.id * 2 + k.k, o.id, 'AXS-LVL-' || k.k, 1 + k.k
       FROM orders o, (SELECT 0 AS k UNION ALL SELECT 1) k""",
    """INSERT INTO invoices SELECT c.id, c.id,
         (CAST(strftime('%Y', c.last_contact) AS integer) + c.id % 3) || '-12-31', 500
       FROM contacts c""",
]
PG_FILL = [
    """INSERT INTO contacts SELECT i, 'p' || i || '@example.se',
         date '2015-01-01' + ((i::bigint * 7919) % 4018)::int
       FROM generate_series(1, {people}) i""",
    """INSERT INTO orders SELECT c.id * 4 + j, c.id, c.last_contact, 100 + j
       FROM contacts c, generate_series(0, 2) j""",
    """INSERT INTO order_lines SELECT o.id::bigint * 2 + k, o.id, 'AXS-LVL-' || k, 1 + k
       FROM orders o, generate_series(0, 1) k""",
    """INSERT INTO invoices SELECT c.id, c.id,
         make_date(extract(year FROM c.last_contact)::int + c.id % 3, 12, 31), 500
       FROM contacts c""",
]


@dataclass
class Result:
    backend: str
    version: str
    rows_before: dict[str, int]
    deleted: dict[str, int]
    generate_s: float
    raw_s: float
    skydd_s: float
    batches: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def overhead(self) -> float:
        return self.skydd_s / self.raw_s - 1


def _timed(func: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = func()
    return time.perf_counter() - started, value


def _state(url: str) -> dict[str, tuple[int, int]]:
    """Rows and the sum of keys per table: two copies in the same state agree."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            out = {}
            for t in TABLES:
                rows, keys = conn.execute(sa.text(f"SELECT count(*), sum(id) FROM {t}")).one()
                out[t] = (int(rows), int(keys or 0))
            return out
    finally:
        engine.dispose()


def _skydd_run(folder: Path, url: str, *, progress: bool) -> tuple[float, Any]:
    """`skydd retention run` in-process: the store is a SQLite file beside the map."""
    (folder / "privacy.yaml").write_text(MAP.format(url=url), encoding="utf-8")
    loaded = load_map(folder / "privacy.yaml")
    store = f"sqlite:///{folder / 'store.db'}"
    # A daily run finds its store made and migrated: that is not part of the run.
    from skydd.store import open_store

    open_store(store).close()

    def bar(label: str, done: int, total: int) -> None:
        pass

    return _timed(
        lambda: retention.run(loaded, as_of=AS_OF, store=store, progress=bar if progress else None)
    )


def _raw_run(url: str) -> float:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            started = time.perf_counter()
            with conn.begin():
                for stmt in RAW:
                    conn.execute(sa.text(stmt), {"bound": date.fromisoformat(BOUND),
                                                 "hold": date.fromisoformat(HOLD)})  # fmt: skip
            return time.perf_counter() - started
    finally:
        engine.dispose()


def _compare(
    backend: str,
    version: str,
    generate_s: float,
    base: dict[str, tuple[int, int]],
    copies: dict[str, str],
    folder: Path,
) -> Result:
    raw_s = _raw_run(copies["raw"])
    skydd_s, report = _skydd_run(folder / "cli", copies["skydd"], progress=True)
    raw_state, skydd_state = _state(copies["raw"]), _state(copies["skydd"])
    if raw_state != skydd_state:
        raise SystemExit(f"{backend}: the copies differ:\n raw   {raw_state}\n skydd {skydd_state}")
    deleted = {t: base[t][0] - raw_state[t][0] for t in TABLES}
    done = {k.split(":")[1].split(".")[1]: v for k, v in report.done.items()}
    if {t: n for t, n in deleted.items() if n} != done:
        raise SystemExit(f"{backend}: Skydd reported {done}, the tables lost {deleted}")
    result = Result(
        backend, version, {t: base[t][0] for t in TABLES}, deleted, generate_s, raw_s, skydd_s,
        batches=report.batches,
    )  # fmt: skip
    return result


# -- SQLite ---------------------------------------------------------------------------------


def bench_sqlite(people: int, folder: Path) -> Result:
    base = folder / "base.db"

    def generate() -> None:
        conn = sqlite3.connect(base)
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        for stmt in _schema(inline=True):
            conn.execute(stmt)
        for stmt in SQLITE_FILL:
            conn.execute(stmt.format(people=people))
        for stmt in INDEXES:
            conn.execute(stmt)
        conn.commit()
        conn.execute("ANALYZE")
        conn.commit()
        conn.close()

    generate_s, _ = _timed(generate)
    copies = {}
    for name in ("raw", "skydd"):
        shutil.copy(base, folder / f"{name}.db")
        copies[name] = f"sqlite:///{folder / name}.db"
    (folder / "cli").mkdir()
    before = _state(f"sqlite:///{base}")
    base.unlink()
    return _compare("SQLite", sqlite3.sqlite_version, generate_s, before, copies, folder)


# -- PostgreSQL -----------------------------------------------------------------------------


def bench_postgres(people: int, admin_url: str, folder: Path) -> Result | str:
    try:
        admin = sa.create_engine(
            admin_url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5}
        )
        with admin.connect() as conn:
            version = str(conn.execute(sa.text("SHOW server_version")).scalar())
    except Exception as exc:  # noqa: BLE001 - any reason not to reach it: skip
        return f"PostgreSQL not reachable at {admin_url}: {type(exc).__name__}"
    names = {n: f"skydd_bench_{n}_{os.getpid()}" for n in ("base", "raw", "skydd")}
    url = sa.make_url(admin_url)
    urls = {
        n: url.set(database=db).render_as_string(hide_password=False) for n, db in names.items()
    }
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{names["base"]}"'))

        def generate() -> None:
            engine = sa.create_engine(urls["base"])
            fill = [s.format(people=people) for s in PG_FILL]
            with engine.begin() as conn:
                conn.execute(sa.text("SET LOCAL maintenance_work_mem = '256MB'"))
                for stmt in _schema(inline=False) + fill + INDEXES + _add_foreign_keys():
                    conn.execute(sa.text(stmt))
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(sa.text("VACUUM ANALYZE"))
            engine.dispose()

        generate_s, _ = _timed(generate)
        before = _state(urls["base"])
        with admin.connect() as conn:
            for n in ("raw", "skydd"):
                conn.execute(sa.text(f'CREATE DATABASE "{names[n]}" TEMPLATE "{names["base"]}"'))
        (folder / "pg").mkdir()
        (folder / "pg" / "cli").mkdir()
        return _compare("PostgreSQL", version, generate_s, before, urls, folder / "pg")
    finally:
        with admin.connect() as conn:
            for db in names.values():
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{db}"'))
        admin.dispose()


# -- report ---------------------------------------------------------------------------------


def _machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"`nproc` {os.cpu_count()}; {cpu}; Python {platform.python_version()}; "
        f"SQLAlchemy {sa.__version__}; load average {load} at the end"
    )


def report(results: list[Result], skipped: list[str], people: int, markdown: bool) -> str:
    today = subprocess.run(["date", "-I"], capture_output=True, text=True).stdout.strip()
    lines = []
    if markdown:
        command = "`.venv/bin/python bench/retention.py " + " ".join(sys.argv[1:]) + "`"
        lines += [
            f"- **Command**: {command.replace(' `', '`')}",
            f"- **Machine**: {_machine()}",
            f"- **Date**: {today}",
            "",
        ]
    for r in results:
        total = sum(r.rows_before.values())
        gone = sum(r.deleted.values())
        lines += [
            f"**{r.backend} {r.version}**: {people:,} people, {total:,} rows "
            f"({total - r.rows_before['contacts']:,} dependent), "
            f"generated in {r.generate_s:.0f} s; "
            f"{gone:,} rows deleted ({gone / total:.0%}): "
            + ", ".join(f"{t} {n:,}" for t, n in r.deleted.items()),
            "",
            "| | wall s | × raw |",
            "|---|---:|---:|",
            f"| hand-written DELETE, children first, one transaction | {r.raw_s:.1f} | 1.00 |",
            f"| `retention.run` as the CLI runs it ({r.batches} batches) | {r.skydd_s:.1f} "
            f"| {r.skydd_s / r.raw_s:.2f} |",
        ]
        lines += ["", f"Overhead: {r.overhead:+.0%} (goal: under +50 %).", ""]
    lines += [f"Skipped: {s}" for s in skipped]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument(
        "--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    )
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    os.environ.pop("SKYDD_DATABASE_URL", None)
    results: list[Result] = []
    skipped: list[str] = []
    with tempfile.TemporaryDirectory(prefix="skydd-bench-") as tmp:
        folder = Path(tmp)
        os.environ["XDG_STATE_HOME"] = str(folder / "state")
        (folder / "sqlite").mkdir()
        results.append(bench_sqlite(args.people, folder / "sqlite"))
        print(report(results[-1:], [], args.people, False), file=sys.stderr, flush=True)
        if not args.no_postgres:
            found = bench_postgres(args.people, args.postgres, folder)
            if isinstance(found, str):
                skipped.append(found)
            else:
                results.append(found)
    print(report(results, skipped, args.people, args.markdown))


if __name__ == "__main__":
    main()
