"""What the Art. 30 records, the registers and the breach register cost.

For each example company: lint (the baseline: `skydd check` runs it on every map),
building the Art. 30 record, writing it as XLSX and HTML, and building both
registers (each runs lint to attach its findings). Best of 7, in process. Then 200
breaches opened and updated one by one in a SQLite store file (each an audit
event, so two fsyncs), and the list with every clock.

    .venv/bin/python bench/records.py
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from skydd.breach import breach_clock, list_breaches, open_breach, update_breach
from skydd.datamap.lint import lint
from skydd.datamap.loader import load_map
from skydd.records import build_ropa, processor_register, transfer_register
from skydd.records.output import to_html, to_xlsx
from skydd.store import open_store

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
DAY = date(2026, 11, 22)


def best_ms(func: Callable[[], object], n: int = 7) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def documents() -> None:
    print(
        "| company | lint (baseline) ms | ROPA build ms | ROPA xlsx ms | ROPA html ms "
        "| both registers ms |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for company in ("acte", "advansor", "astrak", "axsensor", "entrack"):
        m = load_map(EXAMPLES / company / "privacy.yaml").datamap
        book = build_ropa(m, lang="sv", today=DAY)
        figures = [
            best_ms(lambda: lint(m, today=DAY)),  # noqa: B023 - called in this iteration
            best_ms(lambda: build_ropa(m, lang="sv", today=DAY)),  # noqa: B023
            best_ms(lambda: to_xlsx(book)),  # noqa: B023
            best_ms(lambda: to_html(book)),  # noqa: B023
            best_ms(lambda: (processor_register(m, today=DAY), transfer_register(m, today=DAY))),  # noqa: B023
        ]
        print(f"| {company} | " + " | ".join(f"{f:.1f}" for f in figures) + " |")


def breaches(n: int = 200) -> None:
    with tempfile.TemporaryDirectory() as tmp, open_store(f"sqlite:///{tmp}/store.db") as st:
        aware = datetime(2026, 3, 27, 9, tzinfo=UTC)
        start = time.perf_counter()
        ids = [open_breach(st, title=f"b{i}", aware_at=aware).breach_id for i in range(n)]
        opened = (time.perf_counter() - start) / n * 1000
        start = time.perf_counter()
        for breach_id in ids:
            update_breach(st, breach_id, {"nature": "x", "notify_authority": True})
        updated = (time.perf_counter() - start) / n * 1000
        start = time.perf_counter()
        zone, now = ZoneInfo("Europe/Stockholm"), datetime.now(UTC)
        clocks = [breach_clock(b, now, zone) for b in list_breaches(st)]
        listed = (time.perf_counter() - start) * 1000
    print(
        f"\nbreach open {opened:.1f} ms and update {updated:.1f} ms each; "
        f"list with {len(clocks)} clocks {listed:.1f} ms"
    )


if __name__ == "__main__":
    documents()
    breaches()
