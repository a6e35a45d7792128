"""How long one access request takes on a 1,000,000-person demo company on SQLite.

Builds (once, cached under --dir) the `axsensor` demo with `build_demo`: six
SQLite files, identity and reference columns indexed. Then, for the same
random people (by email, sampled from the largest email table), it times:

- the request through the Python API, from the identity to `data.json` (plus
  the CSVs and the HTML that `access()` writes with them; no PDF), with the
  audit log off, with the store opened per request (what a CLI call does),
  and with an open store passed in (what a service does);
- its parts: the search, building the report, writing the files, opening
  the store, appending the audit event;
- raw SELECTs with `sqlite3` for the same person: the same by-email lookups
  (the same stored forms in `IN (…)`) and the same reference joins, with
  no identity harvesting and no ambiguity checks. The ratio request / raw
  is printed; the run also says for how many people raw found the same rows.

    .venv/bin/python bench/access.py [--dir /tmp/skydd-bench] [--people 1000000]
        [--requests 200] [--profile] [--markdown]

Nothing is written into the repository; the demo stays in --dir for the next run.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import random
import shutil
import sqlite3
import statistics
import subprocess
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from skydd.datamap.loader import LoadedMap, load_map
from skydd.documents.access_report import build_report
from skydd.documents.writers import write_access
from skydd.execution.finder import Finder
from skydd.execution.variants import stored_variants
from skydd.planning.graph import DataGraph, Node, build_graph
from skydd.requests.access import _searching, access, close_connections
from skydd.store import open_store
from skydd.store.events import RequestRecorded

Row = dict[str, Any]


# -- the demo ---------------------------------------------------------------------------
def demo(directory: Path, company: str, people: int) -> Path:
    """The demo's privacy.yaml, built on the first run and reused afterwards."""
    target = directory / f"{company}-{people}"
    facts = target / "demo-facts.json"
    if facts.is_file() and "building" not in json.loads(facts.read_text(encoding="utf-8")):
        return target / "privacy.yaml"
    from skydd.demo import build_demo

    print(f"building the {company} demo with {people:,} people in {target} (once) …")
    started = time.perf_counter()
    result = build_demo(company, target, people=people, force=True)
    print(f"  {result.total_rows:,} rows in {time.perf_counter() - started:.0f} s")
    return result.map_path


def sqlite_path(loaded: LoadedMap, system: str) -> Path:
    url = loaded.urls[system]
    return Path(url.split("///", 1)[1])


def sample_people(loaded: LoadedMap, graph: DataGraph, n: int, seed: int) -> list[str]:
    """Emails of random people, from the biggest table that holds emails."""
    best: tuple[int, Node, str] | None = None
    for node, column in graph.identity_tables("email"):
        with sqlite3.connect(sqlite_path(loaded, node.system)) as conn:
            rows = conn.execute(f'SELECT max(rowid) FROM "{node.table}"').fetchone()[0] or 0
        conn.close()
        if best is None or rows > best[0]:
            best = (rows, node, column)
    assert best is not None, "the map has no email column"
    size, node, column = best
    rng = random.Random(seed)
    emails: dict[str, None] = {}
    with sqlite3.connect(sqlite_path(loaded, node.system)) as conn:
        while len(emails) < n:
            rowid = rng.randint(1, size)
            row = conn.execute(
                f'SELECT "{column}" FROM "{node.table}" WHERE rowid = ?', (rowid,)
            ).fetchone()
            if row and row[0]:
                emails[row[0]] = None
    conn.close()
    print(f"sampled {n} people from {node.key} ({size:,} rows)")
    return list(emails)


