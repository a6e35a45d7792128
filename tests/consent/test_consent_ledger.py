"""The ledger keeps the proof (CON-3) without keeping identities or addresses in clear."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select

from skydd.consent import Choice, ConsentBook, Proof, object_to, restrict, unrestrict, withdraw
from skydd.consent.keys import Hasher
from skydd.consent.stats import consent_rates
from skydd.consent.tokens import TokenError, list_unsubscribe_headers
from skydd.datamap.loader import LoadedMap
from skydd.errors import SkyddError
from skydd.store import Store
from skydd.store.schema import consent_events, consent_links

ANNA = {"email": "Anna@Example.se "}


def _rows(store: Store) -> list[dict[str, object]]:
    with store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(consent_events))]


def test_a_choice_keeps_its_proof_and_no_identity_in_clear(book: ConsentBook, store: Store) -> None:
    proof = Proof(
        method="phone", channel="phone", language="sv", notice_version="2026-1",
        notice_hash="ab" * 32, recorded_by="lisa", ip="192.0.2.77",
        evidence={"reference": "CALL-17"}, at=datetime(2026, 3, 1, 9, 30, tzinfo=UTC),
    )  # fmt: skip
    eid = book.record(ANNA, Choice(proof, granted=["newsletter"], refused=["analytics"]))
    rows = _rows(store)
    assert {(r["purpose"], r["decision"]) for r in rows} == {
        ("newsletter", "granted"),
        ("analytics", "refused"),
    }
    row = rows[0]
    assert row["event_id"] == eid and row["at"] == "2026-03-01T09:30:00.000000+00:00"
    assert (row["method"], row["channel"], row["language"], row["recorded_by"]) == (
        "phone", "phone", "sv", "lisa",
    )  # fmt: skip
    assert (row["notice_version"], row["notice_hash"]) == ("2026-1", "ab" * 32)
    assert json.loads(str(row["evidence"])) == {"reference": "CALL-17"}
    assert row["subject_kind"] == "person"
    # the whole store file holds neither the address nor the IP
    assert store.url.database
    data = Path(store.url.database).read_bytes()
    wal = Path(store.url.database + "-wal")
    data += wal.read_bytes() if wal.exists() else b""
    for secret in (b"anna@example.se", b"Anna@Example.se", b"192.0.2.77", b"192.0.2"):
        assert secret not in data


def test_ip_addresses_are_hashed_by_network(book: ConsentBook) -> None:
    h = book.hasher
    assert h.ip("192.0.2.1") == h.ip("192.0.2.254") == h.ip("::ffff:192.0.2.9")
    assert h.ip("192.0.2.1") != h.ip("192.0.3.1")
    assert h.ip("2001:db8:1:2::1") == h.ip("2001:db8:1:ffff::9")
    assert h.ip("2001:db8:1::1") != h.ip("2001:db8:2::1")
    assert h.ip("not an address") is None


def test_a_store_refuses_another_key(store: Store, loaded: LoadedMap) -> None:
    ConsentBook(store, loaded, hasher=Hasher(b"k" * 32))
    with pytest.raises(SkyddError, match="another key"):
        ConsentBook(store, loaded, hasher=Hasher(b"x" * 32))


def test_bad_input_is_refused(book: ConsentBook) -> None:
    with pytest.raises(SkyddError, match="no purpose 'nope'"):
        book.record(ANNA, Choice(Proof("form", "web"), granted=["nope"]))
    with pytest.raises(SkyddError, match="unknown channel"):
        book.record(ANNA, Choice(Proof("form", "fax"), granted=["newsletter"]))
    with pytest.raises(SkyddError, match="at least one purpose"):
        book.record(ANNA, Choice(Proof("form", "web")))
    future = datetime.now(UTC) + timedelta(days=1)
    with pytest.raises(SkyddError, match="future"):
        book.record(ANNA, Choice(Proof("form", "web", at=future), granted=["newsletter"]))
    with pytest.raises(SkyddError, match="not a valid|email"):
        book.record({"email": "not-an-address"}, Choice(Proof("form", "web"), ["newsletter"]))


def test_visitors_batch_and_their_newest_choice(book: ConsentBook, store: Store) -> None:
    banner = Proof("banner", "web", language="da", notice_version="v2", ip="2001:db8::1")
    ids = book.record_visitors(
        [
            ("v-1", Choice(banner, granted=["analytics"], refused=["marketing"])),
            ("v-2", Choice(banner, refused=["analytics", "marketing"])),
        ]
    )
    assert len(set(ids)) == 2
    with store.engine.connect() as conn:
        events = conn.execute(select(func.count(func.distinct(consent_events.c.event_id))))
        assert events.scalar_one() == 2
    assert book.may({"visitor": "v-1"}, "analytics", "web")
    assert book.may({"visitor": "v-2"}, "analytics", "web").reason == "consent_refused"
    choice = book.visitor_choice("v-1")
    assert choice is not None and choice["notice_version"] == "v2"
    assert choice["decisions"] == {"analytics": "granted", "marketing": "refused"}
    assert book.visitor_choice("v-unknown") is None
    # a visitor who logs in: their cookie choice counts for the person
    book.link_visitor("v-1", ANNA)
    assert book.may(ANNA, "analytics", "web")


def test_newest_by_time_wins_over_order_of_recording(book: ConsentBook) -> None:
    later = datetime(2026, 5, 1, tzinfo=UTC)
    earlier = datetime(2025, 5, 1, tzinfo=UTC)
    book.record(ANNA, Choice(Proof("link", "email", at=later), withdrawn=["newsletter"]))
    book.record(ANNA, Choice(Proof("form", "web", at=earlier), granted=["newsletter"]))
    assert book.may(ANNA, "newsletter", "email").reason == "consent_withdrawn"


def test_consent_renewal_from_the_map(company: Path, store: Store) -> None:
    from skydd.datamap.loader import load_map

    text = company.read_text() + "policy:\n  consent_renewal: 12 months\n"
    company.write_text(text)
    book = ConsentBook(store, load_map(company))
    given = datetime(2025, 1, 10, tzinfo=UTC)
    book.record(ANNA, Choice(Proof("form", "web", at=given), granted=["newsletter"]))
    assert book.may(ANNA, "newsletter", "email", today=date(2025, 12, 1))
    old = book.may(ANNA, "newsletter", "email", today=date(2026, 1, 11))
    assert not old and old.reason == "consent_expired"


def test_telemarketing_in_sweden_needs_a_fresh_nix_check(book: ConsentBook) -> None:
    book.record(ANNA, Choice(Proof("form", "web"), granted=["newsletter"]))
    today = date(2026, 11, 22)
    assert book.may(ANNA, "offers", "phone", today=today).reason == "register_check_missing"
    book.register_check(ANNA, "NIX", False, date(2026, 9, 1))
    assert book.may(ANNA, "offers", "phone", today=today).reason == "register_check_stale"
    book.register_check(ANNA, "nix", False, date(2026, 11, 1))
    assert book.may(ANNA, "offers", "phone", today=today)
    book.register_check(ANNA, "NIX", True, date(2026, 11, 20))
    assert book.may(ANNA, "offers", "phone", today=today).reason == "on_register"
    # the register closes telemarketing, not the contract's calls
    assert book.may(ANNA, "service", "phone", today=today)
    with pytest.raises(SkyddError, match="unknown preference register"):
        book.register_check(ANNA, "XYZ", True, today)


def test_restriction_is_lifted_only_after_the_person_was_told(
    loaded: LoadedMap, book: ConsentBook
) -> None:
    result = restrict(loaded, ANNA, ground="legal_claims", store=book)
    assert result.identities == 2  # the CRM knows Anna's phone too
    assert book.may({"phone": "+46701111111"}, "service", "email").reason == "restricted"
    assert book.may(ANNA, "bookkeeping", "post")
    tomorrow = date.today() + timedelta(days=1)
    with pytest.raises(SkyddError, match="told before"):
        unrestrict(loaded, ANNA, told_on=tomorrow, told_how="email", store=book)
    unrestrict(loaded, ANNA, told_on=date.today(), told_how="email", store=book)
    assert book.may(ANNA, "service", "email")
    with pytest.raises(SkyddError, match="not restricted"):
        unrestrict(loaded, ANNA, told_on=date.today(), told_how="email", store=book)
    shown = book.standing(ANNA)["restriction"]
    assert shown["state"] == "off" and shown["told_at"].startswith(date.today().isoformat())


def test_a_marketing_objection_outlives_erasure(
    loaded: LoadedMap, book: ConsentBook, store: Store
) -> None:
    book.record(ANNA, Choice(Proof("form", "web"), granted=["newsletter"]))
    result = object_to(loaded, {"phone": "070-111 11 11"}, purpose="newsletter", store=book)
    assert result.status == "done" and result.identities == 2
    # erasure removes the ledger's links and events of the person; the list stays
    with store.engine.begin() as conn:
        conn.execute(delete(consent_links))
        conn.execute(delete(consent_events))
    book.index.reload(full=True)
    book.record(ANNA, Choice(Proof("form", "web"), granted=["newsletter"]))
    assert book.may(ANNA, "newsletter", "email").reason == "suppressed"
    assert book.standing(ANNA)["suppressed"] == ["purpose:newsletter"]


def test_objection_rules(loaded: LoadedMap, book: ConsentBook) -> None:
    with pytest.raises(SkyddError, match="withdraws it"):
        object_to(loaded, ANNA, purpose="analytics", store=book, search=False)
    with pytest.raises(SkyddError, match="right to object"):
        object_to(loaded, ANNA, purpose="service", store=book, search=False)
    with pytest.raises(SkyddError, match="either a purpose or a channel"):
        object_to(loaded, ANNA, store=book)
    object_to(loaded, ANNA, channel="sms", store=book, search=False)
    assert book.may(ANNA, "offers", "sms").reason == "suppressed"
    assert book.may(ANNA, "offers", "email")
    assert book.may(ANNA, "service", "sms")


def test_withdrawal_needs_a_consent_purpose(loaded: LoadedMap, book: ConsentBook) -> None:
    with pytest.raises(SkyddError, match="does not rest on consent"):
        withdraw(loaded, ANNA, purpose="offers", store=book)
    with pytest.raises(SkyddError, match="unknown way"):
        withdraw(loaded, ANNA, purpose="newsletter", how="pigeon", store=book)
    book.record(ANNA, Choice(Proof("form", "web"), granted=["newsletter"]))
    withdraw(loaded, ANNA, purpose="newsletter", how="email", store=book, language="sv")
    consent = book.standing(ANNA)["consents"]["newsletter"]
    assert (consent["decision"], consent["method"], consent["channel"]) == (
        "withdrawn", "email", "email",
    )  # fmt: skip


def test_the_audit_log_holds_no_identity(
    loaded: LoadedMap, book: ConsentBook, store: Store
) -> None:
    restrict(loaded, ANNA, store=book)
    object_to(loaded, ANNA, purpose="offers", store=book)
    book.record(ANNA, Choice(Proof("phone", "phone", recorded_by="lisa"), ["newsletter"]))
    book.set_channel(ANNA, "sms", False, recorded_by="lisa")
    book.register_check({"phone": "070-111 11 11"}, "NIX", False, date(2026, 11, 1))
    book.record_visitors([("v-1", Choice(Proof("banner", "web"), ["analytics"]))])
    records = list(store.audit.records())
    kinds = [r.kind for r in records]
    assert kinds.count("request-recorded") == 2
    assert kinds.count("consent-recorded") == 1  # the banner's visitor is not audited
    assert kinds.count("preference-recorded") == 2
    consent = next(r for r in records if r.kind == "consent-recorded")
    assert consent.actor == "lisa" and consent.payload["identity_kinds"] == ["email"]
    assert consent.payload["decisions"] == {"granted": 1}
    text = json.dumps([r.payload for r in store.audit.records()])
    for secret in ("anna", "701111111", "111 11 11"):
        assert secret not in text.lower()
    assert store.audit.verify().ok


def test_unsubscribe_tokens(book: ConsentBook) -> None:
    book.record(ANNA, Choice(Proof("form", "web"), granted=["newsletter"]))
    anna = book.hashes(ANNA)[0]
    token = book.tokens.unsubscribe(anna, purpose="newsletter")
    assert "anna" not in token.lower()
    request = book.tokens.read_unsubscribe(token)
    book.unsubscribe(request)
    assert book.may(ANNA, "newsletter", "email").reason == "consent_withdrawn"
    offers = book.tokens.read_unsubscribe(book.tokens.unsubscribe(anna, purpose="offers"))
    book.unsubscribe(offers)
    assert book.may(ANNA, "offers", "email").reason == "suppressed"
    with pytest.raises(TokenError, match="not valid"):
        book.tokens.read_unsubscribe(token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1])
    with pytest.raises(TokenError, match="expired"):
        book.tokens.read_unsubscribe(token, max_age=-1)
    with pytest.raises(TokenError, match="not valid"):  # a preference token is not an unsubscribe
        book.tokens.read_unsubscribe(book.tokens.preferences(anna))
    assert book.tokens.read_preferences(book.tokens.preferences(anna)) == anna
    headers = list_unsubscribe_headers("https://example.se/u/" + token, "sales@example.se")
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["List-Unsubscribe"].startswith("<https://example.se/u/")
    with pytest.raises(SkyddError, match="https"):
        list_unsubscribe_headers("http://example.se/u/x")


def test_another_book_sees_a_write_at_once(
    book: ConsentBook, store: Store, loaded: LoadedMap
) -> None:
    other = ConsentBook(store, loaded)
    assert not other.may(ANNA, "newsletter", "email")
    book.record(ANNA, Choice(Proof("form", "web"), granted=["newsletter"]))
    assert other.may(ANNA, "newsletter", "email")


def test_stats_per_day_and_month(book: ConsentBook, store: Store) -> None:
    def at(day: int) -> Proof:
        return Proof("banner", "web", at=datetime(2026, 10, day, 12, tzinfo=UTC))

    book.record_visitors(
        [
            ("a", Choice(at(1), granted=["analytics"])),
            ("b", Choice(at(1), refused=["analytics"])),
            ("c", Choice(at(1), granted=["analytics"])),
            ("d", Choice(at(2), refused=["analytics", "marketing"])),
        ]
    )
    days = {(r.period, r.purpose): r for r in consent_rates(store.engine, by="day")}
    assert days[("2026-10-01", "analytics")].accept_rate == pytest.approx(2 / 3, abs=1e-3)
    assert days[("2026-10-02", "marketing")].refused == 1
    months = consent_rates(store.engine, by="month", since=date(2026, 10, 2))
    assert [(r.period, r.purpose, r.granted, r.refused) for r in months] == [
        ("2026-10", "analytics", 0, 1),
        ("2026-10", "marketing", 0, 1),
    ]
    assert consent_rates(store.engine, until=date(2026, 9, 30)) == []
    with pytest.raises(SkyddError, match="unknown period"):
        consent_rates(store.engine, by="week")


def test_the_store_file_is_plain_sqlite(store: Store) -> None:
    assert store.url.database
    with sqlite3.connect(store.url.database) as conn:
        names = {r[0] for r in conn.execute("select name from sqlite_master where type='table'")}
    conn.close()
    assert {"consent_events", "consent_links", "consent_standing", "suppression"} <= names


def test_group_writer_acknowledges_only_what_is_committed(book: ConsentBook, store: Store) -> None:
    import threading

    from skydd.consent.writer import GroupWriter

    writer = GroupWriter(book, max_batch=50)
    ok = Choice(Proof("banner", "web"), granted=["analytics"])
    bad = Choice(Proof("banner", "web"), granted=["no-such-purpose"])
    results: list[str] = []

    def post(n: int) -> None:
        for k in range(25):
            results.append(writer.record(f"v{n}-{k}", ok))

    threads = [threading.Thread(target=post, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    failing = writer.submit("v-bad", bad)
    for t in threads:
        t.join()
    with pytest.raises(SkyddError, match="no purpose"):
        failing.result(10)
    writer.close()
    assert len(set(results)) == 100
    with store.engine.connect() as conn:
        stored = conn.execute(select(func.count(func.distinct(consent_events.c.event_id))))
        assert stored.scalar_one() == 100
    with pytest.raises(SkyddError, match="closed"):
        writer.submit("v-late", ok)


def test_a_banner_category_covers_its_purposes_on_the_web_only(tmp_path: Path) -> None:
    from skydd.datamap.loader import load_map
    from skydd.store import open_store

    acte = load_map(Path(__file__).parents[2] / "examples" / "acte" / "privacy.yaml")
    with open_store(f"sqlite:///{tmp_path / 'store.db'}") as store:
        book = ConsentBook(store, acte, hasher=Hasher(b"k" * 32))
        banner = Proof("banner", "web", notice_version="v1")
        book.record_visitors([("v-1", Choice(banner, ["analytics"], ["marketing"]))])
        visitor = {"visitor": "v-1"}
        assert book.may(visitor, "web_analytics", "web")
        assert book.may(visitor, "online_marketing", "web").reason == "consent_refused"
        assert book.may(visitor, "web_analytics", "email").reason == "no_consent"
        assert book.may({"visitor": "v-2"}, "web_analytics", "web").reason == "no_consent"


def test_the_preference_centre_works_from_a_signed_link_alone(book: ConsentBook) -> None:
    anna = book.hashes(ANNA)[0]
    token = book.tokens.preferences(anna)
    person = book.person_from_hash(book.tokens.read_preferences(token))
    book.record(person, Choice(Proof("preference_centre", "web"), granted=["newsletter"]))
    book.set_channel(person, "post", False, method="preference_centre")
    shown = book.standing(person)
    assert shown["consents"]["newsletter"]["decision"] == "granted"
    assert shown["channels"]["post"]["state"] == "opted_out"
    # and the company's applications, asking by the address, see the same
    assert book.may(ANNA, "newsletter", "email")
    assert book.may(ANNA, "offers", "post").reason == "channel_opted_out"


def test_a_restriction_tells_each_recipient_that_received_the_data(
    loaded: LoadedMap, book: ConsentBook
) -> None:
    """Art. 19: the newsletter processor received Anna's email, so it is told of the
    restriction through the outbox; the notice names the request, never a value in clear
    in the audit log."""
    import sqlalchemy as sa

    from skydd.store.schema import outbox_items

    result = restrict(loaded, ANNA, store=book)
    with book.store.engine.connect() as conn:
        items = conn.execute(sa.select(outbox_items)).mappings().all()
    assert [(i["event"], i["recipient"], i["request_id"]) for i in items] == [
        ("restriction", "mailer", result.request_id)
    ]
    for record in book.store.audit.records():
        assert "anna@example.se" not in json.dumps(record.payload)
