"""Bring existing consent records into the ledger: a CSV exported from a CRM or a form tool.

One row per decision. Columns: one or more identity columns named by their kind (``email``,
``phone``, ``customer_number`` or a kind the map declares), ``purpose``, ``decision``
(granted, refused or withdrawn), ``at`` (when it was given, ISO; UTC unless it says
otherwise), ``method`` and ``channel`` (the proof, LEGAL CON-3), and optionally
``recorded_by``, ``language``, ``notice_version``, ``notice_hash`` and ``reference``.
Rows keep their own times, so the newest by time decides however the file is ordered.
Everything is checked before anything is written; then rows go in batches of 1,000.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from skydd.consent.book import Choice, ConsentBook
from skydd.consent.ledger import DECISIONS, Proof
from skydd.errors import SkyddError
from skydd.identity import BUILTIN_KINDS

_PROOF = {"purpose", "decision", "at", "method", "channel", "recorded_by", "language",
          "notice_version", "notice_hash", "reference"}  # fmt: skip
_REQUIRED = ("purpose", "decision", "at", "method", "channel")
BATCH = 1000


@dataclass(frozen=True)
class ImportResult:
    rows: int
    identities: int
    decisions: dict[str, int]

    def as_json(self) -> dict[str, object]:
        return {"rows": self.rows, "identities": self.identities, "decisions": self.decisions}


def import_csv(book: ConsentBook, path: Path) -> ImportResult:
    """Check every row of ``path``, then record them all (see the module docstring)."""
    items = list(_read(book, path))
    for start in range(0, len(items), BATCH):
        book.record_many(items[start : start + BATCH])
    hashes = {h for ids, _ in items for h in book.person(ids).hashes}
    counts: dict[str, int] = {}
    for _, choice in items:
        for _, decision in choice.decisions():
            counts[decision] = counts.get(decision, 0) + 1
    return ImportResult(len(items), len(hashes), counts)


def _read(book: ConsentBook, path: Path) -> Iterator[tuple[list[tuple[str, str]], Choice]]:
    try:
        fh = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise SkyddError(f"cannot read {path}: {exc.strerror}") from None
    with fh:
        reader = csv.DictReader(fh)
        header = [h.strip() for h in reader.fieldnames or []]
        kinds = set(BUILTIN_KINDS) | set(book.datamap.identities) | {"visitor"}
        identity_columns = [h for h in header if h in kinds]
        unknown = [h for h in header if h not in kinds and h not in _PROOF]
        missing = [c for c in _REQUIRED if c not in header]
        if missing or unknown or not identity_columns:
            raise SkyddError(
                f"{path}: the header does not fit"
                + (f"; missing {', '.join(missing)}" if missing else "")
                + (f"; unknown {', '.join(unknown)}" if unknown else "")
                + ("; no identity column" if not identity_columns else ""),
                hint="columns: identity kinds (email, phone, …), purpose, decision, at, "
                "method, channel, and optionally recorded_by, language, notice_version, "
                "notice_hash, reference",
            )
        for line, raw in enumerate(reader, start=2):
            row = {k.strip(): (v or "").strip() for k, v in raw.items() if k}
            yield _row(book, path, line, row, identity_columns)


def _row(
    book: ConsentBook, path: Path, line: int, row: dict[str, str], identity_columns: list[str]
) -> tuple[list[tuple[str, str]], Choice]:
    where = f"{path}:{line}"
    identities = [(k, row[k]) for k in identity_columns if row.get(k)]
    if not identities:
        raise SkyddError(f"{where}: no identity given", hint="fill at least one identity column")
    if row["decision"] not in DECISIONS:
        raise SkyddError(f"{where}: decision must be granted, refused or withdrawn")
    try:
        at = datetime.fromisoformat(row["at"])
    except ValueError:
        raise SkyddError(f"{where}: 'at' is not a time", hint="write 2026-11-20T14:05") from None
    proof = Proof(
        method=row["method"],
        channel=row["channel"],
        language=row.get("language") or None,
        notice_version=row.get("notice_version") or None,
        notice_hash=row.get("notice_hash") or None,
        recorded_by=row.get("recorded_by") or None,
        at=at if at.tzinfo else at.replace(tzinfo=UTC),
        evidence={"reference": row["reference"]} if row.get("reference") else {},
    )
    try:
        proof.check()
        book.check_purposes([row["purpose"]])
        book.person(identities)
    except SkyddError as exc:
        raise SkyddError(f"{where}: {exc.message}", hint=exc.hint) from None
    return identities, Choice(proof, **{row["decision"]: [row["purpose"]]})