# -- the raw baseline -------------------------------------------------------------------
class Raw:
    """The same lookups by hand with sqlite3: emails by their stored forms, then joins."""

    def __init__(self, loaded: LoadedMap, graph: DataGraph) -> None:
        self.graph = graph
        self.conns = {s: sqlite3.connect(sqlite_path(loaded, s)) for s in loaded.datamap.systems}
        self.sql: dict[tuple[str, str, int], str] = {}

    def close(self) -> None:
        for conn in self.conns.values():
            conn.close()

    def select(self, node: Node, column: str, values: list[Any]) -> list[Row]:
        values = list(dict.fromkeys(v for v in values if v is not None))
        if not values:
            return []
        key = (node.key, column, len(values))
        sql = self.sql.get(key)
        if sql is None:
            marks = ", ".join("?" * len(values))
            sql = f'SELECT * FROM "{node.table}" WHERE "{column}" IN ({marks})'
            self.sql[key] = sql
        cursor = self.conns[node.system].execute(sql, values)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]

    def find(self, email: str) -> dict[str, dict[Any, Row]]:
        found: dict[str, dict[Any, Row]] = defaultdict(dict)
        shared: dict[str, dict[Any, Row]] = defaultdict(dict)
        variants = list(stored_variants("email", email))
        frontier: list[tuple[Node, Row]] = []
        for node, column in self.graph.identity_tables("email"):
            if not node.shared:
                frontier += self._add(node, self.select(node, column, variants), found, shared)
        while frontier:
            grouped: dict[str, list[Row]] = defaultdict(list)
            for node, row in frontier:
                grouped[node.key].append(row)
            frontier = []
            for key, rows in grouped.items():
                for edge in self.graph.incoming.get(key, []):
                    if not edge.other_person:
                        child = self.graph.nodes[edge.child]
                        got = self.select(
                            child, edge.child_columns[0], [r[edge.parent_columns[0]] for r in rows]
                        )
                        frontier += self._add(child, got, found, shared)
                for edge in self.graph.outgoing.get(key, []):
                    if not edge.other_person:
                        parent = self.graph.nodes[edge.parent]
                        got = self.select(
                            parent, edge.parent_columns[0], [r[edge.child_columns[0]] for r in rows]
                        )
                        bucket = shared if edge.shared else found
                        frontier += self._add(parent, got, bucket, shared)
        return found

    @staticmethod
    def _add(
        node: Node,
        rows: list[Row],
        bucket: dict[str, dict[Any, Row]],
        shared: dict[str, dict[Any, Row]],
    ) -> list[tuple[Node, Row]]:
        new = []
        target = shared if node.shared else bucket
        for row in rows:
            pk = tuple(row[c] for c in node.primary_key)
            if pk in target[node.key]:
                continue
            target[node.key][pk] = row
            if target is not shared:
                new.append((node, row))
        return new


