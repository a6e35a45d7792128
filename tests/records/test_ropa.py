"""The Art. 30 records (ROPA-1, ROPA-2): every field filled from the map or flagged."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from skydd.datamap.loader import LoadedMap
from skydd.datamap.models import DataMap
from skydd.records import build_ropa, render_book
from skydd.records.output import MISSING_FILL, to_csv, to_html, to_xlsx
from skydd.records.ropa import CONTROLLER_COLUMNS, PROCESSOR_COLUMNS

COMPANIES = ("acte", "advansor", "astrak", "axsensor", "entrack")

DAY = date(2026, 11, 22)
ROPA_1 = {k for k, _ in CONTROLLER_COLUMNS}
# ROPA-1 (a)–(g) each have a column: (a) controller, dpo, joint; (b) purpose; (c) subjects and
# data; (d) recipients; (e) transfers; (f) retention; (g) security.
ROPA_1_ITEMS = {
    "controller",
    "dpo",
    "joint",
    "purpose",
    "subjects",
    "data",
    "recipients",
    "transfers",
    "retention",
    "security",
}


def _without(m: DataMap, **changes: object) -> DataMap:
    return m.model_copy(update={"controller": m.controller.model_copy(update=changes)})


def test_every_ropa1_item_has_a_column() -> None:
    assert ROPA_1_ITEMS <= ROPA_1


@pytest.mark.parametrize("company", COMPANIES)
@pytest.mark.parametrize("lang", ["sv", "en", "da"])
def test_every_cell_is_filled_or_flagged(
    examples: dict[str, LoadedMap], company: str, lang: str
) -> None:
    m = examples[company].datamap
    book = build_ropa(m, lang=lang, today=DAY)
    sheet = book.sheets[0]
    assert [row[0].text.split("\n")[0] for row in sheet.rows] == [
        p.labels.get(lang) or name for name, p in m.purposes.items()
    ]
    missing_word = {"sv": "SAKNAS", "en": "MISSING", "da": "MANGLER"}[lang]
    for row in sheet.rows:
        for col, cell in zip(sheet.columns, row, strict=True):
            assert cell.text.strip(), (company, row[0].text, col.key)
            if cell.missing:
                assert cell.text.startswith(missing_word) and cell.hint
            else:
                assert missing_word not in cell.text
    listed = {(r, c.key) for _, r, c, _ in book.missing()}
    flagged = {
        (row[0].text, col.key)
        for row in sheet.rows
        for col, cell in zip(sheet.columns, row, strict=True)
        if cell.missing
    }
    assert flagged <= listed


def test_a_gap_in_the_map_is_flagged_not_blank(examples: dict[str, LoadedMap]) -> None:
    m = _without(examples["acte"].datamap, security_measures=None, dpo=None, privacy_contact=None)
    book = build_ropa(m, lang="en", today=DAY)
    missing = {(c.key, cell.missing) for _, _, c, cell in book.missing()}
    assert ("security", "no description of security measures") in missing
    assert ("dpo", "neither a DPO nor a privacy contact") in missing
    rows = book.sheets[0].rows
    assert all(
        row[[c.key for c in book.sheets[0].columns].index("security")].missing for row in rows
    )


def test_a_purpose_without_a_basis_or_rule_is_flagged(examples: dict[str, LoadedMap]) -> None:
    m = examples["axsensor"].datamap
    purposes = dict(m.purposes)
    purposes["crm"] = purposes["crm"].model_copy(update={"legal_basis": None})
    rules = {k: v for k, v in m.retention.rules.items() if k != "crm_contacts"}
    m = m.model_copy(
        update={"purposes": purposes, "retention": m.retention.model_copy(update={"rules": rules})}
    )
    book = build_ropa(m, lang="en", today=DAY)
    why = {
        c.key: cell for _, row, c, cell in book.missing() if row.startswith("Customer relations")
    }
    assert why["legal_basis"].hint == "purposes.crm.legal_basis"
    assert "crm.contacts" in (why["retention"].missing or "")


def test_axsensor_has_the_processor_record(examples: dict[str, LoadedMap]) -> None:
    book = build_ropa(examples["axsensor"].datamap, lang="en", today=DAY)
    assert len(book.sheets) == 2
    sheet = book.sheets[1]
    assert [c.key for c in sheet.columns] == [k for k, _ in PROCESSOR_COLUMNS]
    row = {c.key: cell.text for c, cell in zip(sheet.columns, sheet.rows[0], strict=True)}
    assert row["processor"].startswith("AXsensor AB")
    assert "Each customer company" in row["controllers"] and "cloud.accounts" in row["controllers"]
    assert "readings from the customer's sensors" in row["processing"]
    assert "Microsoft Corporation – United States: SCC 2021/914, module 3" in row["transfers"]
    assert "role-based access" in row["security"]
    assert not sheet.missing()
    others = [c for c in COMPANIES if c != "axsensor"]
    assert others  # the other four process only for themselves: one record
    for company in others:
        assert len(build_ropa(examples[company].datamap).sheets) == 1


def test_transfers_name_their_safeguards(examples: dict[str, LoadedMap]) -> None:
    book = build_ropa(examples["acte"].datamap, lang="sv", today=DAY)
    sheet = book.sheets[0]
    col = [c.key for c in sheet.columns].index("transfers")
    texts = [row[col].text for row in sheet.rows]
    assert any(
        "EU-US Data Privacy Framework, certifiering kontrollerad 15 oktober 2026" in t
        for t in texts
    )
    assert any(t == "Inga överföringar till tredjeland" for t in texts)


def test_xlsx_layout(examples: dict[str, LoadedMap]) -> None:
    m = _without(examples["axsensor"].datamap, security_measures=None)
    book = build_ropa(m, lang="sv", today=DAY)
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(book)))
    assert wb.sheetnames == ["Art. 30.1 Ansvarig", "Art. 30.2 Biträde", "Saknas"]
    ws = wb["Art. 30.1 Ansvarig"]
    assert ws.freeze_panes == "B2"
    assert [c.value for c in ws[1]] == [c.header for c in book.sheets[0].columns]
    assert ws.column_dimensions["A"].width == CONTROLLER_COLUMNS[0][1]
    assert ws.max_row == 1 + len(m.purposes)
    # Rows are as tall as their longest cell: the security text wraps to several lines.
    assert ws.row_dimensions[2].height >= 5 * 12
    security = [c.key for c in book.sheets[0].columns].index("security") + 1
    cell = ws.cell(row=2, column=security)
    assert cell.value.startswith("SAKNAS") and cell.alignment.wrap_text
    assert cell.fill.fgColor.rgb.endswith(MISSING_FILL)
    ok = ws.cell(row=2, column=1)
    assert not ok.fill.fgColor.rgb.endswith(MISSING_FILL)
    missing = wb["Saknas"]
    assert missing.max_row - 1 == len(book.missing()) >= len(m.purposes) + 1
    assert (
        missing.cell(row=2, column=4).value
        == "controller.security_measures: describe the Art. 32 measures"
    )


def test_csv_and_html(examples: dict[str, LoadedMap]) -> None:
    m = _without(examples["entrack"].datamap, security_measures=None)
    book = build_ropa(m, lang="en", today=DAY)
    rows = list(csv.DictReader(io.StringIO(to_csv(book.sheets[0]))))
    assert len(rows) == len(m.purposes)
    assert rows[0]["Purpose (b)"].startswith(next(iter(m.purposes.values())).labels.en or "")
    assert all(
        r["Technical and organisational security measures (g)"].startswith("MISSING") for r in rows
    )
    html = to_html(book)
    assert html.count('<td class="missing">') == len(book.missing())
    assert "<h2>Missing</h2>" in html and "Time limits for erasure (f)" in html
    assert "<script" not in html
    assert render_book(book, "csv").decode() == to_csv(book.sheets[0])


def test_html_escapes_map_text(examples: dict[str, LoadedMap]) -> None:
    m = examples["acte"].datamap
    m = m.model_copy(update={"controller": m.controller.model_copy(update={"name": "<b>A&B</b>"})})
    html = to_html(build_ropa(m, lang="en", today=DAY))
    assert "<b>A&B</b>" not in html and "&lt;b&gt;A&amp;B&lt;/b&gt;" in html


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_the_xlsx_converts_to_pdf_with_libreoffice(
    examples: dict[str, LoadedMap], tmp_path: Path
) -> None:
    """Slow-ish (one LibreOffice start for all five workbooks, about 3 s): kept on purpose."""
    files = []
    for company in COMPANIES:
        file = tmp_path / f"{company}.xlsx"
        file.write_bytes(to_xlsx(build_ropa(examples[company].datamap, lang="sv", today=DAY)))
        files.append(file)
    outdir = tmp_path / "pdf"
    result = subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for company in COMPANIES:
        pdf = (outdir / f"{company}.pdf").read_bytes()
        assert pdf.startswith(b"%PDF")
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        assert pages >= 2, (company, pages)  # the record and the Missing sheet at least


@pytest.mark.parametrize("company", COMPANIES)
def test_every_recipient_appears_in_the_record(
    examples: dict[str, LoadedMap], company: str
) -> None:
    """A recipient declared for a purpose, or hosting its tables, is named on its row."""
    m = examples[company].datamap
    sheet = build_ropa(m, lang="en", today=DAY).sheets[0]
    col = [c.key for c in sheet.columns].index("recipients")
    named = "\n".join(row[col].text for row in sheet.rows)
    hosts = {s.processor for s in m.systems.values() if s.processor}
    for key, rec in m.recipients.items():
        if rec.purposes or key in hosts:
            assert f"{rec.name} (" in named, (company, key)
