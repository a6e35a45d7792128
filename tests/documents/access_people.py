"""People to write a registerutdrag for: Anna of the small test company, and a person
with rows in every table of an example company.

Reports are built straight from a data map and rows (`build_report` is pure), so these
tests need no database; tests/requests covers finding the rows.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from skydd.datamap.loader import load_map
from skydd.datamap.models import Column, DataMap
from skydd.documents.access_report import build_report

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "tests" / "datamap" / "maps" / "small.yaml"
EXAMPLES = ROOT / "examples"
AS_OF = date(2026, 3, 5)

# Anna of tests/requests/conftest.py: her contact row, two invoices, her employer.
ANNA_ROWS = {
    "crm.contacts": [
        {
            "id": 1,
            "email": "anna.svensson@example.se",
            "phone": "070-123 45 67",
            "company_id": 1,
            "manager_id": None,
            "last_contact": "2025-05-01",
        },
    ],
    "erp.invoices": [
        {"id": 10, "contact_id": 1, "amount": 1200, "fiscal_year_end": "2024-12-31"},
        {"id": 11, "contact_id": 1, "amount": 900, "fiscal_year_end": "2025-12-31"},
    ],
}
ANNA_SHARED = {"crm.companies": [{"id": 1, "name": "Exempel Verkstad AB"}]}

Report = dict[str, Any]


def load(name: str) -> DataMap:
    path = SMALL if name == "small" else EXAMPLES / name / "privacy.yaml"
    return load_map(path, check_references=False).datamap


def value(name: str, column: Column, i: int) -> Any:
    """A plausible value of the column's type, different for each row."""
    if column.category.endswith("email"):
        return "anna.berg@example.se"
    if "phone" in column.category:
        return "+46 70 123 45 67"
    kind = column.type
    if kind == "integer":
        return 100 + i
    if kind == "numeric":
        return Decimal("1234.50") + i
    if kind == "boolean":
        return i % 2 == 0
    if kind == "date":
        return date(2025, 1, 15) + timedelta(days=31 * i)
    if kind == "timestamp":
        return datetime(2025, 1, 15, 9, 30) + timedelta(days=31 * i)
    return f"{name.replace('_', ' ')} {i + 1}"


def person(m: DataMap, per_table: int = 2) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
    """Rows in every table of the map: shared tables one row, the others `per_table`."""
    rows: dict[str, list[Any]] = {}
    shared: dict[str, list[Any]] = {}
    for system, name, table in m.tables():
        n = 1 if table.shared else per_table
        target = shared if table.shared else rows
        target[f"{system}.{name}"] = [
            {c: value(c, col, i) for c, col in table.columns.items()} for i in range(n)
        ]
    return rows, shared


def report_for(
    m: DataMap, rows: dict[str, Any], shared: dict[str, Any], lang: str, **extra: Any
) -> Report:
    return build_report(
        m,
        rows,
        shared,
        lang=lang,
        request_id="R-0a1b2c3d4e5f",
        as_of=AS_OF,
        identity_kinds=["email"],
        ambiguous=extra.get("ambiguous", []),
    )
