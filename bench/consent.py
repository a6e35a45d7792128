"""The consent engine alone: durable ledger writes per second, and the decision's latency.

For each store (SQLite in a temporary folder; PostgreSQL with --postgres ADMIN_URL, in a
fresh database dropped afterwards) it times, in one run:

- the banner's write path, ``ConsentBook.record_visitors``, in batches of --batch choices
  (one transaction and one fsync per batch) and one choice per transaction; each choice has
  two purposes (two ledger rows);
- ``GroupWriter`` (what an endpoint uses): --clients threads each submitting a choice and waiting
  for its durable acknowledgement before the next;
- the baseline: the same rows by a raw ``INSERT`` (executemany, one transaction per batch)
  through the plain driver (sqlite3 with WAL and synchronous=FULL, as the store uses;
  psycopg with synchronous_commit on);
- afterwards, that the ledger holds exactly as many events as were acknowledged;
- ``skydd.may`` in-process for people in a ledger of --people persons (each with a consent,
  a channel preference and some restricted or objecting): median and p99 per call, and
  the index's full reload.

    .venv/bin/python -P bench/consent.py [--events 20000] [--batch 100] [--people 20000]
        [--postgres postgresql://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import secrets
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, select, text

from skydd.consent import Choice, ConsentBook, Proof
from skydd.consent.ledger import Batch, event_rows, write
from skydd.datamap.loader import LoadedMap, load_map
from skydd.store import Store, open_store
from skydd.store.schema import consent_events, consent_standing

MAP = """
version: 1
controller: {name: Bench AB, country: SE}
subjects:
  customer: {labels: Kund}
purposes:
  newsletter: {labels: Nyhetsbrev, legal_basis: consent, marketing: true}
  offers: {labels: Erbjudanden, legal_basis: legitimate_interest, marketing: true}
  analytics: {labels: Statistik, legal_basis: consent}
