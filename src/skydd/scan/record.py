"""Scan runs in Skydd's store, so that a dashboard can show the latest one.

Only masked samples are stored (see `identity.mask`), never a value in full.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from skydd.store.schema import scan_findings, scan_runs

if TYPE_CHECKING:
    from skydd.scan.runner import ScanReport
    from skydd.store.db import Store


def save(store: Store, report: ScanReport) -> None:
    """Write the run and its findings in one transaction."""
    critical = sum(1 for f in report.findings if f.severity == "critical")
    with store.engine.begin() as conn:
        conn.execute(
            scan_runs.insert().values(
                run_id=report.run_id,
                started_at=report.started_at,
                finished_at=report.finished_at,
                map_hash=report.map_hash,
                mode=report.mode,
                sample_size=report.sample_size,
                tables=report.tables,
                columns=report.columns,
                values_read=report.values,
                millis=int(report.seconds * 1000),
                findings=len(report.findings),
                critical=critical,
            )
        )
        if report.findings:
            conn.execute(
                scan_findings.insert(),
                [
                    {
                        "run_id": report.run_id,
                        "seq": i,
                        "table_key": f.table,
                        "column_name": f.column,
                        "detector": f.detector,
                        "kind": f.kind,
                        "severity": f.severity,
                        "matches": f.matches,
                        "sampled": f.sampled,
                        "declared": f.declared,
                        "samples": json.dumps(list(f.samples), ensure_ascii=False),
                    }
                    for i, f in enumerate(report.findings)
                ],
            )


def latest(store: Store) -> dict[str, Any] | None:
    """The newest run with its findings, as plain data; None before the first scan."""
    with store.engine.connect() as conn:
        run = (
            conn.execute(sa.select(scan_runs).order_by(scan_runs.c.started_at.desc()).limit(1))
            .mappings()
            .first()
        )
        if run is None:
            return None
        rows = conn.execute(
            sa.select(scan_findings)
            .where(scan_findings.c.run_id == run["run_id"])
            .order_by(scan_findings.c.seq)
        ).mappings()
        findings = [
            {
                "table": r["table_key"],
                "column": r["column_name"],
                "detector": r["detector"],
                "matches": r["matches"],
                "sampled": r["sampled"],
                "declared": r["declared"],
                "severity": r["severity"],
                "kind": r["kind"],
                "samples": json.loads(r["samples"]),
            }
            for r in rows
        ]
    return {**dict(run), "findings": findings}
