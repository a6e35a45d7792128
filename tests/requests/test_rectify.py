"""Rectification (Art. 16) on SQLite: everywhere the value lives, validated, audited."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rectify_company import ANNA, NEW_EMAIL, build, dump, scenario
from typer.testing import CliRunner

from skydd.cli import app
from skydd.errors import SkyddError
from skydd.requests.rectify import parse_set, rectify
from skydd.store import Store, open_store


@pytest.fixture
def company(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    urls = {s: f"sqlite:///{tmp_path / s}.db" for s in ("crm", "erp")}
    return build(tmp_path, urls), urls


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return open_store(f"sqlite:///{tmp_path / 'store.db'}")


def test_same_email_in_two_systems(company: tuple[Path, dict[str, str]], store: Store) -> None:
    path, urls = company
    scenario(path, urls, store)


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("crm.contacts.email", "anna.berg(at)example.se", "not a valid email"),
        ("crm.contacts.phone", "ring mig", "not a valid phone"),
        ("erp.customers.personnummer", "19811218-9875", "not a valid personnummer"),
        ("erp.customers.credit_limit", "lots", "not a whole number"),
        ("crm.contacts.born", "1981-13-01", "not a date"),
        ("crm.contacts.id", "7", "a key that links"),
        ("crm.contacts.shoe_size", "42", "declares no column"),
        ("crm.contacts.name", "", "no new value"),
    ],
)
def test_a_bad_value_changes_nothing(
    company: tuple[Path, dict[str, str]], store: Store, column: str, value: str, message: str
) -> None:
    path, urls = company
    before = dump(urls)
    with pytest.raises(SkyddError, match=message) as raised:
        rectify(path, ANNA, {"crm.contacts.name": "Anna Berg", column: value}, store=store)
    assert dump(urls) == before
    if value:
        assert value not in raised.value.render() or len(value) < 5
    [failed] = [r for r in store.audit.records() if r.kind == "request-recorded"]
    assert failed.payload["status"] == "failed"
    assert "anna" not in json.dumps(failed.payload).lower()


def test_personnummer_and_integer_are_applied(
    company: tuple[Path, dict[str, str]], store: Store
) -> None:
    path, urls = company
    result = rectify(
        path, ANNA,
        {"erp.customers.personnummer": "198112189876", "erp.customers.credit_limit": "7500"},
        store=store,
    )  # fmt: skip
    # 19811218-9876 and 198112189876 are the same personnummer: nothing to correct there.
    assert result.changed == {"erp.customers.credit_limit": 1}
    assert dump(urls)["customers"][0][3] == 7500
    # UC received no credit limits: nobody is told.
    assert result.notified == []


def test_dry_run_and_unknown_person(company: tuple[Path, dict[str, str]], store: Store) -> None:
    path, urls = company
    before = dump(urls)
    planned = rectify(path, ANNA, {"crm.contacts.email": NEW_EMAIL}, dry_run=True, store=store)
    assert planned.changed == {"crm.contacts.email": 1, "erp.customers.email": 1}
    assert planned.dry_run and dump(urls) == before
    assert not list(r for r in store.audit.records() if r.kind == "rectification-applied")
    with pytest.raises(SkyddError, match="no personal data found"):
        rectify(path, {"email": "nobody@example.se"}, {"crm.contacts.name": "X"}, store=store)


def test_parse_set() -> None:
    assert parse_set("crm.contacts.email = a@b.se") == ("crm.contacts.email", "a@b.se")
    assert parse_set("crm.contacts.note=a=b") == ("crm.contacts.note", "a=b")
    for bad in ("crm.contacts.email", "contacts.email=x", "crm..email=x"):
        with pytest.raises(SkyddError, match="system.table.column=value"):
            parse_set(bad)


def test_cli(company: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    path, urls = company
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    runner = CliRunner()
    args = ["request", "rectify", "--map", str(path), "-i", "email=anna.svensson@example.se",
            "--set", f"crm.contacts.email={NEW_EMAIL}", "--store", url, "-f", "json"]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= {"request_id", "changed", "notified"}
    assert data["changed"] == {"crm.contacts.email": 1, "erp.customers.email": 1}
    assert data["notified"][0]["recipient"] == "mailchimp"
    bad = runner.invoke(app, [*args[:6], "--set", "crm.contacts.email=nope", "--store", url])
    assert bad.exit_code == 2 and "not a valid email" in bad.output
    assert "Traceback" not in bad.output


def test_a_shared_record_is_not_the_persons_to_rectify(tmp_path: Path, store: Store) -> None:
    from erasure_company import ANNA as ANNA_IN_CRM
    from erasure_company import build as build_crm

    path = build_crm(tmp_path)
    with pytest.raises(SkyddError, match="shared with other people"):
        rectify(path, ANNA_IN_CRM, {"crm.companies.name": "Annat namn AB"}, store=store)
    # Her phone, written differently in support, is followed there too.
    result = rectify(path, ANNA_IN_CRM, {"crm.contacts.phone": "070-111 22 33"}, store=store)
    assert result.changed == {"crm.contacts.phone": 1, "support.tickets.phone": 1}
