"""Conformance: AXsensor's retention promises AX-1 … AX-6 on the demo company.

The demo (150 people, its "today" 1 June 2026) is built once; each check runs on
fresh copies, on the day before a row's boundary and on the boundary itself,
with the boundary taken from the row's own data.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from itertools import count
from pathlib import Path
from typing import Any

import pytest
from retention_db import due_of, snapshot

from skydd import retention
from skydd.datamap.loader import LoadedMap, load_map
from skydd.demo import build_demo
from skydd.retention.anonymise import MARK
from skydd.retention.planner import purge_date

TODAY = date(2026, 6, 1)
DAY = timedelta(days=1)
Company = Callable[[], LoadedMap]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("axsensor") / "demo"
    build_demo("axsensor", folder, people=150, seed=7, as_of=TODAY)
    return folder


@pytest.fixture
def company(demo: Path, tmp_path: Path) -> Company:
    """A fresh copy of the demo company for each call."""
    numbers = count(1)

    def fresh() -> LoadedMap:
        target = tmp_path / f"copy{next(numbers)}"
        shutil.copytree(demo, target)
        return load_map(target / "privacy.yaml")

    return fresh


def _db(loaded: LoadedMap, system: str) -> Path:
    return Path(loaded.urls[system].removeprefix("sqlite:///"))


def sql(loaded: LoadedMap, system: str, query: str, *args: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(_db(loaded, system)) as conn:
        rows = conn.execute(query, args).fetchall()
    conn.close()
    return rows


def exists(loaded: LoadedMap, system: str, table: str, where: str, *args: Any) -> int:
    (n,) = sql(loaded, system, f"select count(*) from {table} where {where}", *args)[0]
    return int(n)


def _day(value: str) -> date:
    return datetime.fromisoformat(value).date()


def on_both_sides(company: Company, first: date, rule: str) -> Iterator[tuple[LoadedMap, bool]]:
    """Run `rule` on a copy the day before `first` and on another copy on `first`."""
    for day, due in ((first - DAY, False), (first, True)):
        loaded = company()
        retention.run(loaded, as_of=day, rule=rule)
        yield loaded, due


def test_ax1_order_data_goes_at_the_end_of_the_seventh_year(company: Company) -> None:
    """AX-1: kept seven years after the last contact, deleted at the end of that year."""
    probe = company()
    ((cid, last),) = sql(
        probe,
        "erp",
        "select id, last_contact from contacts where last_contact < '2020-01-01' "
        "and exists (select 1 from orders where contact_id = contacts.id) "
        "order by last_contact desc limit 1",
    )
    first = purge_date(_day(last), "7 years", "end_of_year")
    assert first == date(_day(last).year + 8, 1, 1)
    lines = "order_id in (select id from orders where contact_id = ?)"
    assert exists(probe, "erp", "order_lines", lines, cid) > 0
    for loaded, due in on_both_sides(company, first, "order_data"):
        kept = 0 if due else 1
        assert exists(loaded, "erp", "contacts", "id = ?", cid) == kept
        assert bool(exists(loaded, "erp", "orders", "contact_id = ?", cid)) == (not due)
        assert bool(exists(loaded, "erp", "order_lines", lines, cid)) == (not due)


def test_ax2_se1_financial_transactions_are_kept_through_the_seventh_year(
    company: Company,
) -> None:
    """AX-2 and SE-1: a fiscal year ending 30 June is kept through 31 December seven
    years after that calendar year, then invoice and payments go."""
    probe = company()
    ((invoice, fy_end),) = sql(
        probe,
        "erp",
        "select id, fiscal_year_end from invoices i where fiscal_year_end like '%-06-30' "
        "and exists (select 1 from payments p where p.invoice_id = i.id) "
        "and not exists (select 1 from payments p where p.invoice_id = i.id "
        "and p.fiscal_year_end > i.fiscal_year_end) order by fiscal_year_end limit 1",
    )
    end = date.fromisoformat(fy_end)
    first = purge_date(end, "7 years", "end_of_year")
    assert first == date(end.year + 8, 1, 1)  # LEGAL.md SE-1
    before = retention.plan(probe, as_of=first - DAY, rule="financial_transactions")
    invoices = next(r for r in before.rules if r.table == "erp.invoices")
    assert invoices.held_by.get("bookkeeping", 0) == 0  # the rule and the hold end together
    for loaded, due in on_both_sides(company, first, "financial_transactions"):
        assert exists(loaded, "erp", "invoices", "id = ?", invoice) == (0 if due else 1)
        assert bool(exists(loaded, "erp", "payments", "invoice_id = ?", invoice)) == (not due)


def test_ax3_a_silent_cloud_account_goes_with_all_its_data(company: Company, demo: Path) -> None:
    """AX-3: no traffic for seven years: the account, its users, sensors and traffic."""
    import json

    facts = json.loads((demo / "demo-facts.json").read_text(encoding="utf-8"))
    silent = facts["extra"]["silent_cloud_account"]
    account = silent["account_id"]
    first = purge_date(_day(silent["last_traffic"]), "7 years", "none")
    assert first <= TODAY
    traffic = "sensor_id in (select id from sensors where account_id = ?)"
    probe = company()
    assert exists(probe, "cloud", "traffic", traffic, account) > 0
    for loaded, due in on_both_sides(company, first, "cloud_accounts"):
        assert exists(loaded, "cloud", "accounts", "id = ?", account) == (0 if due else 1)
        for table, where in (
            ("users", "account_id = ?"),
            ("sensors", "account_id = ?"),
            ("traffic", traffic),
        ):
            assert bool(exists(loaded, "cloud", table, where, account)) == (not due), table


def test_ax4_crm_data_is_kept_seven_years_from_the_latest_activity(company: Company) -> None:
    """AX-4: an activity later than the contact's own last contact moves the boundary."""
    probe = company()
    ((contact, last_activity),) = sql(
        probe,
        "crm",
        "select contact_id, max(occurred_at) m from activities group by contact_id "
        "having m < '2019-07-01' order by m desc limit 1",
    )
    latest = _day(last_activity)
    first = purge_date(latest, "7 years", "none")
    # The copies say the contact was last called five years before that activity:
    # the activity, not the contact's own date, decides.
    early = (latest - timedelta(days=5 * 365)).isoformat()

    def copy() -> LoadedMap:
        loaded = company()
        with sqlite3.connect(_db(loaded, "crm")) as conn:
            conn.execute("update contacts set last_contact = ? where id = ?", (early, contact))
            conn.execute("update quotes set quote_date = ? where contact_id = ?", (early, contact))
        conn.close()
        return loaded

    for loaded, due in on_both_sides(copy, first, "crm_contacts"):
        assert exists(loaded, "crm", "contacts", "id = ?", contact) == (0 if due else 1)
        for table in ("activities", "quotes", "info_preferences"):
            n = exists(loaded, "crm", table, "contact_id = ?", contact)
            if due:
                assert n == 0, table
            elif table == "activities":
                assert n > 0


