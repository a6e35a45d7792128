"""Reminders to the DPO and messages to the person, sent through a real SMTP server."""

from __future__ import annotations

import datetime as dt

import pytest
from workflow_company import Smtp

from skydd.datamap.loader import LoadedMap
from skydd.errors import SkyddError
from skydd.mail import MailSettings
from skydd.store import Store
from skydd.workflow import (
    complete,
    due_reminders,
    events,
    extend,
    get,
    notify_person,
    person_message,
    refuse,
    send_reminders,
    start,
    submit,
    verify,
)

DAY = dt.date(2025, 3, 5)


def at(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC)


def settings(smtp: Smtp) -> MailSettings:
    return MailSettings(host=smtp.host, port=smtp.port, sender="privacy@exempel.se")


@pytest.mark.parametrize("lang", ["sv", "en", "da"])
def test_a_refusal_names_the_authority_and_the_courts(lang: str) -> None:
    words = {"sv": ("Integritetsskyddsmyndigheten", "domstol"),
             "en": ("Integritetsskyddsmyndigheten", "court"),
             "da": ("Integritetsskyddsmyndigheten", "domstolene")}  # fmt: skip
    subject, text = person_message(
        "refused", lang, request_id="RQ-1", request_kind="access", controller="Exempel AB",
        reason="the request repeats one answered last week", country="SE",
    )  # fmt: skip
    authority, court = words[lang]
    assert "RQ-1" in subject and authority in text and court in text
    assert "imy.se" in text
    assert "the request repeats one answered last week." in text
    assert text.rstrip().endswith("Exempel AB")


@pytest.mark.parametrize(
    ("country", "lang", "name"),
    [
        ("DK", "da", "Datatilsynet"),
        ("GB", "en", "Information Commissioner"),
        ("SE", "sv", "Integritetsskyddsmyndigheten"),
    ],
)
def test_the_complaint_route_follows_the_controllers_country(
    country: str, lang: str, name: str
) -> None:
    _, text = person_message("refused", lang, request_id="RQ-2", request_kind="erase",
                             controller="X", reason="Excessive.", country=country)  # fmt: skip
    assert name in text


@pytest.mark.parametrize(
    ("lang", "date_text", "noun"),
    [("sv", "5 juni 2025", "registerutdrag"), ("en", "5 June 2025", "copy of your personal data"),
     ("da", "5. juni 2025", "indsigt")],
)  # fmt: skip
def test_an_extension_message_gives_the_new_date_and_the_reason(
    lang: str, date_text: str, noun: str
) -> None:
    subject, text = person_message(
        "extended", lang, request_id="RQ-3", request_kind="access", controller="Exempel AB",
        due=dt.date(2025, 6, 5), reason="Your data is in six systems",
    )  # fmt: skip
    assert date_text in text and noun in subject and "Your data is in six systems." in text
    assert "12" in text  # Art. 12(3)


def test_a_completion_message_may_carry_a_link_and_every_language_differs() -> None:
    texts = {
        lang: person_message(
            "completed",
            lang,
            request_id="RQ-4",
            request_kind="erase",
            controller="Exempel AB",
            link="https://x.example/d/abc",
        )  # fmt: skip
        for lang in ("sv", "en", "da")
    }
    assert len({t for _, t in texts.values()}) == 3
    assert all("https://x.example/d/abc" in t for _, t in texts.values())
    assert "radering" in texts["sv"][0] and "erasure" in texts["en"][0]
    assert "sletning" in texts["da"][0]


def test_a_message_without_what_it_needs_is_an_error() -> None:
    kw = {"request_id": "RQ-5", "request_kind": "access", "controller": "X"}
    with pytest.raises(SkyddError, match="needs the reason"):
        person_message("refused", "sv", **kw)
    with pytest.raises(SkyddError, match="new deadline"):
        person_message("extended", "sv", reason="Many.", **kw)
    with pytest.raises(SkyddError, match="unknown language"):
        person_message("completed", "de", **kw)
    with pytest.raises(SkyddError, match="unknown message"):
        person_message("lost", "sv", **kw)


