"""Entrack AB: the eight promises of its policy (EN-1 … EN-8), proved on the demo.

Each test cites the promise from shared/PROMISES.md. EN-5 is a promise the law
no longer allows as written ("free once a year"); its test proves the lawful
version. A promise whose capability is not built yet is a strict xfail that
already calls the API its issue specifies.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from skydd.datamap.authorities import EEA

if TYPE_CHECKING:
    from conftest import Demo


def _categories(demo: Demo) -> set[str]:
    return {col.category for _, _, t in demo.m.tables() for col in t.columns.values()}


def test_EN_1_collects_identity_contact_payment_credit_web_and_location_data(
    entrack: Demo,
) -> None:
    """EN-1: "Collects: name, personnummer, organisationsnummer, invoice and delivery
    address, email, mobile; invoice data, bank account, bankgiro, plusgiro; credit reports;
    web usage; IP, language, browser, time zone, OS, screen resolution; location."

    The map declares a column for each, every personnummer column with the justification
    SE-5 asks for (no SKD105). The showcase person's registerutdrag shows their own contact,
    invoice, credit and web data; a customer buying on credit is found by personnummer as by
    email, and their registerutdrag shows the personnummer held.
    """
    d = entrack
    declared = _categories(d)
    assert {
        "user.name.first",
        "user.name.last",
        "user.government_id.national_identification_number",
        "user.professional_information.organization_number",
        "user.contact.address.street",
        "user.contact.email",
        "user.contact.phone_number",
        "user.financial.invoice",
        "user.financial.bank_account",
        "user.financial.bankgiro",
        "user.financial.plusgiro",
        "user.financial.credit_report",
        "user.behavior.browsing_history",
        "user.device.ip_address",
        "user.location.coarse",
    } <= declared
    customers = d.m.systems["erp"].tables["customers"].columns
    assert {"invoice_street", "delivery_street", "mobile"} <= set(customers)
    events = d.m.systems["analytics"].tables["events"].columns
    assert {"language", "browser", "timezone", "operating_system", "screen_resolution"} <= set(
        events
    )
    assert "SKD105" not in d.codes()

    email = d.showcase.email
    by_email = d.access({"email": email})
    d.assert_only_theirs(by_email, email)
    shown: set[str] = set()
    for section in d.sections(by_email).values():
        shown |= set(section["category_keys"])
    assert {
        "user.contact.email",
        "user.contact.phone_number",
        "user.contact.address.street",
        "user.financial.invoice",
        "user.financial.credit_report",
        "user.device.ip_address",
    } <= shown

    # A customer who buys on credit, found by personnummer: the same record as by email.
    email, pnr = d.query(
        "erp",
        "select email, personnummer from customers where personnummer is not null "
        "and email is not null and customer_type != 'company' order by id limit 1",
    )[0]
    by_pnr = d.access({"personnummer": pnr})
    customer = d.sections(by_pnr)["erp.customers"]
    assert customer["rows"] == d.sections(d.access({"email": email}))["erp.customers"]["rows"]
    assert "user.government_id.national_identification_number" in customer["category_keys"]


def test_EN_2_shares_with_suppliers_authorities_and_a_buyer_never_sells(entrack: Demo) -> None:
    """EN-2: "Shares with suppliers, authorities (police, tax agency, anti-money-laundering)
    and, in a sale of the business, a buyer. Never sells data without consent."

    The recipients are the carrier and subcontractors that perform the contract, the tax
    agency, the police and its financial intelligence unit, and a buyer only for the purpose
    of a business transfer. No independent controller receives data for a marketing
    purpose. The showcase person's registerutdrag names every one of them that may receive
    their data, the police and a buyer included.
    """
    d = entrack
    m = d.m
    authorities = {r.name for r in m.recipients.values() if r.kind == "authority"}
    assert {"Skatteverket", "Polismyndigheten", "Polismyndigheten, Finanspolisen"} <= authorities
    for key in ("schenker", "subcontractors"):
        assert "contract" in m.recipients[key].purposes, key
    buyer = m.recipients["business_buyer"]
    assert buyer.purposes == ["business_transfer"]
    assert m.purposes["business_transfer"].legitimate_interest
    selling = [
        (key, p)
        for key, r in m.recipients.items()
        if r.kind == "controller"
        for p in r.purposes
        if m.purposes[p].marketing
    ]
    assert selling == []
    assert m.notice.extra["no_sale"].missing() == []

    # Art. 15(1)(c): the person learns every recipient of their data, the police and a
    # possible buyer included, not only those the company deals with every day.
    result = d.access({"email": d.showcase.email})
    sections = d.sections(result)
    assert "skatteverket" in {r["key"] for r in sections["erp.invoices"]["recipients"]}
    assert "finanspolisen" in {r["key"] for r in sections["erp.kyc_checks"]["recipients"]}
    assert "schenker" in {r["key"] for r in sections["erp.orders"]["recipients"]}
    assert {"polisen", "business_buyer"} <= set(d.recipients(result))


def test_EN_3_processing_in_eea_transfers_only_with_adequate_protection(entrack: Demo) -> None:
    """EN-3: "Processes inside the EU/EEA; transfers outside only with adequate protection."

    Every system stores its data in the EU/EEA; the one recipient outside it (Google LLC)
    is certified under the Data Privacy Framework, lint finds no transfer without a
    mechanism and would find one (SKD201). A visitor's registerutdrag, found by their Google
    Analytics client id, shows that transfer with its safeguard.
    """
    d = entrack
    assert {s.country for s in d.m.systems.values()} <= EEA
    abroad = {k: r for k, r in d.m.recipients.items() if r.country not in EEA}
    assert set(abroad) == {"google_llc"}
    assert abroad["google_llc"].transfer and abroad["google_llc"].transfer.mechanism == "dpf"
    assert not {"SKD201", "SKD203", "SKD206"} & set(d.codes())

    def drop_transfer(data: dict[str, Any]) -> None:
        data["recipients"]["google_llc"]["transfer"] = None

    assert "SKD201" in d.lint_changed(drop_transfer)

    client = d.scalar("analytics", "select client_id from events order by id limit 1")
    result = d.access({"ga_client_id": client})
    google = {r["key"]: r for r in d.sections(result)["analytics.events"]["recipients"]}
    assert google["google_llc"]["transfer"] == "dpf"
    assert google["google_llc"]["safeguard_missing"] is False


def test_EN_4_kept_while_needed_for_contract_and_as_long_as_law_requires(
    entrack: Demo, tmp_path: Path
) -> None:
    """EN-4: "Kept only while needed for the contract and as long as law requires
    (bookkeeping, AML, capital requirements)."

    Customer data is due three years after the last contact (the map's contract period),
    at the end of that year, on either side of the year's turn, and so are the customer's
    activities in the CRM, a database of their own dated by the ERP's last contact;
    invoices after the Bookkeeping Act's seven years; AML checks after five years. A run
    removes the planted former customer, their CRM activities with them, leaves the
    invoices still under the bookkeeping hold, and leaves nothing due.
    """
    d = entrack
    rule = d.plan(d.as_of, "customers")
    # Every table the rule names must be enforced, including the CRM's activities,
    # whose anchor (the customer's last contact) lives in the ERP database.
    unenforced = [table for (_, table), r in rule.items() if r.get("problem")]
    assert not unenforced, unenforced
    assert not [c for c in d.check.findings if c.code == "SKD111"]
    latest = "select max(last_contact) from customers where last_contact < ?"
    cutoff = date(d.as_of.year - 3, 1, 1).isoformat()
    last = date.fromisoformat(str(d.scalar("erp", latest, [cutoff]))[:10])
    activity_of = [r[0] for r in d.query("crm", "select customer_id from activities")]
    for day in (date(last.year + 3, 12, 31), date(last.year + 4, 1, 1)):
        contract = date(day.year - 3, 1, 1).isoformat()
        plan = d.plan(day, "customers")
        customers = plan[("customers", "erp.customers")]
        sql = "select id from customers where last_contact < ?"
        ids = {int(r[0]) for r in d.query("erp", sql, [contract])}
        assert customers["due"] + customers["held"] == len(ids)
        activities = plan[("customers", "crm.activities")]
        linked = sum(1 for c in activity_of if c is not None and int(c) in ids)
        assert activities["due"] + activities["held"] == linked
    books = date(d.as_of.year - 7, 1, 1).isoformat()
    invoices = d.plan(d.as_of, "accounting")[("accounting", "erp.invoices")]
    assert invoices["due"] + invoices["held"] == int(
        d.scalar("erp", "select count(*) from invoices where fiscal_year_end < ?", [books])
    )
    for on in (d.as_of, d.as_of + timedelta(days=1)):
        aml = (d.ago(years=5, day=on) + timedelta(days=1)).isoformat()
        assert d.due("due_diligence", "erp.kyc_checks", on) == int(
            d.scalar("erp", "select count(*) from kyc_checks where transaction_date < ?", [aml])
        )

    held = d.scalar(
        "erp", "select id from customers where lower(email) = ?", [d.facts.held_invoices.email]
    )
    invoices_sql = "select count(*) from invoices where customer_id = ?"
    before = int(d.scalar("erp", invoices_sql, [held]))
    assert before > 0
    by_email = "select count(*) from customers where lower(email) = ?"
    id_sql = "select id from customers where lower(email) = ?"
    gone = int(d.scalar("erp", id_sql, [d.facts.due_for_deletion.email]))
    activities_sql = "select count(*) from activities where customer_id = ?"
    assert int(d.scalar("crm", activities_sql, [gone])) > 0
    copy = d.copy(tmp_path / "demo")
    said = {k: r["due"] for k, r in copy.plan(d.as_of).items() if r["due"]}
    done = copy.run_retention(d.as_of, tmp_path)["done"]
    ran = {tuple(k.split(":", 1)): n for k, n in done.items() if not k.startswith("released")}
    assert said == ran
    assert not [k for k, r in copy.plan(d.as_of).items() if r["due"]]
    assert int(copy.scalar("erp", by_email, [d.facts.due_for_deletion.email])) == 0
    assert int(copy.scalar("crm", activities_sql, [gone])) == 0
    assert int(copy.scalar("erp", invoices_sql, [held])) == before


def test_EN_5_access_is_free_every_time_and_the_yearly_rule_is_flagged(
    entrack: Demo, tmp_path: Path
) -> None:
    """EN-5: "A copy of one's data (registerutdrag) is free once a year." — made lawful.

    A blanket "free once a year" is a leftover of the repealed PUL 26 §: under Art. 15(3)
    and 12(5) access is free, and only manifestly unfounded or excessive requests or further
    copies may cost a fee (LEGAL.md DSR-6). So Skydd keeps the promise in its lawful form:
    `skydd check` warns about the policy (SKD302); a second request in the same year goes
    through the request workflow flagged as a repeat of the first (the map's yearly rule
    read as the interval to flag), and is answered in full, like the first, and recorded as
    done, with no fee: a fee or a refusal needs the DPO's recorded reason.
    """
    d = entrack
    flagged = [f for f in d.check.findings if f.code == "SKD302"]
    assert flagged and flagged[0].level == "warning"
    assert d.m.policy.free_copies_per_year == 1

    from datetime import UTC, datetime

    from skydd.store import RequestRecorded, open_store
    from skydd.workflow import State, events, run, submit, verify

    email = d.showcase.email
    asked = [datetime(2025, 2, 3, 9, tzinfo=UTC), datetime(2025, 9, 1, 9, tzinfo=UTC)]
    with open_store(d.store_url(tmp_path)) as store:
        answers = []
        for when in asked:
            req = submit(
                store, d.loaded, kind="access", identities={"email": email}, channel="email",
                lang="sv", received_at=when, actor="kundtjanst",
            )  # fmt: skip
            verify(store, req.id, actor="kundtjanst", method="account")
            answers.append((req, run(store, d.loaded, req.id, actor="kundtjanst", as_of=d.as_of)))
        (first, one), (second, two) = answers
        assert first.repeat_of is None and second.repeat_of == first.id
        assert one.summary["found"] and two.summary["counts"] == one.summary["counts"]
        assert one.request.state == two.request.state == State.done
        assert two.request.fee_amount is None and two.request.fee_reason is None
        assert "charge-fee" not in [e.action for e in events(store, second.id)]
        recorded = [r.payload for r in store.audit.records(kind=RequestRecorded)]
    assert [(e["request_type"], e["status"]) for e in recorded] == [("access", "done")] * 2


def test_EN_6_erasure_on_request_and_data_kept_by_law_is_blocked(
    entrack: Demo, tmp_path: Path
) -> None:
    """EN-6: "Erasure on request; data that law requires to be kept is *blocked* from every
    other use until it may be deleted."

    Erasing a former customer whose invoices are still under the bookkeeping hold
    anonymises the customer, keeps the invoices and payments (and AML checks) with the law
    that requires them, flags those rows as blocked in the ERP, and no marketing or
    communication use of the person is allowed any more.
    """
    d = entrack.copy(tmp_path / "demo")
    person = d.facts.held_invoices
    customer = d.scalar("erp", "select id from customers where lower(email) = ?", [person.email])
    erased = d.cli("request", "erase", "--identity", f"email={person.email}")
    assert erased["verified"] is True
    # The customer company's row is shared with colleagues: kept as not the person's alone.
    kept = {k["table"]: k for k in erased["kept"] if k["basis"] != "shared"}
    assert (
        {"erp.invoices", "erp.payments"}
        <= set(kept)
        <= {
            "erp.invoices",
            "erp.payments",
            "erp.kyc_checks",
        }
    )
    assert "Bokföringslagen" in kept["erp.invoices"]["reason"]
    blocked = d.query("erp", "select blocked from invoices where customer_id = ?", [customer])
    assert blocked and all(r["blocked"] for r in blocked)
    row = d.query("erp", "select * from customers where id = ?", [customer])[0]
    assert row["email"] is None and row["personnummer"] is None
    assert not d.may({"email": person.email}, "customer_communication", "email")


def test_EN_7_opt_out_of_all_communication_not_needed_for_the_contract(
    entrack: Demo, tmp_path: Path
) -> None:
    """EN-7: "Can opt out of all communication not needed for the contract."

    The ERP's opt-out flag is an objection to Entrack's customer communication (direct
    marketing: absolute, Art. 21(2)-(3)); brought into Skydd with `skydd request object`,
    the planted person who opted out gets no follow-up or information mail, by any channel,
    yet still gets what the contract needs; a customer who did not opt out still gets both.
    A channel preference works the same way for one channel.
    """
    d = entrack
    opted = d.facts.extra["communication_opt_out"]["email"]
    assert d.scalar(
        "erp", "select communication_opt_out from customers where lower(email) = ?", [opted]
    )
    assert d.m.purposes["customer_communication"].marketing
    copy = d.copy(tmp_path / "demo")
    out = copy.cli(
        "request", "object", "--purpose", "customer_communication", "--identity", f"email={opted}"
    )
    assert out["status"] == "done"
    for channel in ("email", "phone", "sms", "post"):
        decision = copy.may({"email": opted}, "customer_communication", channel)
        assert not decision and decision.reason in ("objected", "suppressed"), channel
    assert copy.may({"email": opted}, "contract", "email")
    shown = copy.showcase.email
    assert copy.may({"email": shown}, "customer_communication", "email")
    assert copy.may({"email": shown}, "contract", "email")
    copy.cli("consent", "channel", "--identity", f"email={shown}", "--channel", "email",
             "--opt-out", json_out=False)  # fmt: skip
    assert not copy.may({"email": shown}, "customer_communication", "email")
    assert copy.may({"email": shown}, "customer_communication", "post")
    assert copy.may({"email": shown}, "contract", "email")


def test_EN_8_cookies_ga_gat_gid_has_js_toolbar_and_session(entrack: Demo) -> None:
    """EN-8: "Cookies: `_ga`, `_gat`, `_gid` (analytics); `has_js`,
    `Drupal.toolbar.collapsed`, a login session cookie."

    Exactly these six are declared, the Google Analytics ones as analytics and the session
    and JavaScript ones as necessary; lint flags the toolbar cookie's hundred years. The
    Swedish privacy notice lists each with its lifetime, and analytics is refused for a
    visitor who has not consented.
    """
    d = entrack
    cookies = {c.name: c for c in d.m.cookies}
    session = "SSESS<hash>"
    assert set(cookies) == {"_ga", "_gat", "_gid", "has_js", "Drupal.toolbar.collapsed", session}
    assert {cookies[n].category.value for n in ("_ga", "_gat", "_gid")} == {"analytics"}
    assert {cookies[n].category.value for n in ("has_js", session)} == {"necessary"}
    assert [f for f in d.check.findings if f.code == "SKD304" and "Drupal" in f.message]

    notice = d.cli("notice", "--lang", "sv", "--format", "md", json_out=False)
    # Each cookie has its row, with the lifetime as a Swedish reader reads it.
    swedish = {"_ga": "2 år", "_gid": "24 timmar", "_gat": "1 minut",
               "has_js": "tills du stänger webbläsaren", "Drupal.toolbar.collapsed": "100 år",
               session: "23 dagar"}  # fmt: skip
    rows = {line.split("`")[1]: line for line in notice.splitlines() if line.startswith("| `")}
    for name in cookies:
        assert rows[name].rstrip(" |").endswith(f"| {swedish[name]}"), name
    assert "Statistik och analys**. Används bara med ditt samtycke." in notice
    client = d.scalar("analytics", "select client_id from events limit 1")
    assert not d.may({"ga_client_id": client}, "web_analytics", "web")
