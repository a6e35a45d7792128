"""Scanning: find personal data in text and in databases, and compare with the map.

`detect(text)` finds every span a detector recognises (email, phone, personnummer,
samordningsnummer, organisationsnummer, CPR, card numbers, IBAN, bankgiro, plusgiro,
IP and MAC addresses, IMEI, postcodes, street addresses, person names). `scan(map)`
samples every column of every system in the data map and reports where what is
stored differs from what was declared.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from skydd.scan.detector import Detector, Match
from skydd.scan.engine import Engine, default_engine
from skydd.scan.validators import Ctx

if TYPE_CHECKING:
    from skydd.datamap.loader import LoadedMap
    from skydd.scan.runner import ScanReport

__all__ = ["Ctx", "Detector", "Engine", "Match", "detect", "detect_value", "scan"]


def detect(text: str, *, hints: Collection[str] = (), today: date | None = None) -> list[Match]:
    """Every span of `text` that some registered detector finds and validates.

    `hints` names detectors the context suggests (a column called `bankgiro`);
    `today` pins the century of 10-digit personnummer.
    """
    return default_engine().detect(text, hints=hints, today=today)


def detect_value(
    value: str, *, hints: Collection[str] = (), today: date | None = None
) -> list[Match]:
    """Like `detect`, for one stored value of a column whose name gave `hints`."""
    return default_engine().detect_value(value, hints=hints, today=today)


def scan(
    map_: LoadedMap | str | Path | None = None,
    *,
    sample: int | None = 1000,
    store: str | None = None,
    record: bool = True,
    actor: str = "scan",
    seed: int | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> ScanReport:
    """Scan every system of the map (`sample=None`: every row) and compare with the map.

    The run and its findings (masked samples only) are saved in the store, and an audit
    event records the counts, unless `record` is False.
    """
    from skydd.datamap.loader import LoadedMap, load_map
    from skydd.scan.runner import scan_map

    loaded = map_ if isinstance(map_, LoadedMap) else load_map(map_)
    report = scan_map(loaded, sample=sample, seed=seed, progress=progress)
    if record:
        _record(loaded, report, store, actor)
    return report


def _record(loaded: LoadedMap, report: ScanReport, store: str | None, actor: str) -> None:
    from collections import Counter

    from skydd.scan.events import ScanCompleted
    from skydd.scan.record import save
    from skydd.store import open_store

    with open_store(store, default_dir=loaded.directory) as st:
        save(st, report)
        st.audit.append(
            ScanCompleted(
                report.run_id,
                report.map_hash,
                report.mode,
                report.tables,
                report.columns,
                report.values,
                dict(Counter(f.severity for f in report.findings)),
                dict(Counter(f.detector for f in report.findings)),
            ),
            actor=actor,
        )
