"""The DPO's dashboard in a real browser (issue 11): a DPO signs in with a token and walks
every page; the figures shown equal those in Skydd's store; each role sees only its pages.

Screenshots go to $SKYDD_ARTIFACTS/screenshots (default build/screenshots), for CI to keep;
they are looked at, never compared by pixel.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from browser_site import ROOT, Server, serve

from skydd import workflow
from skydd.store import open_store

PAGES = ("overview", "requests", "retention", "consent", "scans", "breaches", "audit", "inventory")
TODAY = dt.date.today()


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, dict[str, str]]]:
    """A small Astrak demo with requests in every state, consent choices, a retention run,
    a scan and an open breach; staff of each role."""
    from skydd.breach.register import open_breach
    from skydd.consent.book import Choice, ConsentBook
    from skydd.consent.ledger import Proof
    from skydd.datamap.loader import load_map
    from skydd.demo import build_demo
    from skydd.retention import run as retention_run
    from skydd.scan import scan

    folder = tmp_path_factory.mktemp("dash")
    result = build_demo("astrak", folder / "astrak", people=200, seed=7)
    store_url = f"sqlite:///{folder / 'store.db'}"
    loaded = load_map(result.map_path)
    tokens: dict[str, str] = {}
    with open_store(store_url) as store:
        for role in ("dpo", "support", "marketing", "auditor"):
            _, tokens[role] = workflow.add_staff(store, f"{role}-staff", role, actor="test")
        now = dt.datetime.now(dt.UTC)
        for i in range(12):
            received = now - dt.timedelta(days=3 * i)
            q = workflow.submit(
                store,
                loaded,
                kind=("access", "erase", "rectify")[i % 3],
                identities={"email": f"person{i}@example.com"},
                channel="web",
                lang="sv",
                actor="test",
                received_at=received,
            )
            if i % 4 == 1:
                workflow.verify(store, q.id, actor="test", method="code by email")
            if i % 4 == 2:
                workflow.refuse(store, q.id, actor="test", reason="manifestly unfounded")
        book = ConsentBook(store, loaded)
        proof = Proof(method="banner", channel="web", language="sv", ip="192.0.2.10")
        book.record_visitors(
            [(f"visitor{i:012d}", Choice(proof=proof, granted=["analytics"])) for i in range(7)]
            + [(f"visitor{i:012d}", Choice(proof=proof, refused=["analytics"])) for i in range(3)]
        )
        open_breach(store, title="Lost laptop", aware_at=now - dt.timedelta(hours=10), actor="t")
    retention_run(loaded, as_of=TODAY, store=store_url)
    scan(loaded, sample=50, store=store_url)
    yield from ((s, tokens) for s in serve(result.map_path, store_url))


def _shots() -> Path:
    folder = Path(os.environ.get("SKYDD_ARTIFACTS", ROOT / "build")) / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _figure(page: Any, name: str) -> int:
    return int(page.locator(f'[data-figure="{name}"]').first.inner_text().replace("\u202f", ""))


def _store_figures(store_url: str) -> dict[str, Any]:
    engine = sa.create_engine(store_url)
    today = TODAY.isoformat()
    open_states = "('received', 'verified', 'in_progress', 'extended')"
    with engine.connect() as conn:
        one = lambda sql: conn.execute(sa.text(sql)).scalar_one()  # noqa: E731
        figures = {
            "open": one(f"SELECT COUNT(*) FROM workflow_requests WHERE state IN {open_states}"),
            "overdue": one(
                f"SELECT COUNT(*) FROM workflow_requests WHERE state IN {open_states} "
                f"AND due < '{today}'"
            ),
            "refused": one("SELECT COUNT(*) FROM workflow_requests WHERE state = 'refused'"),
            "granted": one(
                "SELECT COUNT(*) FROM consent_events WHERE purpose = 'analytics' "
                "AND decision = 'granted'"
            ),
            "refused_consent": one(
                "SELECT COUNT(*) FROM consent_events WHERE purpose = 'analytics' "
                "AND decision = 'refused'"
            ),
            "audit": one("SELECT COUNT(*) FROM audit_events"),
            "critical": one("SELECT critical FROM scan_runs ORDER BY finished_at DESC LIMIT 1"),
        }
    engine.dispose()
    return figures


def test_a_dpo_signs_in_and_walks_every_page(
    dashboard: tuple[Server, dict[str, str]], new_page: Any
) -> None:
    server, tokens = dashboard
    page = new_page()
    page.goto(f"{server.url}/admin/")
    assert "/staff/login" in page.url  # no session: sign in first
    page.get_by_label(re.compile("token", re.I)).fill(tokens["dpo"])
    page.get_by_role("button", name=re.compile("sign|logga", re.I)).click()
    page.goto(f"{server.url}/admin/?lang=en")
    nav = page.get_by_role("navigation", name="Main menu")
    labels = [a.inner_text() for a in nav.get_by_role("link").all()]
    assert len(labels) == len(PAGES)
    shots = _shots()
    for i, label in enumerate(labels):
        nav.get_by_role("link", name=label).click()
        page.wait_for_load_state()
        assert page.locator("h1").first.is_visible()
        page.screenshot(path=str(shots / f"dashboard-{i}-{PAGES[i]}.png"), full_page=True)
    expected = _store_figures(server.store)
    page.goto(f"{server.url}/admin/?lang=en")
    assert _figure(page, "open") == expected["open"]
    assert _figure(page, "overdue") == expected["overdue"]
    assert _figure(page, "state-refused") == expected["refused"]
    page.goto(f"{server.url}/admin/consent?lang=en")
    assert _figure(page, "granted-analytics") == expected["granted"]
    assert _figure(page, "refused-analytics") == expected["refused_consent"]
    assert page.locator("svg.chart title").text_content()
    page.goto(f"{server.url}/admin/audit?lang=en&check=1")
    total = int(re.sub(r"\D", "", page.locator('[data-figure="total"]').inner_text()))
    assert total >= expected["audit"]  # the pages' own staff reads may have added events
    assert "The chain is whole" in page.get_by_role("status").inner_text()
    page.goto(f"{server.url}/admin/scans?lang=en")
    assert _figure(page, "critical") == expected["critical"]
    page.goto(f"{server.url}/admin/breaches?lang=en")
    assert "hours left to notify" in page.locator("main").inner_text()


def test_a_dpo_acts_on_a_request_from_its_page(
    dashboard: tuple[Server, dict[str, str]], new_page: Any
) -> None:
    server, tokens = dashboard
    page = new_page()
    page.goto(f"{server.url}/staff/login")
    page.get_by_label(re.compile("token", re.I)).fill(tokens["dpo"])
    page.get_by_role("button", name=re.compile("sign|logga", re.I)).click()
    page.goto(f"{server.url}/admin/requests?lang=en&state=received")
    page.locator("table.data tbody a").first.click()
    request_id = page.locator("h1").inner_text().split(":")[0]
    page.get_by_label("Reason").first.fill("code sent by email and entered")
    page.get_by_role("button", name="Mark the identity as verified").click()
    assert page.get_by_role("status").inner_text() == "The action has been recorded."
    assert page.locator('[data-figure="state"]').inner_text() == "Identity verified"
    with open_store(server.store) as store:
        assert workflow.get(store, request_id).state.value == "verified"
        assert [e.action for e in workflow.events(store, request_id)][-1] == "verify"


def _get(server: Server, token: str, path: str) -> httpx.Response:
    return httpx.get(
        server.url + path, headers={"Authorization": f"Bearer {token}"}, follow_redirects=False
    )


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("dpo", set(PAGES)),
        ("auditor", set(PAGES)),
        ("support", {"overview", "requests"}),
        ("marketing", {"consent"}),
    ],
)
def test_each_role_sees_only_its_pages(
    dashboard: tuple[Server, dict[str, str]], role: str, allowed: set[str]
) -> None:
    server, tokens = dashboard
    for name in PAGES:
        path = "/admin/" if name == "overview" else f"/admin/{name}"
        answer = _get(server, tokens[role], path)
        if name in allowed:
            assert answer.status_code == 200, (role, name)
        elif name == "overview":
            assert answer.status_code == 303  # sent on to the first page the role may open
        else:
            assert answer.status_code == 403, (role, name)


def test_an_auditor_reads_but_cannot_act(dashboard: tuple[Server, dict[str, str]]) -> None:
    server, tokens = dashboard
    page = _get(server, tokens["auditor"], "/admin/requests?state=received")
    request_id = re.search(r'/admin/requests/([^"]+)"', page.text)
    assert request_id
    detail = _get(server, tokens["auditor"], f"/admin/requests/{request_id.group(1)}")
    assert detail.status_code == 200 and '<form method="post" action="/admin/requests' not in (
        detail.text
    )
    act = httpx.post(
        f"{server.url}/admin/requests/{request_id.group(1)}/verify",
        headers={"Authorization": f"Bearer {tokens['auditor']}"},
        data={"reason": "x"},
    )
    assert act.status_code == 403


def test_without_a_token_every_page_sends_to_sign_in(
    dashboard: tuple[Server, dict[str, str]],
) -> None:
    server, _ = dashboard
    for name in PAGES:
        path = "/admin/" if name == "overview" else f"/admin/{name}"
        answer = httpx.get(server.url + path, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"] == "/staff/login"