# -- timing -----------------------------------------------------------------------------
class Timings:
    """Per line: the times, and raw's times measured right after each, for the same person.

    Interleaving keeps the ratio honest on a shared machine: raw and Skydd see the
    same load and the same warm pages.
    """

    def __init__(self, people: list[str], raw: Raw) -> None:
        self.people = people
        self.raw = raw
        self.lines: dict[str, tuple[list[float], list[float]]] = {}

    def time(
        self, label: str, fn: Callable[[int, str], Any], after: Callable[[], None] | None = None
    ) -> None:
        times: list[float] = []
        raws: list[float] = []
        for i, email in enumerate(self.people):
            started = time.perf_counter()
            fn(i, email)
            times.append(time.perf_counter() - started)
            started = time.perf_counter()
            self.raw.find(email)
            raws.append(time.perf_counter() - started)
        if after:
            after()
        self.lines[label] = (times, raws)
        med, _, _, ratio = self.stats(label)
        print(f"  {label:<52} median {med:7.2f} ms  {ratio:6.1f} × raw")

    def stats(self, label: str) -> tuple[float, float, float, float]:
        """Median, p90 and mean in ms, and the ratio of medians to raw's."""
        times, raws = self.lines[label]
        ordered = sorted(times)
        p90 = ordered[max(0, int(len(ordered) * 0.9) - 1)]
        ratio = statistics.median(times) / statistics.median(raws)
        return (statistics.median(times) * 1e3, p90 * 1e3, statistics.mean(times) * 1e3, ratio)

    @property
    def raw_median(self) -> float:
        return statistics.median([t for _, raws in self.lines.values() for t in raws]) * 1e3


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"`nproc` {os.cpu_count()}; {cpu}; Python {platform.python_version()}; "
        f"SQLite {sqlite3.sqlite_version}; load average {load:.1f} at the start"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "skydd-bench")
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="where the reports are written (default: a folder in --dir)",
    )
    parser.add_argument("--company", default="axsensor")
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", action="store_true", help="print where the time goes")
    parser.add_argument("--markdown", action="store_true", help="print a RESULTS.md section")
    args = parser.parse_args()
    load = machine()

    map_path = demo(args.dir, args.company, args.people)
    loaded = load_map(map_path)
    graph = build_graph(loaded.datamap)
    people = sample_people(loaded, graph, args.requests, args.seed)
    (args.out or args.dir).mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="skydd-bench-out-", dir=args.out or args.dir))
    store_url = f"sqlite:///{work / 'store.db'}"
    counts: dict[str, dict[str, int]] = {}
    raw = Raw(loaded, graph)
    timings = Timings(people, raw)

    def out(mode: str, i: int) -> Path:
        return work / mode / str(i)

    def clean(mode: str) -> Callable[[], None]:
        return lambda: shutil.rmtree(work / mode, ignore_errors=True)

    print("warming up (reflection, compiled SQL, templates, the pages of these people) …")
    for i, email in enumerate(people):
        access(loaded, {"email": email}, out=out("warm", i), pdf=False, record=False)
        raw.find(email)
    clean("warm")()

    print(f"timing {len(people)} requests per line, each followed by raw for the same person:")

    def request_off(i: int, email: str) -> None:
        result = access(loaded, {"email": email}, out=out("off", i), pdf=False, record=False)
        counts[email] = result.counts

    timings.time("request → data.json, audit off", request_off, clean("off"))
    timings.time(
        "request → report in memory (out=None), audit off",
        lambda i, e: access(loaded, {"email": e}, pdf=False, record=False),
    )
    with open_store(store_url) as store:
        timings.time(
            "request → data.json, audit on (open Store passed)",
            lambda i, e: access(loaded, {"email": e}, out=out("open", i), pdf=False, store=store),
            clean("open"),
        )
    timings.time(
        "request → data.json, audit on (store opened per request)",
        lambda i, e: access(loaded, {"email": e}, out=out("url", i), pdf=False, store=store_url),
        clean("url"),
    )

    # The parts, on the same people.
    found_by: dict[str, Any] = {}
    reports: dict[str, Any] = {}
    with _searching(loaded, loaded) as finder:
        assert isinstance(finder, Finder)

        def search(i: int, email: str) -> None:
            found_by[email] = finder.find({("email", email.casefold())})

        timings.time("  search (Finder.find)", search)

    def report(i: int, email: str) -> None:
        found = found_by[email]
        reports[email] = build_report(
            loaded.datamap,
            {k: list(v.values()) for k, v in found.rows.items()},
            {k: list(v.values()) for k, v in found.shared.items()},
            lang="sv",
            request_id="R-bench",
            as_of=date.today(),
            identity_kinds=["email"],
            ambiguous=[],
        )

    timings.time("  build the report", report)
    timings.time(
        "  write data.json, CSVs, HTML",
        lambda i, e: write_access(reports[e], out("parts", i), pdf=False),
        clean("parts"),
    )

    def store_open(i: int, email: str) -> None:
        with open_store(store_url):
            pass

    timings.time("  open the store (open_store)", store_open)
    with open_store(store_url) as store:
        timings.time(
            "  append the audit event",
            lambda i, e: store.audit.append(
                RequestRecorded(
                    request_id=f"R-bench{i}",
                    request_type="access",
                    identity_kinds=["email"],
                    systems_searched=list(loaded.datamap.systems),
                    counts=counts[e],
                    status="done",
                ),
                actor="bench",
            ),
        )
    same = sum(
        {k: len(v) for k, v in raw.find(e).items() if v} == dict(counts[e].items()) for e in people
    )
    queries = [found_by[e].queries for e in people]
    rows = [sum(counts[e].values()) for e in people]

    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for i, email in enumerate(people):
            access(loaded, {"email": email}, out=out("prof", i), pdf=False, record=False)
        profiler.disable()
        clean("prof")()
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(30)
        print(text.getvalue())

    raw.close()
    close_connections(loaded)
    shutil.rmtree(work, ignore_errors=True)

    print()
    print(
        f"raw SELECTs with sqlite3 (same lookups by email, same joins): median "
        f"{timings.raw_median:.2f} ms over every line"
    )
    print(
        f"rows per person: median {statistics.median(rows):.0f}, max {max(rows)}; "
        f"queries per search: median {statistics.median(queries):.0f}"
    )
    print(f"raw found the same rows as Skydd for {same} of {len(people)} people")
    if args.markdown:
        print_markdown(args, load, timings, same, rows, queries)


def print_markdown(
    args: argparse.Namespace,
    load: str,
    timings: Timings,
    same: int,
    rows: list[int],
    queries: list[int],
) -> None:
    git = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    out = f" --out {args.out}" if args.out else ""
    print()
    print(f"## Access request on a {args.people:,}-person demo (SQLite)")
    print()
    print(
        f"- **Command**: `.venv/bin/python bench/access.py --dir {args.dir}{out} "
        f"--people {args.people} --requests {args.requests} --markdown`"
    )
    print(f"- **Machine**: {load}")
    print(f"- **Date**: {date.today().isoformat()} (commit {git} plus the working tree)")
    print(
        f"- **Data**: `build_demo('{args.company}', people={args.people:,})`; "
        f"{len(timings.people)} people sampled by email; rows per person median "
        f"{statistics.median(rows):.0f}, max {max(rows)}; queries per search median "
        f"{statistics.median(queries):.0f}; raw found exactly Skydd's rows for {same} of "
        f"{len(timings.people)}"
    )
    print()
    print("| step | median ms | p90 ms | mean ms | × raw (same person, right after) |")
    print("|---|---:|---:|---:|---:|")
    for label in timings.lines:
        med, p90, mean, ratio = timings.stats(label)
        print(f"| {label.strip()} | {med:.2f} | {p90:.2f} | {mean:.2f} | {ratio:.1f} |")
    print(f"| raw SELECTs with sqlite3 (all lines) | {timings.raw_median:.2f} | | | 1.0 |")


if __name__ == "__main__":
    main()
