"""Erasure on SQLite: delete, anonymise, hold and keep; verification; receipts; the audit."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from erasure_company import ANNA, build, dump, execute, raw_map

from skydd.errors import SkyddError
from skydd.execution.blocks import blocked
from skydd.requests.erasure import due_blocks, erase, erase_many, release_blocks, render_text
from skydd.store import open_store

TODAY = date(2026, 11, 22)


def _rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _events(directory: Path) -> list[tuple[str, dict[str, Any]]]:
    with open_store(None, default_dir=directory) as st:
        return [(r.kind, r.payload) for r in st.audit.records() if r.kind != "store-initialised"]


@pytest.fixture
def company(tmp_path: Path) -> Path:
    return build(tmp_path)


# -- the small company of the access tests ---------------------------------------------------


def test_small_company_anna(small_map: Path, tmp_path: Path) -> None:
    """Contact deleted, invoices held with their end dates, company kept, Bo kept."""
    bo_before = _rows(tmp_path / "crm.db", "select * from contacts where id = 2")[0]
    result = erase(small_map, ANNA, as_of=TODAY)
    assert result.verified and result.status == "done"
    assert result.erased == {"crm.contacts": 1}
    assert result.anonymised == {}
    kept = [(k["table"], k["rows"], k["basis"], k["until"]) for k in result.kept]
    assert kept == [
        ("crm.companies", 1, "shared", None),
        ("erp.invoices", 1, "hold", "2031-12-31"),
        ("erp.invoices", 1, "hold", "2032-12-31"),
    ]
    held = [k for k in result.kept if k["basis"] == "hold"][0]
    assert held["ground"] == "17(3)(b)" and "Bokföringslagen" in held["law"]
    assert "17(3)(b)" in held["reason"]
    assert _rows(tmp_path / "crm.db", "select id from contacts order by id") == [(2,), (3,), (4,)]
    assert _rows(tmp_path / "crm.db", "select id from companies") == [(1,), (2,)]
    # Bo keeps his row and all his data; only the pointer to Anna (her key) is gone.
    bo = _rows(tmp_path / "crm.db", "select * from contacts where id = 2")[0]
    assert bo[:4] == bo_before[:4] and bo[5] == bo_before[5] and bo[4] is None
    assert result.unlinked == {"crm.contacts": 1}
    invoices = _rows(tmp_path / "erp.db", "select id from invoices order by id")
    assert invoices == [(10,), (11,), (12,), (13,)]
    with open_store(None, default_dir=tmp_path) as st:
        rows = blocked(st.engine, result.request_id)
    assert sorted((r.table, r.key, r.until) for r in rows) == [
        ("erp.invoices", (10,), date(2031, 12, 31)),
        ("erp.invoices", (11,), date(2032, 12, 31)),
    ]


def test_dry_run_changes_nothing(small_map: Path, tmp_path: Path) -> None:
    before = {p.name: p.read_bytes() for p in tmp_path.glob("*.db")}
    result = erase(small_map, ANNA, dry_run=True, as_of=TODAY)
    assert result.dry_run and result.status == "planned" and not result.verified
    assert result.erased == {"crm.contacts": 1}
    assert [op["action"] for op in result.steps[0]["ops"]] == ["unlink", "delete"]
    assert {p.name: p.read_bytes() for p in tmp_path.glob("*.db")} == before
    assert not (tmp_path / ".skydd").exists()
    assert any("Dry run" in line for line in render_text(result))


# -- every action, on three databases -------------------------------------------------------


def test_every_action(company: Path) -> None:
    d = company.parent
    result = erase(company, ANNA, as_of=TODAY)
    assert result.verified, result.leftovers
    assert result.erased == {"crm.contacts": 1, "crm.notes": 2, "support.tickets": 1}
    assert result.anonymised == {"crm.visits": 2}
    # Anonymised: the link to the deleted contact and the IP (a keyed hash) are gone.
    visits = _rows(d / "crm.db", "select id, contact_id, ip, page from visits order by id")
    assert [v[1] for v in visits] == [None, None, 2]
    assert visits[0][2].startswith("anon:") and visits[0][2] == visits[1][2]
    assert visits[2] == (3, 2, "198.51.100.7", "/produkter")
    # Held and flagged (EN-6); Bo's invoice is not flagged.
    flags = _rows(d / "erp.db", "select id, blocked from invoices order by id")
    assert flags == [(10, 1), (11, 1), (12, 0), (13, 0)]
    assert _rows(d / "crm.db", "select id from notes") == [(3,)]
    assert _rows(d / "support.db", "select id from tickets order by id") == [(101,), (103,)]
    assert all(k["flagged"] for k in result.kept if k["basis"] == "hold")


def test_audit_trail_counts_and_names_only(company: Path) -> None:
    d = company.parent
    result = erase(company, {"phone": "070-123 45 67"}, as_of=TODAY)
    events = _events(d)
    assert [k for k, _ in events] == [
        "erasure-step", "erasure-step", "erasure-step", "notifications-queued",
        "request-recorded"]  # fmt: skip
    # Art. 19: Mailchimp received the contacts' email addresses and is told.
    assert [(n["recipient"], n["status"]) for n in result.notified] == [("mailchimp", "failed")]
    steps = [p for k, p in events if k == "erasure-step"]
    systems = [s["system"] for s in steps]
    assert sorted(systems) == ["crm", "erp", "support"]
    assert systems.index("erp") < systems.index("crm")  # children first across databases
    assert steps[0]["blocked"] == {"erp.invoices": 2}
    assert steps[0]["holds"] == {"erp.invoices": "bookkeeping"}
    final = events[-1][1]
    assert final["request_id"] == result.request_id and final["status"] == "done"
    assert final["request_type"] == "erasure"
    text = json.dumps(events)
    for secret in ("anna", "svensson", "1234567", "192.0.2", "Routern", "offert"):
        assert secret not in text.lower()


def test_hold_that_has_ended_erases_the_row(company: Path) -> None:
    """Cecilia's invoice from 2019 was kept through 2026; in 2027 it goes."""
    d = company.parent
    result = erase(company, {"email": "cecilia.dahl@example.se"}, as_of=date(2027, 1, 1))
    assert result.verified
    assert result.erased["erp.invoices"] == 1
    assert (13,) not in _rows(d / "erp.db", "select id from invoices")
    (d / "early").mkdir()
    early = build(d / "early")
    result = erase(early, {"email": "cecilia.dahl@example.se"}, as_of=date(2026, 12, 31))
    assert [(k["table"], k["until"]) for k in result.kept] == [
        ("crm.companies", None), ("erp.invoices", "2026-12-31")]  # fmt: skip


