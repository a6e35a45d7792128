"""How long `skydd demo` takes to build each example company's databases.

Issue 3's goal: `skydd demo <company> --people 100000` in under 60 s. Each company is
built with `build_demo` (SQLite, into a temporary folder that is removed afterwards)
and timed wall-clock and in CPU seconds of this process; the phases are timed too:
the population (people and companies), filling the tables, indexes and planting.

    .venv/bin/python bench/demo_build.py [--people 100000] [--company axsensor ...]
        [--seed 7]

It prints a Markdown table for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import skydd.demo.generate as generate_module
from skydd.demo import COMPANIES, build_demo

GOAL_SECONDS = 60.0


def _cpu() -> float:
    return time.process_time()


class Phases:
    """Wall-clock seconds spent in the generator's phases, summed over a build."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def wrap(self, owner: Any, name: str, label: str) -> None:
        original: Callable[..., Any] = getattr(owner, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[label] = self.seconds.get(label, 0.0) + (time.perf_counter() - started)

        setattr(owner, name, timed)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    return f"`nproc` {nproc or os.cpu_count()}; {cpu}; Python {platform.python_version()}{load}"


PHASES = Phases()
PHASES.wrap(generate_module, "build_population", "population")
PHASES.wrap(generate_module._Generator, "fill", "fill")
PHASES.wrap(generate_module._Generator, "index", "indexes")
PHASES.wrap(generate_module, "plant", "planting")


def run(company: str, people: int, seed: int) -> dict[str, Any]:
    PHASES.seconds.clear()
    folder = Path(tempfile.mkdtemp(prefix=f"skydd-bench-{company}-"))
    try:
        wall, cpu = time.perf_counter(), _cpu()
        result = build_demo(company, folder / "demo", people=people, seed=seed)
        wall, cpu = time.perf_counter() - wall, _cpu() - cpu
        size = sum(f.stat().st_size for f in (folder / "demo").glob("*.db"))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return {
        "company": company,
        "tables": len(result.rows),
        "rows": result.total_rows,
        "wall": wall,
        "cpu": cpu,
        "mb": size / 1e6,
        **PHASES.seconds,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--company", action="append", choices=COMPANIES)
    args = parser.parse_args()
    print(f"# {machine()}; {date.today().isoformat()}; --people {args.people}", flush=True)
    header = (
        "| company | tables | rows | wall s | CPU s | population | filling | indexes "
        "| planting | SQLite MB | rows/s |"
    )
    print(header)
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    worst = 0.0
    for company in args.company or COMPANIES:
        r = run(company, args.people, args.seed)
        worst = max(worst, r["wall"])
        print(
            f"| {company} | {r['tables']} | {r['rows']:,} | {r['wall']:.1f} | {r['cpu']:.1f} "
            f"| {r.get('population', 0):.1f} | {r.get('fill', 0):.1f} "
            f"| {r.get('indexes', 0):.1f} | {r.get('planting', 0):.1f} | {r['mb']:.0f} "
            f"| {r['rows'] / r['wall']:,.0f} |",
            flush=True,
        )
    verdict = "met" if worst < GOAL_SECONDS else "NOT met"
    print(f"\nGoal: under {GOAL_SECONDS:.0f} s per company: {verdict} (slowest {worst:.1f} s).")
    return 0 if worst < GOAL_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
