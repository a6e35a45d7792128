"""`skydd scan`: read every column of every system the map names, detect, compare.

Tables are taken from the databases themselves, not only from the map, so a table or
column the map does not declare is scanned too: that is where undeclared personal data
hides. Values are held only while their column is scanned; what leaves this module is
counts and masked samples.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from skydd.datamap.loader import LoadedMap
from skydd.datamap.models import Table
from skydd.datamap.validate import taxonomy_for
from skydd.errors import SkyddError
from skydd.execution.systems import Systems
from skydd.identity import mask
from skydd.scan import sampling
from skydd.scan.compare import ColumnScan, Finding, findings_for, sort_key
from skydd.scan.engine import Engine, default_engine

DEFAULT_SAMPLE = 1000
SAMPLES_KEPT = 3
"""Masked examples kept per column and detector."""
_CACHE_LIMIT = 20_000
_SMALL_INT = 100_000  # integers below this cannot be any identifier the scanner knows

Progress = Callable[[str, int, int], None]


@dataclass
class ScanReport:
    """One scan: what was read, and the findings in order of severity."""

    run_id: str
    map_hash: str
    mode: str
    sample_size: int | None
    started_at: str
    finished_at: str = ""
    seconds: float = 0.0
    tables: int = 0
    columns: int = 0
    values: int = 0
    sampling: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    @property
    def critical(self) -> bool:
        return any(f.severity == "critical" for f in self.findings)

    def as_dict(self) -> dict[str, Any]:
        per_second = self.values / self.seconds if self.seconds > 0 else 0.0
        return {
            "run_id": self.run_id,
            "mode": self.mode,
            "sample": self.sample_size,
            "findings": [f.as_dict() for f in self.findings],
            "stats": {
                "tables": self.tables,
                "columns": self.columns,
                "values": self.values,
                "seconds": round(self.seconds, 3),
                # One process on one core: the rate is per core.
                "values_per_second_per_core": round(per_second),
            },
            "sampling": self.sampling,
        }


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


class _ColumnScanner:
    """Runs the engine over one column's values, counting values (not spans) per detector."""

    def __init__(self, engine: Engine, col: ColumnScan) -> None:
        self.engine = engine
        self.col = col
        self.cache: dict[str, tuple[tuple[str, str], ...]] = {}

    def feed(self, value: object) -> None:
        if value is None or isinstance(value, bool):
            return
        if isinstance(value, int):
            if -_SMALL_INT < value < _SMALL_INT:
                self.col.sampled += 1
                return
            text = str(value)
        elif isinstance(value, str):
            text = value
        else:
            return
        self.col.sampled += 1
        found = self.cache.get(text)
        if found is None:
            matches = self.engine.detect_value(text, hints=self.col.hints)
            found = tuple((m.detector, text[m.start : m.end]) for m in matches)
            if len(self.cache) < _CACHE_LIMIT:
                self.cache[text] = found
        seen: set[str] = set()
        for detector, span in found:
            if detector in seen:
                continue
            seen.add(detector)
            self.col.matches[detector] = self.col.matches.get(detector, 0) + 1
            kept = self.col.samples.setdefault(detector, [])
            if len(kept) < SAMPLES_KEPT:
                masked = mask(span)
                if masked not in kept:
                    kept.append(masked)


def _lineage(taxonomy: Any, category: str | None) -> tuple[str, ...]:
    """The category's ancestors, nearest first."""
    out: list[str] = []
    current = taxonomy.get(category) if category else None
    while current is not None and current.parent and current.parent not in out:
        out.append(current.parent)
        current = taxonomy.get(current.parent)
    return tuple(out)