def test_a_second_erasure_finds_nothing_and_passes(company: Path) -> None:
    erase(company, ANNA, as_of=TODAY)
    again = erase(company, ANNA, as_of=TODAY)
    assert again.verified and again.erased == {} and again.request_id


# -- verification ---------------------------------------------------------------------------


def test_undeclared_copy_fails_verification(company: Path, tmp_path: Path) -> None:
    """A copy in a form the indexed search does not try is found afterwards: failed, loudly."""
    d = company.parent
    execute(d, "crm", "insert into newsletter values (7, ' ANNA.Svensson@EXAMPLE.se', null)")
    result = erase(company, ANNA, as_of=TODAY, out=tmp_path / "receipt", lang="en", pdf=False)
    assert not result.verified and result.status == "failed"
    assert result.leftovers == [
        {"table": "crm.newsletter", "rows": 1, "why": result.leftovers[0]["why"], "keys": [[7]]}
    ]
    assert "another format" in result.leftovers[0]["why"]
    final = _events(d)[-1][1]
    assert final["status"] == "failed" and "crm.newsletter: 1" in final["reason"]
    assert "still found data about you" in (tmp_path / "receipt" / "receipt.html").read_text()
    assert json.loads((tmp_path / "receipt" / "receipt.json").read_text())["verified"] is False
    # Thorough erasure finds the copy first, and then the request passes.
    again = erase(company, ANNA, as_of=TODAY, thorough=True)
    assert again.verified and again.erased == {"crm.newsletter": 1}


def test_indexed_verification_is_blind_to_odd_formats(company: Path) -> None:
    execute(
        company.parent, "crm", "insert into newsletter values (7, 'ANNA.Svensson@EXAMPLE.se', null)"
    )
    assert erase(company, ANNA, as_of=TODAY, verify="indexed").verified


# -- receipts -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("sv", ["Kvitto på radering", "sparas till och med", "rättslig förpliktelse", "Raderat"]),
        ("en", ["Erasure receipt", "kept until", "legal obligation", "Art. 17(3)(b) GDPR"]),
        ("da", ["Kvittering for sletning", "gemmes til og med", "retlig forpligtelse"]),
    ],
)
def test_receipt_in_three_languages(
    company: Path, tmp_path: Path, lang: str, words: list[str]
) -> None:
    out = tmp_path / f"r-{lang}"
    result = erase(company, ANNA, as_of=TODAY, out=out, lang=lang, pdf=False)
    html = (out / "receipt.html").read_text(encoding="utf-8")
    for word in [*words, "Bokföringslagen (1999:1078) 7 kap. 2 §", "2032"]:
        assert word in html, word
    assert "receipt." not in html  # every phrase key resolved
    assert "anna.svensson" not in html
    data = json.loads((out / "receipt.json").read_text(encoding="utf-8"))
    assert data["request_id"] == result.request_id and data["verified"] is True
    assert set(data) >= {"request_id", "erased", "anonymised", "kept", "verified"}
    assert {"table", "rows", "reason", "until"} <= set(data["kept"][0])


def test_receipt_pdf(company: Path, tmp_path: Path) -> None:
    pytest.importorskip("weasyprint")
    result = erase(company, ANNA, as_of=TODAY, out=tmp_path / "r", pdf=True)
    pdf = tmp_path / "r" / "receipt.pdf"
    assert pdf in result.files and pdf.read_bytes().startswith(b"%PDF")


