"""`skydd scan`: the JSON contract, exit codes, masking, the store and --suggest."""

from __future__ import annotations

import json
import logging
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import yaml
from scan_db import CARD, ROWS, sqlite_company
from typer.testing import CliRunner

from skydd.cli import app
from skydd.scan import scan
from skydd.scan.compare import SEVERITIES
from skydd.scan.record import latest
from skydd.store import open_store

KEYS = {"table", "column", "detector", "matches", "sampled", "declared", "severity"}


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("SKYDD_DATABASE_URL", "SKYDD_AUDIT_ANCHOR", "SKYDD_AUDIT_KEY", "SKYDD_MAP"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


@pytest.fixture
def company(tmp_path: Path) -> Path:
    return sqlite_company(tmp_path)


def run(*args: str, code: int) -> Any:
    result = CliRunner().invoke(app, ["scan", *args])
    assert result.exit_code == code, result.output
    return result


def by_place(report: dict[str, Any]) -> dict[tuple[str, str, str], dict[str, Any]]:
    return {(f["table"], f["column"], f["detector"]): f for f in report["findings"]}


def test_json_contract_and_the_findings_planted(company: Path) -> None:
    result = run("--map", str(company), "--full", "--format", "json", code=1)
    report = json.loads(result.stdout)
    assert set(report) >= {"findings", "stats"}
    for f in report["findings"]:
        assert set(f) >= KEYS
        assert f["severity"] in SEVERITIES
        assert f["table"].count(".") == 1
    found = by_place(report)
    card = found[("shop.customers", "legacy_card", "card_number")]
    assert (card["severity"], card["kind"], card["matches"], card["declared"]) == (
        "critical", "forbidden", ROWS // 10, None,
    )  # fmt: skip
    assert card["sampled"] == ROWS // 10  # NULLs are not values
    ref = found[("shop.customers", "ref", "personnummer")]
    assert (ref["severity"], ref["kind"], ref["declared"]) == (
        "medium",
        "mismatch",
        "user.unique_id",
    )
    note = found[("shop.customers", "notes", "personnummer")]
    assert (note["severity"], note["kind"], note["matches"]) == ("high", "free_text", 1)
    assert found[("shop.customers", "notes", "phone")]["severity"] == "info"
    old = found[("shop.old_contacts", "contact", "email")]
    assert (old["severity"], old["kind"], old["matches"]) == ("high", "undeclared", ROWS)
    assert not [f for f in report["findings"] if f["column"] == "email"]
    assert report["stats"]["values_per_second_per_core"] > 0


def test_exit_0_without_critical_findings(company: Path) -> None:
    with sqlite3.connect(company.parent / "shop.db") as conn:
        conn.execute("update customers set legacy_card = null")
    report = json.loads(run("--map", str(company), "--full", "--format", "json", code=0).stdout)
    card = by_place(report)[("shop.customers", "legacy_card", "card_number")]
    # Only the column's name is left to go on: a low finding, no values.
    assert (card["severity"], card["kind"], card["matches"]) == ("low", "name_hint", 0)


def test_values_are_masked_and_never_logged(
    company: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    texts = [
        run("--map", str(company), "--full", "--format", "json", "--suggest", code=1).stdout,
        run("--map", str(company), "--full", code=1).stdout,
    ]
    secrets = [
        CARD,
        CARD.replace(" ", ""),
        "kund3@example.se",
        "gammal7@example.dk",
        "070-103 45 67",
    ]
    for text in [*texts, caplog.text]:
        for secret in secrets:
            assert secret not in text
    samples = [s for f in json.loads(texts[0])["findings"] for s in f["samples"]]
    assert samples and all("*" in s for s in samples)


def test_each_run_is_recorded_with_counts_only(company: Path, tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'store.db'}"
    report = scan(company, sample=None, store=store)
    with open_store(store) as st:
        saved = latest(st)
        events = [r for r in st.audit.records() if r.kind == "scan-completed"]
    assert saved is not None and saved["run_id"] == report.run_id
    assert saved["critical"] == 1 and len(saved["findings"]) == len(report.findings)
    assert [e.payload["run_id"] for e in events] == [report.run_id]
    payload = json.dumps(events[0].payload)
    assert events[0].payload["severities"]["critical"] == 1
    assert "@" not in payload and "4111" not in payload
    stored = json.dumps(saved["findings"])
    assert CARD not in stored and "kund" not in stored


def test_sample_mode_reads_at_most_the_sample(company: Path) -> None:
    result = CliRunner().invoke(app, ["scan", "--map", str(company), "--sample", "7", "-f", "json"])
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    assert report["sample"] == 7
    assert all(f["sampled"] <= 7 for f in report["findings"])
    assert report["sampling"]["shop.customers"] in ("all", "random", "key-windows")


def test_suggest_prints_a_patch_for_the_map(company: Path) -> None:
    text = run("--map", str(company), "--full", "--suggest", code=1).stdout
    patch = text[text.index("# Suggested") :]
    data = yaml.safe_load(patch)
    columns = data["systems"]["shop"]["tables"]
    assert columns["old_contacts"]["columns"]["contact"] == {"category": "user.contact.email"}
    assert columns["customers"]["columns"]["ref"] == {
        "category": "user.government_id.national_identification_number"
    }
    assert "legacy_card" not in columns["customers"]["columns"]  # forbidden: remove, not declare
    assert "never to be stored" in patch


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--sample", "0"], "greater than or equal to 1"), (["--format", "xml"], "unknown format")],
)
def test_usage_errors(company: Path, args: list[str], message: str) -> None:
    result = run("--map", str(company), *args, code=2)
    assert message in result.output


def test_an_unreachable_system_is_named(tmp_path: Path) -> None:
    path = sqlite_company(tmp_path)
    (tmp_path / "shop.db").unlink()
    result = run("--map", str(path), code=2)
    assert "shop" in result.output and "Traceback" not in result.output


def test_columns_of_types_that_hold_no_identifiers_are_skipped(company: Path) -> None:
    report = scan(company, record=False)
    # customers: id, email, ref, notes, legacy_card (not the date); old_contacts: id, contact
    assert report.columns == 7
