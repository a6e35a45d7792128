"""`skydd check`: validation and lint in one report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from skydd.datamap.lint import Finding, lint
from skydd.datamap.loader import LoadedMap, load_map, resolve_map_path
from skydd.errors import MapError, MapIssue


@dataclass
class CheckReport:
    """What `skydd check` found: invalid-map issues, or lint findings on a valid map."""

    file: Path
    issues: list[MapIssue] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    loaded: LoadedMap | None = None

    @property
    def exit_code(self) -> int:
        if self.issues:
            return 2
        return 1 if any(f.level == "error" for f in self.findings) else 0

    def summary(self) -> dict[str, int]:
        counts = {"error": 0, "warning": 0, "info": 0}
        for f in self.findings:
            counts[f.level] += 1
        m = self.loaded.datamap if self.loaded else None
        tables = m.tables() if m else []
        counts.update(
            systems=len(m.systems) if m else 0,
            tables=len(tables),
            columns=sum(len(t.columns) for _, _, t in tables),
            purposes=len(m.purposes) if m else 0,
        )
        return counts

    def as_dict(self) -> dict[str, object]:
        return {
            "file": str(self.file),
            "valid": not self.issues,
            "exit_code": self.exit_code,
            "sha256": self.loaded.sha256 if self.loaded else None,
            "errors": [i.as_dict() for i in self.issues],
            "findings": [f.as_dict() for f in self.findings],
            "summary": self.summary(),
        }


def run_check(path: str | Path | None = None, *, today: date | None = None) -> CheckReport:
    """Load and lint a map; never raises for a bad map, it reports it."""
    file = resolve_map_path(path)
    try:
        loaded = load_map(file)
    except MapError as exc:
        return CheckReport(file, issues=exc.issues)
    return CheckReport(
        file, findings=lint(loaded.datamap, loaded.source, today=today), loaded=loaded
    )
