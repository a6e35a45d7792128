"""The cookie banner in a real browser (issue 8): first visit, reject, accept, GPC,
re-consent on a new notice version, keyboard only, and one ledger event per choice."""

from __future__ import annotations

import gzip
import json
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from browser_site import Server, serve

OPTIONAL = sorted(["preferences", "analytics", "marketing"])


def _open(page: Any, server: Server, lang: str = "sv") -> None:
    page.goto(f"{server.url}/consent/demo?lang={lang}")
    page.wait_for_load_state("networkidle")


def _choose(page: Any, button: str) -> None:
    with page.expect_response(re.compile(r"/consent/choice$")) as answer:
        page.get_by_role("button", name=button).click()
    assert answer.value.status == 201


def _events(server: Server, n: int) -> list[dict[str, Any]]:
    """The ledger once it holds n events (a choice is posted in the background)."""
    deadline = time.monotonic() + 10
    while len(found := server.events()) < n and time.monotonic() < deadline:
        time.sleep(0.05)
    return found


def _cookies(page: Any) -> set[str]:
    return {c["name"] for c in page.context.cookies()}


def _ran(page: Any) -> list[str]:
    return list(page.evaluate("window.skyddDemoRan || []"))


def test_first_visit_shows_the_banner_with_three_equal_choices(
    server: Server, new_page: Callable[..., Any]
) -> None:
    page = new_page()
    _open(page, server)
    dialog = page.get_by_role("dialog", name="Vi använder kakor")
    assert dialog.is_visible()
    buttons = [b.inner_text() for b in dialog.get_by_role("button").all()]
    assert buttons[:3] == ["Godkänn alla", "Avvisa alla", "Inställningar"]
    # Accept and Reject are equally easy: the same size, one click each.
    accept = dialog.get_by_role("button", name="Godkänn alla").bounding_box()
    reject = dialog.get_by_role("button", name="Avvisa alla").bounding_box()
    assert accept and reject and abs(accept["height"] - reject["height"]) < 1
    assert _ran(page) == []
    assert server.events() == []  # showing the banner is not a choice


def test_reject_all_sets_no_optional_cookie_runs_nothing_and_writes_one_event(
    server: Server, new_page: Callable[..., Any]
) -> None:
    page = new_page()
    _open(page, server)
    _choose(page, "Avvisa alla")
    page.wait_for_timeout(100)
    assert _ran(page) == []
    assert _cookies(page) == {"cookie_consent"}  # the map's own necessary cookie only
    assert not page.get_by_role("dialog").count()
    events = server.events()
    assert len(events) == 1
    e = events[0]
    assert sorted(e["refused"]) == OPTIONAL and e["granted"] == []
    assert e["method"] == "banner" and e["channel"] == "web" and e["language"] == "sv"
    assert e["notice_version"].startswith("map-") and len(e["notice_hash"]) == 64
    assert e["ip_hash"] and "127.0.0" not in e["ip_hash"]  # the network, hashed, never in clear
    assert e["subject_kind"] == "visitor"
    # The next page view neither asks again nor writes again.
    _open(page, server)
    assert not page.get_by_role("dialog").count()
    assert len(server.events()) == 1
    # A site that renders on its server can ask the same with the visitor id of the cookie.
    kept = json.loads(
        unquote(next(c for c in page.context.cookies() if c["name"] == "cookie_consent")["value"])
    )
    standing = httpx.get(f"{server.url}/consent/config", params={"visitor": kept["id"]}).json()
    assert standing["show_banner"] is False
    assert standing["choice"]["decisions"] == dict.fromkeys(OPTIONAL, "refused")
    other = httpx.get(f"{server.url}/consent/config", params={"visitor": "f" * 32}).json()
    assert other["show_banner"] is True and other["choice"] is None


def test_accept_all_runs_the_held_back_scripts(
    server: Server, new_page: Callable[..., Any]
) -> None:
    page = new_page()
    _open(page, server)
    _choose(page, "Godkänn alla")
    page.wait_for_function("(window.skyddDemoRan || []).length === 3")
    assert sorted(_ran(page)) == OPTIONAL
    assert {f"skydd_demo_{c}" for c in OPTIONAL} <= _cookies(page)
    events = server.events()
    assert len(events) == 1 and sorted(events[0]["granted"]) == OPTIONAL
    # Consent Mode v2 heard the update.
    updates = page.evaluate(
        "dataLayer.filter(a => a[0] === 'consent' && a[1] === 'update').map(a => a[2])"
    )
    assert updates[-1]["analytics_storage"] == "granted"
    assert updates[-1]["ad_user_data"] == "granted"


def test_gpc_is_a_refusal_without_asking(server: Server, new_page: Callable[..., Any]) -> None:
    page = new_page(gpc=True)
    page.goto(f"{server.url}/consent/demo?lang=sv")
    events = _events(server, 1)
    page.wait_for_timeout(200)
    assert not page.get_by_role("dialog").count()
    assert _ran(page) == []
    assert _cookies(page) == {"cookie_consent"}
    assert len(events) == 1
    assert sorted(events[0]["refused"]) == OPTIONAL and events[0]["granted"] == []
    assert events[0]["method"] == "gpc" and events[0]["evidence"]["gpc"] is True
    defaults = page.evaluate(
        "dataLayer.filter(a => a[0] === 'consent' && a[1] === 'default').map(a => a[2])"
    )
    assert defaults[0]["ad_storage"] == "denied"