"""


def _choice() -> Choice:
    proof = Proof("banner", "web", language="sv", notice_version="v1", notice_hash="ab" * 32,
                  ip="192.0.2.10")  # fmt: skip
    return Choice(proof, granted=["analytics"], refused=["marketing"])


def engine_writes(book: ConsentBook, events: int, batch: int) -> float:
    choice = _choice()
    started = time.perf_counter()
    for start in range(0, events, batch):
        n = min(batch, events - start)
        book.record_visitors([(f"v-{uuid.uuid4().hex}", choice) for _ in range(n)])
    return events / (time.perf_counter() - started)


def group_writes(book: ConsentBook, events: int, clients: int) -> tuple[float, int]:
    """Many concurrent requests, each waiting for its own durable acknowledgement, through
    the group-committing writer an endpoint uses."""
    import threading

    from skydd.consent.writer import GroupWriter

    writer = GroupWriter(book)
    choice = _choice()
    per_client = events // clients

    def client() -> None:
        for _ in range(per_client):
            writer.record(f"v-{uuid.uuid4().hex}", choice)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    writer.close()
    return per_client * clients / elapsed, per_client * clients


def raw_rows(book: ConsentBook, events: int) -> list[list[dict[str, Any]]]:
    """The rows the engine would write, prepared outside the timing."""
    choice = _choice()
    ip = book.hasher.ip("192.0.2.10")
    out = []
    for _ in range(events):
        subject = book.hasher.identity("visitor", uuid.uuid4().hex)
        out.append(event_rows(subject, "visitor", choice.decisions(), choice.proof, ip)[1])
    return out


def raw_writes(store: Store, rows: list[list[dict[str, Any]]], batch: int) -> float:
    """Plain driver INSERTs of the same rows, one transaction per batch."""
    columns = list(rows[0][0])
    url = store.url
    started = time.perf_counter()
    if url.get_backend_name() == "sqlite":
        import sqlite3

        conn = sqlite3.connect(str(url.database), isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        sql = (f"INSERT INTO consent_events ({', '.join(columns)}) "
               f"VALUES ({', '.join('?' for _ in columns)})")  # fmt: skip
        for start in range(0, len(rows), batch):
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(sql, [tuple(r[c] for c in columns)
                                   for e in rows[start:start + batch] for r in e])  # fmt: skip
            conn.execute("COMMIT")
        conn.close()
    else:
        import psycopg

        plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(plain) as pg:
            sql = (f"INSERT INTO consent_events ({', '.join(columns)}) "
                   f"VALUES ({', '.join('%s' for _ in columns)})")  # fmt: skip
            for start in range(0, len(rows), batch):
                with pg.transaction(), pg.cursor() as cur:
                    chunk = [tuple(r[c] for c in columns) for e in rows[start:start + batch]
                             for r in e]  # fmt: skip
                    cur.executemany(sql, chunk)
    return len(rows) / (time.perf_counter() - started)


def count_events(store: Store) -> int:
    with store.engine.connect() as conn:
        query = select(func.count(func.distinct(consent_events.c.event_id)))
        return int(conn.execute(query).scalar_one())


def fill_people(book: ConsentBook, people: int) -> list[str]:
    """A ledger of ``people`` persons: a consent each, a channel preference, some objections."""
    emails = [f"p{n}@example.se" for n in range(people)]
    proof = Proof("form", "web")
    for start in range(0, people, 2000):
        chunk = emails[start : start + 2000]
        book.record_many([({"email": e}, Choice(proof, ["newsletter"])) for e in chunk])
    batch = Batch()
    now = "2026-11-22T00:00:00.000000+00:00"
    for n, e in enumerate(emails):
        if n % 10 == 0:
            subject = book.hashes({"email": e})[0]
            kind, scope, state = (("channel", "email", "opted_out"), ("restriction", "all", "on"),
                                  ("objection", "purpose:offers", "absolute"))[n % 3]  # fmt: skip
            batch.add(consent_standing, {"event_id": str(uuid.uuid4()), "at": now,
                                         "subject": subject, "kind": kind, "scope": scope,
                                         "state": state})  # fmt: skip
    write(book.store.engine, batch)
    return emails


def decisions(book: ConsentBook, emails: list[str], calls: int) -> tuple[float, float, float]:
    started = time.perf_counter()
    book.index.reload(full=True)
    reload_s = time.perf_counter() - started
    rng = random.Random(7)
    times = []
    purposes = ("newsletter", "offers", "analytics")
    for _ in range(calls):
        who = {"email": rng.choice(emails)}
        purpose = rng.choice(purposes)
        t = time.perf_counter_ns()
        book.may(who, purpose, "email")
        times.append(time.perf_counter_ns() - t)
    times.sort()
    return statistics.median(times) / 1000, times[int(len(times) * 0.99)] / 1000, reload_s


def run(store_url: str, loaded: LoadedMap, args: argparse.Namespace, label: str) -> list[str]:
    lines = []
    with open_store(store_url) as store:
        book = ConsentBook(store, loaded)
        batched = engine_writes(book, args.events, args.batch)
        single = engine_writes(book, max(args.events // 20, 200), 1)
        grouped, written = group_writes(book, args.events, args.clients)
        acknowledged = args.events + written + max(args.events // 20, 200)
        stored = count_events(store)
        rows = raw_rows(book, args.events)
        raw_batched = raw_writes(store, rows, args.batch)
        raw_single = raw_writes(store, rows[: max(args.events // 20, 200)], 1)
        lines.append(f"| {label} | engine, batches of {args.batch} | {batched:,.0f} | "
                     f"raw INSERT {raw_batched:,.0f} | {batched / raw_batched:.2f} |")  # fmt: skip
        lines.append(f"| {label} | GroupWriter, {args.clients} waiting clients | {grouped:,.0f} | "
                     f"raw INSERT {raw_batched:,.0f} | {grouped / raw_batched:.2f} |")  # fmt: skip
        lines.append(f"| {label} | engine, one per transaction | {single:,.0f} | "
                     f"raw INSERT {raw_single:,.0f} | {single / raw_single:.2f} |")  # fmt: skip
        same = "equal" if stored == acknowledged else "DIFFERENT"
        lines.append(f"| {label} | events acknowledged / in the ledger | {acknowledged:,} | "
                     f"{stored:,} | {same} |")  # fmt: skip
        emails = fill_people(book, args.people)
        median, p99, reload_s = decisions(book, emails, args.calls)
        lines.append(f"| {label} | may(): median / p99 µs per call, {args.people:,} people | "
                     f"{median:.1f} | {p99:.1f} | reload {reload_s * 1000:.0f} ms |")  # fmt: skip
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--people", type=int, default=20000)
    parser.add_argument("--calls", type=int, default=50000)
    parser.add_argument("--clients", type=int, default=256, help="threads for GroupWriter")
    parser.add_argument("--postgres", default=None, help="admin URL of a PostgreSQL server")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "privacy.yaml").write_text(MAP, encoding="utf-8")
        os.environ.pop("SKYDD_PSEUDONYM_KEY", None)
        loaded = load_map(folder / "privacy.yaml")
        load = os.getloadavg()[0]
        print(f"# {platform.python_implementation()} {platform.python_version()}, "
              f"load {load:.2f}, {args.events:,} events, batch {args.batch}")  # fmt: skip
        print("| store | what | per second / value | baseline | ratio |")
        print("|---|---|---:|---:|---:|")
        for line in run(f"sqlite:///{folder / 'store.db'}", loaded, args, "SQLite"):
            print(line, flush=True)
        if args.postgres:
            name = f"skydd_bench_{secrets.token_hex(4)}"
            admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            try:
                url = admin.url.set(database=name).render_as_string(hide_password=False)
                for line in run(url, loaded, args, "PostgreSQL"):
                    print(line, flush=True)
            finally:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()


if __name__ == "__main__":
    main()
