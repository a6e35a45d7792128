"""Advansor A/S: the five promises of its policy (AD-1 … AD-5), proved on the demo.

Advansor is a Danish controller (Datatilsynet) with a customer portal and app that
collect device and location data. Each test cites the promise from
shared/PROMISES.md. A promise whose capability is not built yet is a strict xfail
that already calls the API its issue specifies.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from skydd.datamap.authorities import EEA
from skydd.datamap.models import LANGS, LegalBasis
from skydd.documents.writers import render_html

if TYPE_CHECKING:
    from conftest import Demo


def test_AD_1_collects_contact_login_media_files_bank_feedback_kyc_device_location_with_source(
    advansor: Demo, tmp_path: Path
) -> None:
    """AD-1: "Collects contact data, login IDs and passwords, photos/videos, uploaded files,
    bank details, feedback and KYC data; automatically device data (model, IMEI, MAC, IP,
    OS), usage times, location (IP, Bluetooth beacons); data from public databases and joint
    marketing partners (the source must be shown to the person)."

    The map declares each kind of data, and the tables filled from public registers and
    from partners say so. The showcase person's registerutdrag holds only their own rows
    and shows, table by table, where the data came from: the partner for their lead, the
    sanctions lists and registers for their screening, themselves for their contact record.
    It still holds only theirs once support has answered cases from its shared address.
    """
    d = advansor
    declared = {col.category for _, _, t in d.m.tables() for col in t.columns.values()}
    assert {
        "user.contact.email",
        "user.account.username",
        "user.authorization.password",
        "user.content.self_image",
        "user.content.private",
        "user.financial.bank_account",
        "user.financial.kyc",
        "user.device.imei",
        "user.device.mac_address",
        "user.device.ip_address",
        "user.location.coarse",
        "user.location.precise",
    } <= declared
    devices = d.m.systems["portal"].tables["user_devices"].columns
    assert {"hardware_model", "os_version"} <= set(devices)
    assert "support.feedback" in {f"{s}.{t}" for s, t, _ in d.m.tables()}
    sources = {f"{s}.{t}": table.source.kind for s, t, table in d.m.tables() if table.source}
    assert sources == {
        "kyc.screenings": "public_database",
        "kyc.screening_hits": "public_database",
        "kyc.registry_extracts": "public_database",
        "crm.partner_leads": "partner",
    }

    result = d.access({"email": d.showcase.email})
    d.assert_only_theirs(result, d.showcase.email)
    sections = d.sections(result)
    lead = sections["crm.partner_leads"]["source"]
    assert lead["kind"] == "partner"
    assert "partner" in (lead.get("description") or lead["text"]).lower()
    screening = sections["kyc.screenings"]["source"]
    assert screening["kind"] == "public_database"
    assert "sanctions" in (screening.get("description") or screening["text"]).lower()
    assert sections["crm.contacts"]["source"]["kind"] == "subject"

    copy = d.copy(tmp_path / "demo")
    by_email = "select id from contacts where lower(email) = ?"
    contact = copy.scalar("crm", by_email, [d.showcase.email])
    theirs = copy.scalar("support", "select id from cases where contact_id = ?", [contact])
    other = copy.scalar("support", "select id from cases where contact_id != ?", [contact])
    assert theirs and other
    copy.staff_reply("support", "case_messages", "case_id", [theirs, other], "support@advansor.dk")
    answered = copy.access({"email": d.showcase.email})
    assert other not in {c["id"] for c in copy.sections(answered)["support.cases"]["rows"]}
    copy.assert_only_theirs(answered, d.showcase.email)


def test_AD_2_each_purpose_with_its_legal_basis(advansor: Demo) -> None:
    """AD-2: "Purposes each with its legal basis: KYC screening, contracts, support, direct
    marketing, security, legal obligations, defence of legal claims."

    Each purpose the policy lists has the basis the map pairs it with, a law where it is a
    legal obligation and the interest where it is a legitimate interest; the hold for legal
    claims is ground 17(3)(e). The showcase person's registerutdrag gives every purpose
    that touches their data with its basis and article.
    """
    d = advansor
    m = d.m
    expected = {
        "kyc_screening": LegalBasis.legal_obligation,
        "contracts": LegalBasis.contract,
        "support": LegalBasis.contract,
        "direct_marketing": LegalBasis.consent,
        "security": LegalBasis.legitimate_interest,
        "bookkeeping": LegalBasis.legal_obligation,
        "authority_reporting": LegalBasis.legal_obligation,
        "legal_claims": LegalBasis.legitimate_interest,
    }
    assert {k: m.purposes[k].legal_basis for k in expected} == expected
    for key, basis in expected.items():
        if basis == LegalBasis.legal_obligation:
            assert m.purposes[key].law, key
        if basis == LegalBasis.legitimate_interest:
            assert not m.purposes[key].legitimate_interest.missing(), key
    assert m.retention.holds["legal_claims"].ground == "17(3)(e)"
    assert not {"SKD101", "SKD102", "SKD103"} & set(d.codes())

    result = d.access({"email": d.showcase.email})
    shown = {p["key"]: p for s in d.sections(result).values() for p in s["purposes"]}
    assert set(expected) - {"authority_reporting"} <= set(shown)
    for key, p in shown.items():
        assert p["legal_basis"] == m.purposes[key].legal_basis.value and p["article"], key


def test_AD_3_shares_with_group_providers_partners_authorities_advisers(advansor: Demo) -> None:
    """AD-3: "Shares with group subsidiaries (need-to-know), service providers (ICT, freight,
    payment, e-communication), business partners, authorities, professional advisers."

    Every kind of recipient the policy names is declared with what it receives; the service
    providers are processors under a DPA (no SKD202) and the group company and the platform
    outside the EEA have their safeguards (no SKD201). The showcase person's registerutdrag
    names the recipients of their own data. (Who may see data inside the group is a matter
    of staff roles, proved under AC-4 and AX-12.)
    """
    d = advansor
    r = d.m.recipients
    assert {k for k, v in r.items() if v.kind == "group_company"} == {
        "subsidiaries_eu",
        "subsidiaries_non_eea",
    }
    providers = ("ict_providers", "freight", "payment_providers", "ecommunication_platform")
    for key in providers:
        assert r[key].kind == "processor" and r[key].dpa, key
    for key in ("business_partners", "professional_advisers"):
        assert r[key].kind == "controller", key
    assert r["authorities"].kind == "authority"
    for key, v in r.items():
        if v.country not in EEA:
            assert v.transfer is not None, key
    assert r["subsidiaries_non_eea"].transfer.scc_module == 1
    assert not {"SKD201", "SKD202"} & set(d.codes())

    result = d.access({"email": d.showcase.email})
    sections = d.sections(result)
    shown = d.recipients(result)
    assert {"subsidiaries_eu", "ict_providers", "business_partners"} <= set(shown)
    assert "freight" in {x["key"] for x in sections["erp.orders"]["recipients"]}
    assert "authorities" in {x["key"] for x in sections["erp.invoices"]["recipients"]}
    assert [k for k, x in shown.items() if x["safeguard_missing"]] == []


def test_AD_4_access_object_rectify_restrict_erase_unless_legal_ground(
    advansor: Demo, tmp_path: Path
) -> None:
    """AD-4: "Rights: access, objection, rectification, restriction; inaccurate or outdated
    data is deleted or corrected; erasure on written request without undue delay unless a
    legal ground remains."

    Access gives the person their own data only. A rectified phone number is what the CRM
    then holds; the yearly review lists exactly the contacts not reviewed for a year; an
    erasure anonymises the contact and keeps only the invoices (Bogføringsloven) and the
    KYC records (hvidvaskloven), each with its law.
    """
    d = advansor
    email = d.showcase.email
    d.assert_only_theirs(d.access({"email": email}), email)
    stale = (d.ago(months=12) + timedelta(days=1)).isoformat()
    assert d.due("contacts_review", "crm.contacts") == int(
        d.scalar("crm", "select count(*) from contacts where last_reviewed < ?", [stale])
    )

    copy = d.copy(tmp_path / "demo")
    copy.cli("request", "restrict", "--identity", f"email={email}")
    copy.cli("request", "object", "--purpose", "direct_marketing", "--identity", f"email={email}")
    phone = "crm.contacts.phone=+4570250030"
    copy.cli("request", "rectify", "--identity", f"email={email}", "--set", phone)
    contact = copy.sections(copy.access({"email": email}))["crm.contacts"]["rows"][0]
    assert contact["phone"] == "+4570250030"
    erased = copy.cli("request", "erase", "--identity", f"email={email}")
    assert erased["verified"] is True
    assert "crm.contacts" in erased["anonymised"]
    kept = {k["table"]: k["reason"] for k in erased["kept"]}
    assert "erp.invoices" in kept and "Bogføringsloven" in kept["erp.invoices"]
    assert "kyc.screenings" in kept and "Hvidvaskloven" in kept["kyc.screenings"]


def test_AD_5_complaints_to_the_local_data_protection_authority(advansor: Demo) -> None:
    """AD-5: "Complaints to the local data protection authority."

    Advansor is Danish, so the registerutdrag (in Danish) names Datatilsynet with its
    website as the authority to complain to, and the notice's contact text names
    Datatilsynet in every language.
    """
    d = advansor
    result = d.access({"email": d.showcase.email}, lang="da")
    authority = result.report["authority"]
    assert (authority["short"], authority["country"]) == ("Datatilsynet", "DK")
    assert "datatilsynet.dk" in authority["website"]
    html = render_html("registerutdrag.html.j2", result.report)
    assert "Datatilsynet" in html
    assert "Integritetsskyddsmyndigheten" not in html
    for lang in LANGS:
        assert "Datatilsynet" in (d.m.notice.contact.get(lang) or ""), lang