def test_a_new_notice_version_brings_the_banner_back(
    server: Server, new_page: Callable[..., Any], company: Path, tmp_path: Path
) -> None:
    page = new_page()
    _open(page, server)
    _choose(page, "Avvisa alla")
    first = server.events()[0]["notice_version"]
    # The company adds a cookie: the banner's version changes, the same browser is asked again.
    text = company.read_text(encoding="utf-8")
    changed = text.replace(
        "cookies:\n",
        "cookies:\n  - name: new_pixel\n    category: marketing\n    purpose: A new pixel.\n"
        "    lifetime: 3 months\n",
        1,
    )
    assert changed != text
    company.write_text(changed, encoding="utf-8")
    second: Iterator[Server] = serve(company, server.store)
    other = next(second)
    try:
        _open(page, other)
        assert page.get_by_role("dialog").is_visible()
        _choose(page, "Avvisa alla")
        events = other.events()
        assert len(events) == 2 and events[1]["notice_version"] != first
    finally:
        next(second, None)


def test_the_banner_works_by_keyboard_alone(server: Server, new_page: Callable[..., Any]) -> None:
    page = new_page()
    _open(page, server)
    # Focus is moved to the banner when it appears.
    assert page.evaluate("document.activeElement.id") == "skydd-cb-h"
    stops = []
    for _ in range(4):
        page.keyboard.press("Tab")
        stops.append(page.evaluate("document.activeElement.textContent"))
    # The privacy notice link, then the three choices in the order they are shown.
    assert stops == [
        "Läs mer i vår integritetspolicy",
        "Godkänn alla",
        "Avvisa alla",
        "Inställningar",
    ]
    page.keyboard.press("Enter")
    assert page.get_by_role("checkbox", name="Statistik").is_visible()
    # Focus went to the first choice that can change (the necessary one is fixed).
    assert page.evaluate("document.activeElement.dataset.cat") == "preferences"
    while page.evaluate("document.activeElement.dataset.cat") != "analytics":
        page.keyboard.press("Tab")
    page.keyboard.press("Space")
    while page.evaluate("document.activeElement.dataset.a") != "save":
        page.keyboard.press("Tab")
    with page.expect_response(re.compile(r"/consent/choice$")):
        page.keyboard.press("Enter")
    page.wait_for_function("(window.skyddDemoRan || []).length === 1")
    assert _ran(page) == ["analytics"]
    events = server.events()
    assert len(events) == 1 and events[0]["granted"] == ["analytics"]
    assert sorted(events[0]["refused"]) == ["marketing", "preferences"]
    assert events[0]["method"] == "settings"


def test_the_settings_link_reopens_the_banner_and_a_withdrawal_is_recorded(
    server: Server, new_page: Callable[..., Any]
) -> None:
    page = new_page()
    _open(page, server)
    _choose(page, "Godkänn alla")
    # A marketing cookie the map declares (Force24's), as its script would have set it.
    page.context.add_cookies([{"name": "F24_personID", "value": "x", "url": server.url}])
    page.get_by_role("link", name="Ändra dina kakinställningar").click()
    page.get_by_role("checkbox", name="Marknadsföring").uncheck()
    with page.expect_navigation():  # a withdrawal reloads, so that nothing keeps running
        page.get_by_role("button", name="Spara mina val").click()
    events = _events(server, 2)
    page.wait_for_function("(window.skyddDemoRan || []).length === 2")
    assert "F24_personID" not in _cookies(page)  # declared first-party cookies are removed
    assert sorted(_ran(page)) == ["analytics", "preferences"]
    assert len(events) == 2
    assert events[1]["refused"] == ["marketing"]


@pytest.mark.parametrize("lang", ["sv", "en", "da"])
def test_script_and_styles_stay_under_8_kb_gzipped(server: Server, lang: str) -> None:
    script = httpx.get(f"{server.url}/consent/banner.js?lang={lang}").content
    styles = httpx.get(f"{server.url}/consent/banner.css").content
    size = len(gzip.compress(script, 9)) + len(gzip.compress(styles, 9))
    assert size <= 8 * 1024, size


def test_a_bad_choice_is_refused_and_writes_nothing(server: Server) -> None:
    bad = [
        b"not json",
        b"{}",
        b'{"visitor": "0123456789abcdef0123", "granted": ["necessary"]}',
        b'{"visitor": "0123456789abcdef0123", "granted": ["analytics"], "refused": ["analytics"]}',
        b'{"visitor": "short", "granted": ["analytics"]}',
        b'{"visitor": "0123456789abcdef0123", "granted": ["analytics"], "method": "silence"}',
    ]
    for body in bad:
        answer = httpx.post(f"{server.url}/consent/choice", content=body)
        assert answer.status_code == 400, body
        assert answer.json()["detail"]
    assert server.events() == []
