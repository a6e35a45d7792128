"""The Art. 19 outbox against a real SMTP server and a real webhook receiver on loopback."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from outbox_helpers import HOOK_KEY, HOOK_KEY_ENV, Receiver, SmtpServer, build_company
from typer.testing import CliRunner

from skydd.cli import app
from skydd.datamap.loader import load_map
from skydd.errors import SkyddError
from skydd.mail import MailSettings, send_mail
from skydd.outbox import (
    OutboxItem,
    list_items,
    notify_recipients,
    recipients_for,
    send_due,
    sign,
    verify,
)
from skydd.store import Store, open_store
from skydd.store.locks import LockHeld, hold_lock

T0 = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)
ENV = {HOOK_KEY_ENV: HOOK_KEY}
ANNA = {"email": ["anna.svensson@example.se"], "phone": ["+46701234567"]}


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return open_store(f"sqlite:///{tmp_path / 'store.db'}")


def _queue(
    store: Store, path: Path, event: str = "erasure", now: datetime | None = T0
) -> list[str]:
    return notify_recipients(
        store,
        load_map(path),
        event=event,
        request_id="R-test",
        tables=["crm.contacts", "erp.invoices"],
        subject=ANNA,
        now=now,
    )


def test_recipients_are_those_that_received_the_tables(tmp_path: Path) -> None:
    m = load_map(build_company(tmp_path)).datamap
    found = recipients_for(m, ["crm.contacts", "support.tickets", "erp.invoices", "crm.notes"])
    assert found == {
        "mailchimp": {"crm.contacts": ["user.contact.email"]},
        "carrier": {
            "crm.contacts": ["user.contact.phone_number"],
            "support.tickets": ["user.contact.phone_number"],
        },
        "archive": {"erp.invoices": ["user.financial"]},
    }
    assert recipients_for(m, ["crm.companies"]) == {}


def test_each_recipient_gets_only_the_identities_it_holds(tmp_path: Path, store: Store) -> None:
    ids = _queue(store, build_company(tmp_path))
    items = {i.recipient: i for i in list_items(store)}
    assert sorted(items) == ["archive", "carrier", "mailchimp"] and len(ids) == 3
    assert items["mailchimp"].channel == "email" and items["mailchimp"].status == "pending"
    assert items["carrier"].channel == "webhook"
    # No notify address: failed at once, visible in the list, to be told another way.
    assert items["archive"].status == "failed" and "notify" in (items["archive"].last_error or "")
    with store.engine.connect() as conn:
        bodies = {r.recipient: json.loads(r.body) for r in conn.exec_driver_sql(
            "select recipient, body from outbox_items")}  # fmt: skip
    assert bodies["mailchimp"]["subject"] == {"email": ["anna.svensson@example.se"]}
    assert bodies["carrier"]["subject"] == {"phone": ["+46701234567"]}
    assert "subject" not in bodies["archive"]
    records = [r for r in store.audit.records() if r.kind == "notifications-queued"]
    assert records and "anna" not in json.dumps(records[-1].payload)
    assert records[-1].payload["unreachable"] == ["archive"]


def test_email_reaches_a_real_smtp_server(
    tmp_path: Path, store: Store, smtp_server: SmtpServer
) -> None:
    _queue(store, build_company(tmp_path), event="rectification")
    mail = MailSettings(host=smtp_server.host, port=smtp_server.port, sender="dpo@exempel.se")
    report = send_due(store, mail=mail, now=T0, env={})  # the webhook has no key here
    [item] = [i for i in list_items(store) if i.recipient == "mailchimp"]
    assert item.status == "sent" and item.attempts == 1 and item.item_id in report.sent
    [message] = smtp_server.inbox.messages
    assert smtp_server.inbox.envelopes == [("dpo@exempel.se", ["privacy@mailchimp.example"])]
    assert message["Subject"] == "Rectification of personal data (R-test)"  # US: English
    assert message["X-Skydd-Request"] == "R-test"
    text = message.get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert "Article 19" in text and "anna.svensson@example.se" in text
    assert "+46701234567" not in text  # Mailchimp never received phone numbers
    # Once sent, the person's identities leave the store.
    with store.engine.connect() as conn:
        body = conn.exec_driver_sql(
            "select body from outbox_items where item_id = ?", (item.item_id,)
        ).scalar_one()
    assert "anna" not in body and json.loads(body)["cleared"] is True
    [carrier] = [i for i in list_items(store) if i.recipient == "carrier"]
    assert carrier.status == "pending" and "signing key" in (carrier.last_error or "")


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="microseconds")


def _one(store: Store, recipient: str) -> OutboxItem:
    return next(i for i in list_items(store) if i.recipient == recipient)


def test_webhook_fails_twice_then_is_sent_with_backoff(
    tmp_path: Path, store: Store, receiver: Receiver, smtp_server: SmtpServer
) -> None:
    _queue(store, build_company(tmp_path, receiver.url))
    mail = MailSettings(host=smtp_server.host, port=smtp_server.port)

    first = send_due(store, mail=mail, now=T0, env=ENV)
    item = _one(store, "carrier")
    assert item.item_id in first.retrying and item.attempts == 1 and item.status == "pending"
    assert item.last_error and "HTTP 503" in item.last_error
    assert "secret-token" not in item.last_error  # the URL's query may hold a token
    assert item.next_attempt_at == _iso(T0 + timedelta(minutes=1))

    # Not due yet: nothing is sent.
    early = send_due(store, mail=mail, now=T0 + timedelta(seconds=59), env=ENV)
    assert early.as_json() == {"sent": [], "retrying": [], "failed": []}
    assert len(receiver.calls) == 1

    second = send_due(store, mail=mail, now=T0 + timedelta(minutes=1), env=ENV)
    item = _one(store, "carrier")
    assert item.item_id in second.retrying and item.attempts == 2
    # Exponential: 1 minute after the first failure, 2 after the second.
    assert item.next_attempt_at == _iso(T0 + timedelta(minutes=3))

    third = send_due(store, mail=mail, now=T0 + timedelta(minutes=3), env=ENV)
    item = _one(store, "carrier")
    assert third.sent == [item.item_id]
    assert item.status == "sent" and item.attempts == 3 and item.last_error is None
    assert len(receiver.calls) == 3 and len(receiver.accepted) == 1
    assert all(c["valid"] for c in receiver.calls)  # every attempt correctly signed
    assert {c["delivery"] for c in receiver.calls} == {item.item_id}  # one id: dedupable
    body = receiver.accepted[0]["body"]
    assert body["event"] == "erasure" and body["request_id"] == "R-test"
    assert body["tables"] == ["crm.contacts"] and body["subject"] == {"phone": ["+46701234567"]}
    assert "email" not in json.dumps(body["subject"])
    delivered = [r.payload for r in store.audit.records() if r.kind == "notification-delivered"]
    assert {(d["recipient"], d["status"], d["attempts"]) for d in delivered} == {
        ("mailchimp", "sent", 1),
        ("carrier", "sent", 3),
    }


def test_gives_up_after_the_last_attempt(tmp_path: Path, store: Store) -> None:
    path = build_company(tmp_path, "http://127.0.0.1:9/never?token=secret-token")
    notify_recipients(
        store, load_map(path), event="restriction", request_id="R-2",
        tables=["support.tickets"], max_attempts=2, now=T0,
    )  # fmt: skip
    send_due(store, now=T0, env=ENV)
    report = send_due(store, now=T0 + timedelta(hours=1), env=ENV)
    item = _one(store, "carrier")
    assert report.failed == [item.item_id] and item.status == "failed" and item.attempts == 2
    assert item.next_attempt_at is None
    assert item.last_error and "127.0.0.1:9" in item.last_error
    assert "secret-token" not in item.last_error
    assert send_due(store, now=T0 + timedelta(days=1), env=ENV).as_json()["failed"] == []


def test_a_second_sender_finds_the_lock_taken(tmp_path: Path, store: Store) -> None:
    _queue(store, build_company(tmp_path))
    with hold_lock(store.engine, "outbox"), pytest.raises(LockHeld):
        send_due(store, now=T0, env=ENV)
    assert all(i.attempts == 0 for i in list_items(store, status="pending"))


def test_signature_helpers_agree_with_a_receiver() -> None:
    body = b'{"event":"erasure"}'
    header = sign(b"k" * 16, body, 1_800_000_000)
    assert verify(b"k" * 16, header, body, now=1_800_000_100)
    assert not verify(b"k" * 16, header, body + b" ", now=1_800_000_100)
    assert not verify(b"x" * 16, header, body, now=1_800_000_100)
    assert not verify(b"k" * 16, header, body, now=1_800_001_000)  # too old: a replay


def test_mail_settings_and_errors_never_show_an_address(smtp_server: SmtpServer) -> None:
    with pytest.raises(SkyddError, match="SKYDD_SMTP_HOST"):
        MailSettings.from_env({})
    with pytest.raises(SkyddError, match="SKYDD_SMTP_PORT"):
        MailSettings.from_env({"SKYDD_SMTP_HOST": "mail", "SKYDD_SMTP_PORT": "smtp"})
    settings = MailSettings.from_env(
        {"SKYDD_SMTP_HOST": smtp_server.host, "SKYDD_SMTP_PORT": str(smtp_server.port),
         "SKYDD_SMTP_FROM": "dpo@exempel.se", "SKYDD_SMTP_PASSWORD": "hunter2"}
    )  # fmt: skip
    assert "hunter2" not in repr(settings)
    with pytest.raises(SkyddError) as bad:
        send_mail(settings, to="anna.svensson@", subject="x", text="y")
    assert "anna" not in bad.value.render()
    message_id = send_mail(
        settings, to="anna.svensson@example.se", subject="Hej", text="Text", html="<p>Text</p>"
    )
    [message] = smtp_server.inbox.messages
    assert message["Message-ID"] == message_id and message.is_multipart()
    closed = MailSettings(host="127.0.0.1", port=9)
    with pytest.raises(SkyddError, match="127.0.0.1:9") as down:
        send_mail(closed, to="anna.svensson@example.se", subject="x", text="y")
    assert "anna" not in down.value.render()


def test_cli_lists_and_sends(tmp_path: Path, smtp_server: SmtpServer) -> None:
    path = build_company(tmp_path)
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    with open_store(url) as st:
        _queue(st, path, now=None)
    runner = CliRunner()
    listed = runner.invoke(app, ["outbox", "list", "--store", url, "--format", "json"])
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.stdout)
    assert {r["recipient"]: r["status"] for r in rows} == {
        "mailchimp": "pending", "carrier": "pending", "archive": "failed"
    }  # fmt: skip
    assert "anna" not in listed.stdout
    env = {"SKYDD_SMTP_HOST": smtp_server.host, "SKYDD_SMTP_PORT": str(smtp_server.port)}
    sent = runner.invoke(app, ["outbox", "send", "--store", url, "--format", "json"], env=env)
    assert sent.exit_code == 0, sent.output
    assert len(json.loads(sent.stdout)["sent"]) == 1 and len(smtp_server.inbox.messages) == 1
    bad = runner.invoke(app, ["outbox", "list", "--store", url, "--status", "lost"])
    assert bad.exit_code == 2 and "unknown status" in bad.output


def test_erasure_queues_notices_once_and_the_receipt_lists_them(
    tmp_path: Path, store: Store
) -> None:
    from datetime import date

    from skydd.documents.receipt import write_receipt
    from skydd.requests.erasure import erase

    path = build_company(tmp_path)
    result = erase(
        path, {"email": "anna.svensson@example.se"}, store=store, as_of=date(2026, 11, 22),
        out=tmp_path / "receipt", pdf=False,
    )  # fmt: skip
    assert result.verified
    told = {n["recipient"]: n for n in result.as_json()["notified"]}
    # Anna's email and phone were erased from the CRM, her ticket (phone) from support; the
    # invoices are held, so the archive that received them is not told.
    assert set(told) == {"mailchimp", "carrier"}
    assert told["mailchimp"]["channel"] == "email" and told["mailchimp"]["status"] == "pending"
    assert told["carrier"]["tables"] == ["crm.contacts", "support.tickets"]
    items = list_items(store, request_id=result.request_id)
    assert len(items) == 2
    # A rerun of a finished erasure queues nothing more.
    again = erase(path, resume=result.request_id, store=store)
    assert len(again.notified) == 2 and len(list_items(store, request_id=result.request_id)) == 2
    saved = json.loads((tmp_path / "receipt" / "receipt.json").read_text(encoding="utf-8"))
    assert [n["recipient"] for n in saved["notified"]] == ["carrier", "mailchimp"]
    m = load_map(path).datamap
    for lang, heading in (("sv", "Vilka vi har underrättat"), ("en", "Who we have told"),
                          ("da", "Hvem vi har underrettet")):  # fmt: skip
        write_receipt(m, saved, tmp_path / lang, lang=lang, pdf=False)
        html = (tmp_path / lang / "receipt.html").read_text(encoding="utf-8")
        assert heading in html and "Mailchimp (Intuit Inc.)" in html and "Fraktbolaget AB" in html


def test_the_map_refuses_a_webhook_without_a_signing_key(tmp_path: Path) -> None:
    import yaml

    from skydd.errors import MapError

    path = build_company(tmp_path)
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    del raw["recipients"]["carrier"]["notify_secret"]
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(MapError) as bad:
        load_map(path)
    assert "notify_secret" in bad.value.render()
    raw["recipients"]["carrier"]["notify"] = "ftp://carrier.example/in"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(MapError) as wrong:
        load_map(path)
    assert "mailto:ADDRESS" in wrong.value.render()
