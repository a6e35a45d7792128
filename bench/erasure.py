"""How long erasure takes on a 1,000,000-person demo company on SQLite.

Builds (once, cached under --dir) the `axsensor` demo with `build_demo`, then copies
its six SQLite files twice: one copy for Skydd, one for hand-written SQL. Then:

- **one person at a time**: `erase()` through the Python API with an open store
  (what a service does), for --requests people sampled at random, median and p90,
  with where the time goes (from the saga's checkpoints);
- **a batch**: `erase_many()` for --batch other people in one saga;
- **hand-written SQL for the same rows, in the same run**, on the second copy: the
  lookups a developer would write (the email's stored forms in `IN (…)` on every
  email column, then the declared references both ways), and then exactly the
  statements of Skydd's plan for that person (taken from a dry run, untimed): the
  same DELETEs, UPDATEs and flags, one transaction per database, with sqlite3. No
  store, no audit log, no verification, no identity harvesting;
- the thorough verification (whole identity columns read and normalised), timed
  separately for a few people, since it reads every identity column of the company.

Erasure verifies with `verify="indexed"` in the timed runs (the request's own
indexed search again); the figures say what `thorough` costs on top.

    .venv/bin/python bench/erasure.py [--dir /tmp/skydd-bench-erasure] [--people 1000000]
        [--requests 100] [--batch 10000] [--thorough 1] [--demo PATH] [--markdown]

Nothing is written into the repository; the demo stays in --dir for the next run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from skydd.datamap.loader import LoadedMap, load_map
from skydd.execution import saga as sagas
from skydd.execution.erase_sql import CHUNK
from skydd.execution.erasure_run import ErasureJob
from skydd.execution.variants import stored_variants
from skydd.planning.erasure import Op
from skydd.planning.graph import DataGraph, Node, build_graph
from skydd.requests.access import _searching, close_connections, normalise_identities
from skydd.requests.erasure import erase, erase_many
from skydd.retention.anonymise import KEY_ENV, MARK, pseudonym, scrub
from skydd.store import open_store

Row = dict[str, Any]
AS_OF = date(2026, 11, 22)


# -- the demo and its copies ------------------------------------------------------------
def demo(directory: Path, company: str, people: int) -> Path:
    target = directory / f"{company}-{people}"
    facts = target / "demo-facts.json"
    if facts.is_file() and "building" not in json.loads(facts.read_text(encoding="utf-8")):
        return target / "privacy.yaml"
    from skydd.demo import build_demo

    print(f"building the {company} demo with {people:,} people in {target} (once) …")
    started = time.perf_counter()
    result = build_demo(company, target, people=people, force=True, as_of=AS_OF)
    print(f"  {result.total_rows:,} rows in {time.perf_counter() - started:.0f} s")
    return result.map_path


def copy_demo(source: Path, target: Path) -> Path:
    """The map and its SQLite files, copied, with no store."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for item in source.parent.iterdir():
        if item.is_file() and (item.suffix == ".db" or item.name == "privacy.yaml"):
            shutil.copyfile(item, target / item.name)
    return target / "privacy.yaml"


def sqlite_file(loaded: LoadedMap, system: str) -> Path:
    return Path(loaded.urls[system].split("///", 1)[1])


def sample_people(loaded: LoadedMap, n: int, seed: int) -> list[str]:
    """Distinct emails of random contacts."""
    path = sqlite_file(loaded, "crm")
    conn = sqlite3.connect(path)
    try:
        size = conn.execute("SELECT max(rowid) FROM contacts").fetchone()[0]
        rng = random.Random(seed)
        emails: dict[str, None] = {}
        while len(emails) < n:
            row = conn.execute(
                "SELECT email FROM contacts WHERE rowid = ?", (rng.randint(1, size),)
            ).fetchone()
            if row and row[0]:
                emails[row[0]] = None
    finally:
        conn.close()
    return list(emails)


