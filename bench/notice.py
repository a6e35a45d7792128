"""What writing the privacy notice costs, per example company.

For each company: building the registerutdrag's facts for every table (the baseline: the
notice shares them), building the notice's content, rendering Markdown and HTML (best of 7,
in process), the PDF (best of 3, WeasyPrint), and publishing a version to a fresh SQLite
store (three languages rendered and hashed, one insert, one audit event).

    .venv/bin/python bench/notice.py
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from skydd import notice
from skydd.datamap.loader import load_map
from skydd.documents.access_report import _context, table_section
from skydd.notice import render
from skydd.notice.content import build
from skydd.store import open_store

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def best_ms(func: Callable[[], object], n: int = 7) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def _baseline(m: object) -> None:
    ctx = _context(m, "sv")  # type: ignore[arg-type]
    ctx.sections.clear()
    for s, t, _ in ctx.m.tables():
        table_section(ctx, f"{s}.{t}", [])


def main() -> None:
    print(
        "| company | registerutdrag facts (baseline) ms | content ms | md ms | html ms "
        "| pdf ms | publish ms |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for company in ("acte", "advansor", "astrak", "axsensor", "entrack"):
        loaded = load_map(EXAMPLES / company / "privacy.yaml")
        m = loaded.datamap
        content = build(m, "sv")
        content["version"] = None
        with tempfile.TemporaryDirectory() as tmp:
            with open_store(f"sqlite:///{tmp}/store.db") as store:
                start = time.perf_counter()
                notice.publish(loaded, store)
                publish = (time.perf_counter() - start) * 1000
        figures = [
            best_ms(lambda: _baseline(m)),  # noqa: B023 - called in this iteration
            best_ms(lambda: build(m, "sv")),  # noqa: B023
            best_ms(lambda: render.markdown(content)),  # noqa: B023
            best_ms(lambda: render.html(content)),  # noqa: B023
            best_ms(lambda: render.pdf(content), n=3),  # noqa: B023
            publish,
        ]
        print(f"| {company} | " + " | ".join(f"{f:.1f}" for f in figures) + " |")


if __name__ == "__main__":
    main()
