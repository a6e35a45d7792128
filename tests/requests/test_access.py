"""Access requests on SQLite: the person's rows, shared rows, other formats, ambiguity."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skydd.cli import app
from skydd.errors import SkyddError
from skydd.requests.access import access


def test_finds_person_across_systems_and_formats(small_map: Path, tmp_path: Path) -> None:
    result = access(small_map, [("phone", "+46701234567")], out=tmp_path / "out", pdf=False)
    assert result.counts == {"crm.contacts": 1, "erp.invoices": 2}
    rows = result.report["tables"][0]["rows"]
    assert rows[0]["email"] == "anna.svensson@example.se"
    shared = {s["key"]: s["count"] for s in result.report["shared"]}
    assert shared == {"crm.companies": 1}


def test_manager_is_not_followed(small_map: Path) -> None:
    # Bo's manager is Anna: her row must not appear in Bo's report.
    result = access(small_map, {"email": "BO.BERG@example.se"}, record=False)
    assert result.counts == {"crm.contacts": 1, "erp.invoices": 1}
    emails = [r["email"] for r in result.report["tables"][0]["rows"]]
    assert emails == ["bo.berg@example.se"]


def test_email_in_other_case_matches(small_map: Path) -> None:
    result = access(small_map, {"email": "cecilia.dahl@example.se"}, record=False)
    assert result.counts["crm.contacts"] == 1


def test_shared_phone_is_ambiguous_not_merged(small_map: Path) -> None:
    # Cecilia and Dan share a phone number stored in two formats.
    result = access(small_map, {"email": "dan@example.se", "phone": "070-999 88 77"}, record=False)
    assert result.counts == {"crm.contacts": 1}
    assert result.report["tables"][0]["rows"][0]["email"] == "dan@example.se"
    assert result.ambiguous


def test_unknown_person_finds_nothing(small_map: Path, tmp_path: Path) -> None:
    result = access(small_map, {"email": "nobody@example.se"}, out=tmp_path / "o", pdf=False)
    assert not result.found and result.counts == {}
    assert (tmp_path / "o" / "registerutdrag.html").exists()


def test_report_files(small_map: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    access(small_map, {"email": "anna.svensson@example.se"}, out=out, lang="en", pdf=False)
    data = json.loads((out / "data.json").read_text())
    assert data["data"]["crm.contacts"]["columns"]["email"]["category"] == "user.contact.email"
    assert (out / "crm.contacts.csv").read_text().startswith("id,email,phone")
    html = (out / "registerutdrag.html").read_text()
    for needle in (
        "Bookkeeping",
        "Mailchimp",
        "Integritetsskyddsmyndigheten",
        "legal obligation",
        "7 years",
    ):
        assert needle in html


def test_bad_identity_kind_is_clear(small_map: Path) -> None:
    with pytest.raises(SkyddError, match="unknown identity kind 'shoe'"):
        access(small_map, {"shoe": "42"})


def test_cli_json_contract(small_map: Path, tmp_path: Path) -> None:
    res = CliRunner().invoke(
        app,
        [
            "request",
            "access",
            "--map",
            str(small_map),
            "--identity",
            "email=anna.svensson@example.se",
            "--out",
            str(tmp_path / "o"),
            "--format",
            "json",
            "--no-pdf",
        ],
    )
    assert res.exit_code == 0, res.output
    body = json.loads(res.stdout)
    assert set(body) >= {"request_id", "found", "counts", "out"}
    assert body["counts"] == {"crm.contacts": 1, "erp.invoices": 2}


def test_cli_malformed_personnummer(small_map: Path, tmp_path: Path) -> None:
    res = CliRunner().invoke(
        app,
        [
            "request",
            "access",
            "--map",
            str(small_map),
            "--identity",
            "personnummer=19121212-1213",
            "--out",
            str(tmp_path / "o"),
        ],
    )
    assert res.exit_code == 2
    assert "Traceback" not in res.output
    assert "personnummer" in res.output
