"""What a column holds against what the map declares it holds.

Severities: `critical` a category the map says is never stored (AS-2: card numbers);
`high` personal data in a column or table the map does not declare, or a national
identity number in free text; `medium` a declared category that does not match what
most values are; `low` a few stray values of another kind, or a column whose name
alone suggests personal data; `info` what is allowed but worth knowing (contact
details in a column declared as free text, organisationsnummer).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from skydd.scan.detector import Detector

SEVERITIES = ("critical", "high", "medium", "low", "info")
MOSTLY = 0.5
"""A declared column is a mismatch when at least this share of its values is another kind."""
_NATIONAL_ID = "user.government_id"


@dataclass
class ColumnScan:
    """What scanning one column found: per detector, how many values matched."""

    system: str
    table: str
    column: str
    declared: str | None
    declared_personal: bool = True
    lineage: tuple[str, ...] = ()
    """The declared category's ancestors in the map's taxonomy (custom categories too)."""
    free_text: bool = False
    hints: frozenset[str] = frozenset()
    sampled: int = 0
    matches: dict[str, int] = field(default_factory=dict)
    samples: dict[str, list[str]] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.system}.{self.table}"


@dataclass(frozen=True)
class Finding:
    """One difference between what is stored and what is declared."""

    table: str
    column: str
    detector: str
    matches: int
    sampled: int
    declared: str | None
    severity: str
    kind: str
    category: str
    samples: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "column": self.column,
            "detector": self.detector,
            "matches": self.matches,
            "sampled": self.sampled,
            "declared": self.declared,
            "severity": self.severity,
            "kind": self.kind,
            "category": self.category,
            "samples": list(self.samples),
        }


def _under(category: str, parent: str) -> bool:
    return category == parent or category.startswith(parent + ".")


def compatible(found: str, declared: str, lineage: Sequence[str] = ()) -> bool:
    """The detector's category and the declared one name the same thing, one more exactly
    (`lineage`: the declared category's ancestors, for a map's own categories)."""
    return _under(found, declared) or _under(declared, found) or found in lineage


def _judge(col: ColumnScan, d: Detector, count: int, never: Sequence[str]) -> tuple[str, str]:
    """(kind, severity) for `count` values of detector `d` in `col`; kind "" means fine."""
    if any(_under(d.category, f) for f in never):
        return "forbidden", "critical"
    if col.declared is None:
        return "undeclared", "high" if d.personal else "info"
    if not col.declared_personal:
        if not d.personal:
            return "", ""
        # Declared as not personal: most values personal is undeclared personal data;
        # a few may be chance (a product named like a person).
        return ("undeclared", "high") if count >= MOSTLY * col.sampled else ("stray", "low")
    if any(compatible(c, col.declared, col.lineage) for c in (d.category, *d.also)):
        return "", ""
    if col.free_text:
        national = _under(d.category, _NATIONAL_ID)
        return "free_text", "high" if national else "info"
    if not d.personal:
        return "", ""
    if count >= MOSTLY * max(col.sampled, 1):
        return "mismatch", "medium"
    return "stray", "low"


def findings_for(
    col: ColumnScan, detectors: Mapping[str, Detector], never: Sequence[str]
) -> list[Finding]:
    """The findings of one scanned column (none when it holds what it declares)."""
    out: list[Finding] = []
    for name, count in sorted(col.matches.items()):
        d = detectors.get(name)
        if d is None or count <= 0:
            continue
        kind, severity = _judge(col, d, count, never)
        if kind:
            out.append(
                Finding(
                    col.key,
                    col.column,
                    name,
                    count,
                    col.sampled,
                    col.declared,
                    severity,
                    kind,
                    d.category,
                    tuple(col.samples.get(name, ())),
                )
            )
    if not out and col.declared is None:
        for name in sorted(col.hints):
            d = detectors.get(name)
            if d is not None and d.personal and not col.matches.get(name):
                out.append(
                    Finding(
                        col.key, col.column, name, 0, col.sampled, None, "low", "name_hint",
                        d.category,
                    )
                )  # fmt: skip
                break
    return out


def sort_key(f: Finding) -> tuple[int, str, str, str]:
    return (SEVERITIES.index(f.severity), f.table, f.column, f.detector)