def _new(store: Store, loaded: LoadedMap, day: dt.date, lang: str = "sv") -> str:
    return submit(store, loaded, kind="access", identities={"email": "anna.svensson@example.se"},
                  channel="web", lang=lang, received_at=at(day), actor="web").id  # fmt: skip


def test_reminders_come_once_per_threshold_and_reach_the_dpo(
    store: Store, loaded: LoadedMap, smtp: Smtp
) -> None:
    a = _new(store, loaded, DAY)  # due 7 April 2025
    b = _new(store, loaded, dt.date(2025, 3, 12))  # due 14 April 2025
    done = _new(store, loaded, DAY)
    refuse(store, done, actor="dpo", reason="Duplicate.")
    assert due_reminders(store, dt.date(2025, 3, 30)) == []
    first = due_reminders(store, dt.date(2025, 3, 31))
    assert [(r.request_id, r.threshold, r.days_left) for r in first] == [(a, 7, 7)]
    sent = send_reminders(store, loaded, dt.date(2025, 3, 31), settings=settings(smtp))
    assert sent == first
    assert len(smtp.inbox.messages) == 1
    mail = smtp.inbox.messages[0]
    assert mail["To"] == "dpo@exempel.se" and a in mail.get_payload()
    assert "anna" not in mail.get_payload()
    assert due_reminders(store, dt.date(2025, 4, 1)) == []  # the 7-day one was sent
    # A run missed for days: the tightest threshold reached, once, overdue included.
    later = due_reminders(store, dt.date(2025, 4, 9))
    assert [(r.request_id, r.threshold, r.days_left) for r in later] == [(a, 2, -2), (b, 7, 5)]
    send_reminders(store, loaded, dt.date(2025, 4, 9), settings=settings(smtp))
    assert due_reminders(store, dt.date(2025, 4, 10)) == []
    assert [e.action for e in events(store, a)][-2:] == ["remind", "remind"]


@pytest.mark.parametrize("lang", ["sv", "en", "da"])
def test_the_person_is_told_in_their_language(
    store: Store, loaded: LoadedMap, smtp: Smtp, lang: str
) -> None:
    rid = _new(store, loaded, DAY, lang)
    verify(store, rid, actor="dpo", method="email-code", at=at(DAY))
    start(store, rid, actor="dpo", at=at(DAY))
    extended = extend(store, rid, actor="dpo", reason="Many requests at once",
                      told_at=DAY, at=at(DAY))  # fmt: skip
    assert notify_person(store, loaded, extended, settings=settings(smtp))
    done = complete(store, rid, actor="dpo", result_ref="R-1", at=at(dt.date(2025, 4, 1)))
    notify_person(store, loaded, done, settings=settings(smtp), link="https://x.example/d/1")
    subjects = [m["Subject"] for m in smtp.inbox.messages]
    assert len(subjects) == 2 and all(rid in s for s in subjects)
    assert all(m["To"] == "anna.svensson@example.se" for m in smtp.inbox.messages)
    expected = person_message("completed", lang, request_id=rid, request_kind="access",
                              controller="Exempel AB", link="https://x.example/d/1")  # fmt: skip
    body = smtp.inbox.messages[1].get_payload(decode=True).decode().replace("\r\n", "\n")
    assert body.strip() == expected[1].strip()
    assert [e.details for e in events(store, rid) if e.action == "notify"] == [
        {"message": "extended"},
        {"message": "completed"},
    ]
    with pytest.raises(SkyddError, match="without its identities"):
        notify_person(store, loaded, get(store, rid), settings=settings(smtp))


def test_no_email_means_no_mail_and_an_open_request_has_nothing_to_tell(
    store: Store, loaded: LoadedMap, smtp: Smtp
) -> None:
    by_phone = submit(store, loaded, kind="access", identities={"phone": "070-123 45 67"},
                      channel="phone", lang="sv", received_at=at(DAY), actor="support")  # fmt: skip
    with pytest.raises(SkyddError, match="nothing to tell"):
        notify_person(store, loaded, by_phone, settings=settings(smtp))
    refused = refuse(store, by_phone.id, actor="dpo", reason="Not our customer.")
    assert notify_person(store, loaded, refused, settings=settings(smtp)) is None
    assert smtp.inbox.messages == []
