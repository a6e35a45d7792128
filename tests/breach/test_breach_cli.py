"""`skydd breach` from the command line: open → update → close, the clock in JSON."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from skydd.cli import app
from skydd.store import open_store

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

runner = CliRunner()
AX = str(EXAMPLES / "axsensor" / "privacy.yaml")


def _run(store_url: str, *args: str) -> str:
    result = runner.invoke(app, [*args, "-m", AX, "--store", store_url])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result.stdout


def test_round_trip_with_audit_events(store_url: str) -> None:
    opened = json.loads(
        _run(
            store_url,
            "breach",
            "open",
            "--title",
            "Stolen laptop",
            "--aware",
            "2026-03-27 10:00",
            "--occurred",
            "2026-03-26 18:00",
            "--category",
            "user.contact.email",
            "--category",
            "user.name",
            "--subjects",
            "customer_contact",
            "--people",
            "120",
            "--records",
            "300",
            "--nature",
            "A laptop with a CRM export was stolen.",
            "-f",
            "json",
        )
    )
    assert opened["breach_id"] == "BR-2026-001"
    assert opened["aware_at"] == "2026-03-27T09:00:00+00:00"  # 10:00 in Stockholm (CET)
    assert opened["clock"]["deadline_local"] == "2026-03-30T11:00:00+02:00"  # CEST by then
    listed = json.loads(
        _run(store_url, "breach", "list", "-f", "json", "--as-of", "2026-03-29 10:00")
    )
    # 10:00 on Sunday is already summer time: 25 clock hours are left, not 24.
    assert listed[0]["clock"]["hours_left"] == 25.0 and not listed[0]["clock"]["overdue"]
    overdue = json.loads(
        _run(store_url, "breach", "list", "-f", "json", "--as-of", "2026-03-30 12:30")
    )
    assert overdue[0]["clock"]["overdue"] and overdue[0]["clock"]["hours_left"] == -1.5
    _run(
        store_url,
        "breach",
        "update",
        "BR-2026-001",
        "--risk",
        "high",
        "--notify-authority",
        "yes",
        "--authority-notified",
        "2026-03-29 15:00",
        "--authority-reference",
        "IMY-2026-123",
        "--notify-people",
        "yes",
        "--people-notified",
        "2026-03-30 09:00",
        "--consequences",
        "Phishing",
        "--measures-taken",
        "Accounts locked",
    )
    text = _run(store_url, "breach", "close", "BR-2026-001")
    assert "BR-2026-001  closed  Stolen laptop" in text
    assert "stopped: notified in time" in text
    shown = json.loads(_run(store_url, "breach", "show", "BR-2026-001", "-f", "json"))
    assert shown["status"] == "closed" and shown["authority_reference"] == "IMY-2026-123"
    assert shown["clock"]["notified_late"] is False
    with open_store(store_url) as st:
        kinds = [r.kind for r in st.audit.records() if r.kind.startswith("breach-")]
    assert kinds == ["breach-opened", "breach-updated", "breach-closed"]


def test_user_errors_are_messages(store_url: str) -> None:
    def fails(*args: str) -> str:
        result = runner.invoke(app, [*args, "-m", AX, "--store", store_url])
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
        return result.output

    assert "unknown data category 'user.contact.emial'" in fails(
        "breach",
        "open",
        "--title",
        "x",
        "--aware",
        "2026-03-27 10:00",
        "--category",
        "user.contact.emial",
    )
    assert "did you mean user.contact.email" in fails(
        "breach",
        "open",
        "--title",
        "x",
        "--aware",
        "2026-03-27 10:00",
        "--category",
        "user.contact.emial",
    )
    assert "no data subjects 'staff'" in fails(
        "breach", "open", "--title", "x", "--aware", "2026-03-27 10:00", "--subjects", "staff"
    )
    assert "needs --title and --aware" in fails("breach", "open", "--title", "x")
    assert "is not a time" in fails("breach", "open", "--title", "x", "--aware", "yesterday")
    assert "no breach 'BR-2026-009'" in fails("breach", "close", "BR-2026-009")
    _run(store_url, "breach", "open", "--title", "x", "--aware", "2026-03-27 10:00")
    assert "use yes or no" in fails("breach", "update", "BR-2026-001", "--notify-people", "maybe")
    assert "reason recorded" in fails("breach", "update", "BR-2026-001", "--notify-authority", "no")


def test_list_is_empty_then_shows_the_clock(store_url: str) -> None:
    assert "no breaches recorded" in _run(store_url, "breach", "list")
    assert json.loads(_run(store_url, "breach", "list", "-f", "json")) == []
    _run(store_url, "breach", "open", "--title", "Lost USB", "--aware", "2026-11-20 16:00")
    text = _run(store_url, "breach", "list", "--as-of", "2026-11-23 15:00")
    assert "BR-2026-001  open    1.0 hours left" in text and "Lost USB" in text


def test_the_register_as_a_document(store_url: str, tmp_path: Path) -> None:
    _run(
        store_url,
        "breach",
        "open",
        "--title",
        "Misdirected email",
        "--aware",
        "2026-03-02 09:00",
        "--subjects",
        "customer_contact",
        "--people",
        "1",
    )
    _run(
        store_url,
        "breach",
        "update",
        "BR-2026-001",
        "--risk",
        "unlikely",
        "--notify-authority",
        "no",
        "--authority-reason",
        "one recipient, deleted unread",
        "--notify-people",
        "no",
        "--people-reason",
        "risk unlikely",
    )
    _run(store_url, "breach", "close", "BR-2026-001")
    _run(
        store_url,
        "breach",
        "open",
        "--title",
        "Ransomware",
        "--aware",
        "2026-03-27 10:00",
        "--risk",
        "high",
    )
    text = _run(
        store_url, "breach", "list", "-f", "csv", "--lang", "en", "--as-of", "2026-03-31 10:00"
    )
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["Id"] for r in rows] == ["BR-2026-001", "BR-2026-002"]
    assert rows[0]["Status"] == "closed" and rows[0]["Risk assessment"] == "risk unlikely"
    assert rows[0]["Report to the authority"] == "no: one recipient, deleted unread"
    assert rows[0]["Telling the data subjects"] == "no: risk unlikely"
    assert rows[0]["Data subjects and data (approximate numbers)"] == (
        "Customer contact person (about 1)"
    )
    assert rows[1]["Report to the authority"] == "OVERDUE; not decided"
    out = tmp_path / "breaches.xlsx"
    _run(store_url, "breach", "list", "-f", "xlsx", "-o", str(out))
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Incidenter"]
    assert wb["Incidenter"].max_row == 3
    html = _run(store_url, "breach", "list", "-f", "html", "--status", "open")
    assert "Register över personuppgiftsincidenter" in html and "Ransomware" in html
    assert "Misdirected email" not in html and "Saknas" not in html