# -- hand-written SQL -------------------------------------------------------------------
class Raw:
    """The lookups and the statements by hand, with sqlite3."""

    def __init__(self, loaded: LoadedMap, graph: DataGraph) -> None:
        self.graph = graph
        self.conns = {
            s: sqlite3.connect(sqlite_file(loaded, s), isolation_level=None)
            for s in loaded.datamap.systems
        }
        self.key = os.environ[KEY_ENV].encode()

    def close(self) -> None:
        for conn in self.conns.values():
            conn.close()

    def select(self, node: Node, column: str, values: list[Any]) -> list[Row]:
        values = list(dict.fromkeys(v for v in values if v is not None))
        rows: list[Row] = []
        for i in range(0, len(values), CHUNK):
            part = values[i : i + CHUNK]
            marks = ", ".join("?" * len(part))
            cur = self.conns[node.system].execute(
                f'SELECT * FROM "{node.table}" WHERE "{column}" IN ({marks})', part
            )
            names = [d[0] for d in cur.description]
            rows += [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
        return rows

    def find(self, emails: list[str]) -> int:
        """Every row reachable from these emails; returns how many."""
        seen: dict[str, set[Any]] = defaultdict(set)
        variants = [v for e in emails for v in stored_variants("email", e.casefold())]
        frontier: list[tuple[Node, Row]] = []
        for node, column in self.graph.identity_tables("email"):
            if not node.shared:
                frontier += self._new(node, self.select(node, column, variants), seen)
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
                        frontier += self._new(child, got, seen)
                for edge in self.graph.outgoing.get(key, []):
                    if not edge.other_person and not edge.shared:
                        parent = self.graph.nodes[edge.parent]
                        got = self.select(
                            parent, edge.parent_columns[0], [r[edge.child_columns[0]] for r in rows]
                        )
                        frontier += self._new(parent, got, seen)
        return sum(len(v) for v in seen.values())

    @staticmethod
    def _new(node: Node, rows: list[Row], seen: dict[str, set[Any]]) -> list[tuple[Node, Row]]:
        out = []
        for row in rows:
            pk = tuple(row[c] for c in node.primary_key)
            if not node.shared and pk not in seen[node.key]:
                seen[node.key].add(pk)
                out.append((node, row))
        return out

    def write(self, steps: list[tuple[str, list[Op]]]) -> None:
        """The plan's statements, one transaction per database."""
        for system, ops in steps:
            conn = self.conns[system]
            conn.execute("BEGIN")
            for op in ops:
                node = self.graph.nodes[op.table]
                pk = node.primary_key[0]
                keys = [k[0] for k in op.keys]
                for i in range(0, len(keys), CHUNK):
                    self._op(conn, node, op, pk, keys[i : i + CHUNK])
            conn.execute("COMMIT")

    def _op(self, conn: sqlite3.Connection, node: Node, op: Op, pk: str, keys: list[Any]) -> None:
        marks = ", ".join("?" * len(keys))
        where = f'"{pk}" IN ({marks})'
        if op.kind == "delete":
            conn.execute(f'DELETE FROM "{node.table}" WHERE {where}', keys)
            return
        columns = dict(op.columns)
        computed = [c for c, m in columns.items() if m in ("hash", "scrub")]
        fixed = {c: (None if m == "null" else 1 if m == "true" else m[6:])
                 for c, m in columns.items() if c not in computed}  # fmt: skip
        if computed:
            names = ", ".join(f'"{c}"' for c in computed)
            sql = f'SELECT "{pk}", {names} FROM "{node.table}" WHERE {where}'
            for key, *values in conn.execute(sql, keys).fetchall():
                new = dict(fixed)
                for c, v in zip(computed, values, strict=True):
                    done = v is None or str(v).startswith(MARK)
                    new[c] = (
                        v if done else pseudonym(v, self.key) if columns[c] == "hash" else scrub(v)
                    )
                sets = ", ".join(f'"{c}" = ?' for c in new)
                conn.execute(
                    f'UPDATE "{node.table}" SET {sets} WHERE "{pk}" = ?', [*new.values(), key]
                )
            return
        sets = ", ".join(f'"{c}" = ?' for c in fixed)
        conn.execute(f'UPDATE "{node.table}" SET {sets} WHERE {where}', [*fixed.values(), *keys])


def planned(loaded: LoadedMap, people: list[str]) -> list[tuple[str, list[Op]]]:
    """Skydd's statements for these people, from a plan that changes nothing (untimed)."""
    with _searching(loaded, loaded) as finder:
        job = ErasureJob(loaded, finder, None, actor="bench", as_of=AS_OF)
        members = [
            job.prepare(f"R-{i}", normalise_identities(loaded, {"email": e}), False)
            for i, e in enumerate(people)
        ]
        return [(s.system, list(s.ops)) for s in job.steps(members)]


# -- timing -----------------------------------------------------------------------------
class Phases:
    """Times between the saga's checkpoints, per request."""

    def __init__(self) -> None:
        self.marks: list[tuple[str, float]] = []
        sagas.HOOKS.append(self.hook)

    def hook(self, name: str) -> None:
        self.marks.append((name, time.perf_counter()))

    def split(self, start: float) -> dict[str, float]:
        at = {n: t for n, t in self.marks}
        out = {
            "find, plan, save the saga": at["saved"] - start,
            "steps: commit each database, then its audit event": at["verifying"] - at["saved"],
            "verify (search again), queue Art. 19 notices, final audit event": at["recorded"]
            - at["verifying"],
            "finish (store the end, drop keys)": at["finished"] - at["recorded"],
        }
        self.marks.clear()
        return out


def ms(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(values) * 1e3, ordered[max(0, int(len(ordered) * 0.9) - 1)] * 1e3


def machine() -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    load = os.getloadavg()[0]
    return (
        f"`nproc` {os.cpu_count()}; {cpu}; Python {platform.python_version()}; "
        f"SQLite {sqlite3.sqlite_version}; load average {load:.1f} at the start"
    )


def main() -> None:  # noqa: C901 - a script: one straight line of measurements
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    default_dir = Path(tempfile.gettempdir()) / "skydd-bench-erasure"
    parser.add_argument("--dir", type=Path, default=default_dir)
    parser.add_argument("--company", default="axsensor")
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--thorough", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--demo", type=Path, help="an existing demo's privacy.yaml to copy instead of building"
    )
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault(KEY_ENV, "bench-pseudonym-key")
    print(machine())

    source = args.demo or demo(args.dir, args.company, args.people)
    skydd_map = copy_demo(source, args.dir / "run-skydd")
    raw_map = copy_demo(source, args.dir / "run-raw")
    loaded = load_map(skydd_map)
    raw_loaded = load_map(raw_map)
    graph = build_graph(loaded.datamap)
    everyone = sample_people(loaded, args.requests + args.batch + args.thorough + 5, args.seed)
    warm, everyone = everyone[:5], everyone[5:]
    single, everyone = everyone[: args.requests], everyone[args.requests :]
    thorough, batch = everyone[: args.thorough], everyone[args.thorough :]
    raw = Raw(raw_loaded, graph)

    with open_store(f"sqlite:///{args.dir / 'run-skydd' / 'store.db'}") as store:
        for email in warm:
            erase(loaded, {"email": email}, store=store, verify="indexed", as_of=AS_OF)
            raw.find([email])
            planned(raw_loaded, [email])

        # -- one person at a time ------------------------------------------------------
        phases = Phases()
        skydd_t: list[float] = []
        raw_t: list[float] = []
        parts: dict[str, list[float]] = defaultdict(list)
        rows: list[int] = []
        for email in single:
            started = time.perf_counter()
            result = erase(loaded, {"email": email}, store=store, verify="indexed", as_of=AS_OF)
            skydd_t.append(time.perf_counter() - started)
            for name, t in phases.split(started).items():
                parts[name].append(t)
            assert result.verified, result.leftovers
            rows.append(sum(result.erased.values()) + sum(result.anonymised.values()))
            # the same rows by hand, on the other copy
            steps = planned(raw_loaded, [email])
            started = time.perf_counter()
            raw.find([email])
            raw.write(steps)
            raw_t.append(time.perf_counter() - started)
        sagas.HOOKS.clear()
        print(f"one person: Skydd median {ms(skydd_t)[0]:.1f} ms (p90 {ms(skydd_t)[1]:.1f}); "
              f"hand-written {ms(raw_t)[0]:.1f} ms; rows changed per person: median "
              f"{statistics.median(rows):.0f}")  # fmt: skip
        for name, values in parts.items():
            print(f"  {name:<55} median {ms(values)[0]:7.2f} ms")

        # -- the thorough verification -------------------------------------------------
        thorough_t: list[float] = []
        for email in thorough:
            started = time.perf_counter()
            result = erase(loaded, {"email": email}, store=store, verify="thorough", as_of=AS_OF)
            thorough_t.append(time.perf_counter() - started)
            assert result.verified, result.leftovers
        if thorough_t:
            print(f"one person, thorough verification: median {ms(thorough_t)[0] / 1e3:.1f} s")

        # -- a batch -------------------------------------------------------------------
        people = [{"email": e} for e in batch]
        batch_phases = Phases()
        started = time.perf_counter()
        result_batch = erase_many(loaded, people, store=store, verify="indexed", as_of=AS_OF)
        batch_t = time.perf_counter() - started
        batch_parts = batch_phases.split(started)
        sagas.HOOKS.clear()
        assert result_batch.verified
        steps = planned(raw_loaded, batch)
        started = time.perf_counter()
        for email in batch:
            raw.find([email])
        raw.write(steps)
        raw_batch_t = time.perf_counter() - started
        batch_rows = sum(
            sum(r.erased.values()) + sum(r.anonymised.values()) for r in result_batch.results
        )
        print(f"batch of {len(batch):,}: Skydd {batch_t:.1f} s, hand-written {raw_batch_t:.1f} s; "
              f"{batch_rows:,} rows changed")  # fmt: skip
        for name, value in batch_parts.items():
            print(f"  {name:<55} {value:7.1f} s")
    raw.close()
    close_connections(loaded)
    close_connections(raw_loaded)

    if args.markdown:
        med, p90 = ms(skydd_t)
        rmed = ms(raw_t)[0]
        print()
        print("| measurement | Skydd | hand-written SQL | ratio |")
        print("|---|---:|---:|---:|")
        print(f"| one person, median of {len(single)} (p90) | {med:.1f} ms ({p90:.1f}) | "
              f"{rmed:.1f} ms | {med / rmed:.1f} |")  # fmt: skip
        for name, values in parts.items():
            print(f"| ↳ {name} | {ms(values)[0]:.1f} ms | | |")
        if thorough_t:
            print(f"| one person, thorough verification, median of {len(thorough)} | "
                  f"{ms(thorough_t)[0] / 1e3:.1f} s | | |")  # fmt: skip
        print(f"| batch of {len(batch):,} people (`erase_many`) | {batch_t:.1f} s | "
              f"{raw_batch_t:.1f} s | {batch_t / raw_batch_t:.1f} |")  # fmt: skip
        for name, value in batch_parts.items():
            print(f"| ↳ {name} | {value:.1f} s | | |")


if __name__ == "__main__":
    main()