def _column_scans(
    engine: Engine,
    loaded: LoadedMap,
    system: str,
    table: sa.Table,
    declared: Table | None,
) -> list[ColumnScan]:
    taxonomy = taxonomy_for(loaded.datamap)
    out = []
    for column in table.columns:
        if not sampling.scannable(column):
            continue
        decl = declared.columns.get(column.name) if declared is not None else None
        category = decl.category if decl is not None and decl.category != "TODO" else None
        personal = category is None or taxonomy.is_personal(category)
        out.append(
            ColumnScan(
                system,
                str(table.name),
                str(column.name),
                category,
                personal,
                _lineage(taxonomy, category),
                bool(decl and decl.free_text),
                engine.hints_for(column.name),
            )
        )
    return out


def _rows(
    conn: sa.Connection,
    table: sa.Table,
    columns: list[str],
    sample: int | None,
    rng: random.Random,
    report: ScanReport,
    key: str,
) -> Iterable[list[tuple[Any, ...]]]:
    if sample is None:
        report.sampling[key] = "full"
        return sampling.all_rows(conn, table, columns)
    rows, how = sampling.sample_rows(conn, table, columns, sample, rng)
    report.sampling[key] = how
    return [rows]


def _scan_table(
    run: _Run, system: str, conn: sa.Connection, table: sa.Table, declared: Table | None
) -> list[Finding]:
    cols = _column_scans(run.engine, run.loaded, system, table, declared)
    if not cols:
        return []
    scanners = [_ColumnScanner(run.engine, c) for c in cols]
    key = f"{system}.{table.name}"
    names = [c.column for c in cols]
    for batch in _rows(conn, table, names, run.sample, run.rng, run.report, key):
        for row in batch:
            for scanner, value in zip(scanners, row, strict=True):
                scanner.feed(value)
    run.report.columns += len(cols)
    run.report.values += sum(c.sampled for c in cols)
    found: list[Finding] = []
    for col in cols:
        found.extend(findings_for(col, run.detectors, run.never))
    return found


@dataclass
class _Run:
    loaded: LoadedMap
    engine: Engine
    sample: int | None
    rng: random.Random
    report: ScanReport
    never: tuple[str, ...]

    @property
    def detectors(self) -> dict[str, Any]:
        return {d.name: d for d in self.engine.detectors}


def _scan_system(run: _Run, systems: Systems, system: str, progress: Progress | None) -> None:
    connector = systems.connector(system)
    declared_tables = run.loaded.datamap.systems[system].tables
    with systems.open(system) as conn:
        names = sa.inspect(conn).get_table_names(schema=connector.schema)
    for i, name in enumerate(sorted(names)):
        if progress:
            progress(system, i, len(names))
        if name.startswith("alembic_") or name.startswith("sqlite_"):
            continue
        table = connector.table(name)
        with systems.open(system) as conn:
            run.report.findings.extend(
                _scan_table(run, system, conn, table, declared_tables.get(name))
            )
        run.report.tables += 1
    if progress:
        progress(system, len(names), len(names))


def scan_map(
    loaded: LoadedMap,
    *,
    sample: int | None = DEFAULT_SAMPLE,
    seed: int | None = None,
    progress: Progress | None = None,
    engine: Engine | None = None,
) -> ScanReport:
    """Scan every system of the map; `sample=None` reads every row."""
    if sample is not None and sample < 1:
        raise SkyddError(f"a sample of {sample} values is not possible", hint="use 1 or more")
    report = ScanReport(
        run_id="S-" + uuid.uuid4().hex[:12],
        map_hash=loaded.sha256,
        mode="sample" if sample is not None else "full",
        sample_size=sample,
        started_at=_now(),
    )
    run = _Run(
        loaded,
        engine or default_engine(),
        sample,
        random.Random(seed),
        report,
        tuple(loaded.datamap.policy.never_stored),
    )
    began = time.perf_counter()
    with Systems(loaded) as systems:
        systems.ping(list(loaded.datamap.systems))
        for system in loaded.datamap.systems:
            _scan_system(run, systems, system, progress)
    report.seconds = time.perf_counter() - began
    report.finished_at = _now()
    report.findings.sort(key=sort_key)
    return report
