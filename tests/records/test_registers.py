"""The processor and transfer registers (PRC-1 to PRC-3) and their lint rules."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from skydd.cli import app
from skydd.datamap.lint import lint
from skydd.datamap.loader import LoadedMap
from skydd.datamap.models import DataMap, ProcessorActivity, Text, Transfer
from skydd.records import processor_register, processors, transfer_register, transfers

COMPANIES = ("acte", "advansor", "astrak", "axsensor", "entrack")
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

runner = CliRunner()
DAY = date(2026, 11, 22)


def _recipient(m: DataMap, key: str, **changes: object) -> DataMap:
    recipients = dict(m.recipients)
    recipients[key] = recipients[key].model_copy(update=changes)
    return m.model_copy(update={"recipients": recipients})


def _codes(m: DataMap, today: date = DAY) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for f in lint(m, today=today):
        found.setdefault(f.code, []).append(".".join(map(str, f.path)))
    return found


@pytest.mark.parametrize("company", COMPANIES)
def test_every_processor_is_registered(examples: dict[str, LoadedMap], company: str) -> None:
    m = examples[company].datamap
    entries = processors(m, DAY)
    assert [e.key for e in entries] == [
        k for k, r in m.recipients.items() if r.kind in ("processor", "sub_processor")
    ]
    for e in entries:
        assert e.dpa_reference and e.review_date and e.country, e.key
        assert not e.review_overdue and not e.findings, (e.key, e.findings)
    book = processor_register(m, lang="en", today=DAY)
    assert not book.missing()
    assert len(book.sheets[0].rows) == len(entries)


def test_hosted_categories_come_from_the_systems(examples: dict[str, LoadedMap]) -> None:
    azure = next(e for e in processors(examples["axsensor"].datamap, DAY) if e.key == "azure")
    assert set(azure.hosted) == {"erp", "cloud", "crm", "support", "web"}
    assert "user.authorization.credentials" in azure.hosted["cloud"]
    assert "customer_contact" in azure.subjects and "cloud_user" in azure.subjects


def test_a_passed_review_date_is_found(examples: dict[str, LoadedMap]) -> None:
    m = examples["axsensor"].datamap
    later = date(2027, 2, 15)  # the day after Azure's review date
    azure = next(e for e in processors(m, later) if e.key == "azure")
    assert azure.review_overdue
    assert any(f.startswith("SKD204:") for f in azure.findings)
    assert "recipients.azure" in _codes(m, later)["SKD204"]
    assert "SKD204" not in _codes(m, DAY)
    sheet = processor_register(m, lang="en", today=later).sheets[0]
    row = {c.key: cell.text for c, cell in zip(sheet.columns, sheet.rows[0], strict=True)}
    assert row["review"] == "overdue since 14 February 2027"
    assert row["status"].startswith("SKD204")


def test_a_dpf_check_older_than_a_year_is_found(examples: dict[str, LoadedMap]) -> None:
    m = examples["axsensor"].datamap
    entry = next(e for e in transfers(m, date(2027, 10, 16)) if e.key == "mailchimp")
    assert entry.mechanism == "dpf" and entry.next_check == date(2027, 10, 15)
    assert entry.check_overdue and any(f.startswith("SKD203:") for f in entry.findings)
    fresh = next(e for e in transfers(m, date(2027, 10, 15)) if e.key == "mailchimp")
    assert not fresh.check_overdue


@pytest.mark.parametrize("company", COMPANIES)
def test_every_transfer_has_its_mechanism(examples: dict[str, LoadedMap], company: str) -> None:
    m = examples[company].datamap
    entries = transfers(m, DAY)
    assert entries, company
    for e in entries:
        assert e.mechanism, e.key
        if e.mechanism == "scc":
            assert e.scc_module in (1, 2, 3, 4) and e.tia
        if e.mechanism == "dpf":
            assert e.country == "US" and e.certification_checked
    assert not transfer_register(m, lang="sv", today=DAY).missing()


def test_transfer_register_wording(examples: dict[str, LoadedMap]) -> None:
    m = examples["advansor"].datamap
    rows = transfer_register(m, lang="en", today=DAY).sheets[0].rows
    texts = {row[0].text: [c.text for c in row] for row in rows}
    group = next(v for k, v in texts.items() if "US" in k or "Inc" in k or "subsidiar" in k.lower())
    assert any("SCC 2021/914, module 1 (controller to controller)" in t for t in group)
    gb = next(v for v in texts.values() if "United Kingdom" in v[2])
    assert gb[3].startswith("United Kingdom (Implementing Decision (EU) 2021/1772)")


def test_new_lint_rules() -> None:
    from skydd.datamap.loader import load_map

    m = load_map(EXAMPLES / "axsensor" / "privacy.yaml").datamap
    assert not {"SKD209", "SKD210", "SKD211", "SKD212", "SKD213"} & set(_codes(m))
    bad = _recipient(m, "payments", review_date=None)
    assert _codes(bad)["SKD209"] == ["recipients.payments"]
    bad = _recipient(m, "distributor_uk", transfer=Transfer(mechanism="dpf"))
    assert _codes(bad)["SKD210"] == ["recipients.distributor_uk"]
    future = Transfer(mechanism="dpf", certification_checked=date(2026, 12, 1))
    assert "SKD211" in _codes(_recipient(m, "mailchimp", transfer=future))
    old = Transfer(mechanism="dpf", certification_checked=date(2023, 1, 1))
    assert "SKD211" in _codes(_recipient(m, "mailchimp", transfer=old))
    no_tia = Transfer(mechanism="scc", scc_module=3)
    assert _codes(_recipient(m, "microsoft_us", transfer=no_tia))["SKD212"] == [
        "recipients.microsoft_us"
    ]
    activity = ProcessorActivity(
        labels=Text(en="x"),
        controllers=Text(en="y"),
        processing=Text(en="z"),
        systems=["nowhere"],
        sub_processors=["nobody"],
        categories=["user.nonsense"],
        controller_register="cloud.nope",
    )
    odd = m.model_copy(update={"processing_for_others": {"x": activity}})
    assert sorted(_codes(odd)["SKD213"]) == [
        "processing_for_others.x.categories.0",
        "processing_for_others.x.controller_register",
        "processing_for_others.x.sub_processors.0",
        "processing_for_others.x.systems.0",
    ]


def test_register_cli_json_and_xlsx(tmp_path: Path) -> None:
    axsensor = str(EXAMPLES / "axsensor" / "privacy.yaml")
    result = runner.invoke(
        app, ["register", "processors", "-m", axsensor, "-f", "json", "--as-of", "2027-02-15"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["register"] == "processors" and data["as_of"] == "2027-02-15"
    azure = next(e for e in data["entries"] if e["key"] == "azure")
    assert azure["review_overdue"] is True and azure["review_date"] == "2027-02-14"
    out = tmp_path / "transfers.xlsx"
    result = runner.invoke(
        app, ["register", "transfers", "-m", axsensor, "-f", "xlsx", "-o", str(out), "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))
    assert wb.sheetnames == ["Transfers", "Missing"]
    assert wb["Transfers"].max_row == 4
    result = runner.invoke(app, ["register", "transfers", "-m", axsensor, "-f", "csv"])
    assert result.exit_code == 0 and result.stdout.startswith("Mottagare,Roll,Land")
    result = runner.invoke(app, ["register", "transfers", "-m", axsensor, "-f", "pdf"])
    assert result.exit_code == 2 and "unknown format 'pdf'" in result.output
    assert "Traceback" not in result.output


def test_a_uk_controller_sees_the_eea_as_adequate(examples: dict[str, LoadedMap]) -> None:
    entries = {e.key: e for e in transfers(examples["astrak"].datamap, DAY)}
    assert entries["eu_subsidiaries"].adequacy == "UK adequacy regulations (EEA)"
    assert entries["eu_subsidiaries"].third_countries == ["FR", "DE", "NL", "SE"]
    assert entries["mailchimp"].adequacy is None and entries["mailchimp"].mechanism == "uk_addendum"