def test_ax5_support_cases_are_anonymised_after_seven_years(company: Company) -> None:
    """AX-5: the case stays with its general information; nothing points at a person."""
    probe = company()
    ((case, last),) = sql(
        probe,
        "support",
        "select id, last_contact from cases where last_contact < '2019-01-01' "
        "and requester_name is not null and exists (select 1 from messages "
        "where case_id = cases.id) order by last_contact desc limit 1",
    )
    first = purge_date(date.fromisoformat(last), "7 years", "none")
    for loaded, due in on_both_sides(company, first, "support_cases"):
        ((name, email, phone, product, description),) = sql(
            loaded,
            "support",
            "select requester_name, requester_email, requester_phone, product, description "
            "from cases where id = ?",
            case,
        )
        assert product is not None  # general support information stays either way
        if due:
            assert (name, email, phone) == (None, None, None)
            assert description is None or description.startswith(MARK)
            bodies = sql(loaded, "support", "select body, author_email from messages "
                         "where case_id = ?", case)  # fmt: skip
            assert all(a is None and (b is None or b.startswith(MARK)) for b, a in bodies)
        else:
            assert name is not None and email is not None


def test_ax6_web_server_logs_are_kept_six_months(company: Company) -> None:
    probe = company()
    ((row, at),) = sql(
        probe, "web", "select id, requested_at from access_log order by requested_at limit 1"
    )
    first = purge_date(_day(at), "6 months", "none")
    for loaded, due in on_both_sides(company, first, "web_logs"):
        assert exists(loaded, "web", "access_log", "id = ?", row) == (0 if due else 1)


def test_the_whole_company_deletes_what_the_plan_said(company: Company) -> None:
    on = TODAY
    loaded = company()
    before = retention.plan(loaded, as_of=on)
    report = retention.run(loaded, as_of=on)
    assert report.skipped == []
    assert report.done == due_of(before)
    assert due_of(retention.plan(loaded, as_of=on)) == {}
    state = snapshot(loaded)
    assert retention.run(loaded, as_of=on).done == {}
    assert snapshot(loaded) == state