# -- holds ending, batches, options ---------------------------------------------------------


def test_blocked_rows_are_released_when_the_hold_ends(company: Path) -> None:
    d = company.parent
    erase(company, ANNA, as_of=TODAY)
    with open_store(None, default_dir=d) as st:
        assert due_blocks(st, date(2031, 12, 31)) == []
        assert [r.key for r in due_blocks(st, date(2032, 1, 1))] == [(10,)]
        assert release_blocks(company, store=st, as_of=date(2032, 1, 1)) == {"erp.invoices": 1}
        assert release_blocks(company, store=st, as_of=date(2032, 1, 1)) == {}
        assert [r.key for r in blocked(st.engine)] == [(11,)]
    assert _rows(d / "erp.db", "select id from invoices order by id") == [(11,), (12,), (13,)]
    assert ("blocked-rows-released", {
        "table": "erp.invoices", "hold": "bookkeeping", "rows": 1, "as_of": "2032-01-01"
    }) in _events(d)  # fmt: skip


def test_erase_many(company: Path, tmp_path: Path) -> None:
    d = company.parent
    before = dump(d)
    out = tmp_path / "receipts"
    batch = erase_many(company, [ANNA, {"email": "dan@example.se"}], as_of=TODAY, out=out)
    assert batch.verified and batch.saga_id.startswith("B-")
    anna, dan = batch.results
    assert anna.erased["crm.contacts"] == 1 and dan.erased == {"crm.contacts": 1}
    after = dump(d)
    assert [r[0] for r in after["crm.contacts"]] == [2, 3]
    assert after["crm.companies"] == before["crm.companies"]
    events = _events(d)
    assert [k for k, _ in events][0] == "erasure-batch"
    (done,) = [p for k, p in events if k == "erasure-batch-recorded"]
    assert [r["request_id"] for r in done["requests"]] == [anna.request_id, dan.request_id]
    assert [r["status"] for r in done["requests"]] == ["done", "done"]
    assert done["requests"][1]["counts"] == {"crm.contacts": 1}
    assert (out / anna.request_id / "receipt.html").is_file() and dan.files


def test_person_hold_keeps_everything(tmp_path: Path) -> None:
    raw = raw_map(tmp_path)
    raw["retention"]["holds"]["legal_claim"] = {
        "labels": "Tvist",
        "law": "Rättegångsbalken",
        "ground": "17(3)(e)",
        "scope": "person",
    }
    path = build(tmp_path, raw)
    before = dump(tmp_path)
    result = erase(path, ANNA, as_of=TODAY, holds=["legal_claim"])
    assert result.erased == {} and result.anonymised == {} and result.verified
    assert {k["hold"] for k in result.kept if k["basis"] == "hold"} == {
        "bookkeeping",
        "legal_claim",
    }
    after = dump(tmp_path)
    assert after["crm.contacts"] == before["crm.contacts"]
    with pytest.raises(SkyddError, match="no hold 'nope'"):
        erase(path, ANNA, as_of=TODAY, holds=["nope"])


def test_table_without_primary_key_is_refused(tmp_path: Path) -> None:
    raw = raw_map(tmp_path)
    del raw["systems"]["support"]["tables"]["tickets"]["primary_key"]
    path = build(tmp_path, raw)
    with pytest.raises(SkyddError, match="support.tickets .* no primary_key"):
        erase(path, ANNA, as_of=TODAY)
    assert dump(tmp_path)["crm.contacts"][0][0] == 1  # nothing changed


def test_bad_input_is_recorded_as_failed(company: Path) -> None:
    with pytest.raises(SkyddError):
        erase(company, {"email": "not-an-email"}, as_of=TODAY)
    kind, payload = _events(company.parent)[-1]
    assert payload["status"] == "failed" and payload["request_type"] == "erasure"
    assert "not-an-email" not in json.dumps(payload)


def test_unknown_resume_id(company: Path) -> None:
    with pytest.raises(SkyddError, match="no erasure R-nope"):
        erase(company, resume="R-nope")


def test_scrubbed_text_loses_the_persons_name(tmp_path: Path) -> None:
    """The scrubber knows emails and phone numbers; the person's own name goes too."""
    raw = raw_map(tmp_path)
    crm = raw["systems"]["crm"]["tables"]
    crm["contacts"]["columns"]["name"] = {"category": "user.name"}
    crm["notes"]["erasure"] = {"action": "anonymise"}
    path = build(tmp_path, raw)
    execute(tmp_path, "crm", "alter table contacts add column name text")
    execute(tmp_path, "crm", "update contacts set name = 'Anna Svensson' where id = 1")
    execute(tmp_path, "crm", "update notes set body = 'anna svensson ringde, nås på 070-123 45 67, "
            "vill tala med Bo' where id = 1")  # fmt: skip
    result = erase(path, ANNA, as_of=TODAY)
    assert result.verified and result.anonymised["crm.notes"] == 2
    body = _rows(tmp_path / "crm.db", "select body from notes where id = 1")[0][0]
    assert body == "anon:[…] ringde, nås på […], vill tala med Bo"
