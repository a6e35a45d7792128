"""Security headers on every page, CSRF refusal, rate limits, and answers that do not tell
a known person from an unknown one (same status, body and timing)."""

from __future__ import annotations

import re
import statistics
import time
from pathlib import Path

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from test_public import csrf_of, submit_form
from web_site import KNOWN, UNKNOWN, Mailbox, Site, TestClient, code_in, settings_for

from skydd import workflow
from skydd.web import create_app
from skydd.web.security import RateLimiter
from skydd.web.signing import Signer

HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}


def _pages(site: Site) -> list[str]:
    """Every GET path of the app (path parameters filled with something unknown)."""
    paths = []
    for context in iter_route_contexts(site.app.routes):
        if isinstance(context.original_route, APIRoute) and "GET" in (context.methods or ()):
            paths.append(re.sub(r"\{[^}]+\}", "unknown-thing", context.path or "/"))
    return paths + ["/openapi.json", "/static/skydd.css", "/no/such/page"]


def assert_secure_headers(headers: dict[str, str], path: str) -> None:
    csp = headers.get("content-security-policy", "")
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp, path
    assert "unsafe-inline" not in csp, path
    for name, value in HEADERS.items():
        assert headers.get(name) == value, (path, name)


def test_security_headers_on_every_page(site: Site) -> None:
    paths = _pages(site)
    assert len(paths) >= 8
    for path in paths:
        reply = site.client.get(path)
        assert reply.status_code < 500, path
        assert_secure_headers(dict(reply.headers), path)
        assert "strict-transport-security" not in reply.headers  # served over http here


def test_hsts_when_the_base_url_is_https(small_map: Path, mailbox: Mailbox) -> None:
    settings = settings_for(small_map, mailbox.port, base_url="https://privacy.example.se")
    with TestClient(create_app(small_map, settings=settings)) as client:
        reply = client.get("/")
    assert reply.headers["strict-transport-security"].startswith("max-age=")
    assert "secure" in reply.headers["set-cookie"].lower()


def test_cookies_are_http_only_and_strict(site: Site) -> None:
    cookie = site.client.get("/").headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie


def test_a_form_without_the_csrf_token_is_refused(site: Site) -> None:
    data = {"kind": "access", "email": KNOWN}
    refused = site.client.post("/requests", data=data, follow_redirects=False)
    assert refused.status_code == 403
    other = TestClient(site.app)  # a token from another browser does not match this cookie
    forged = csrf_of(other.get("/").text)
    site.client.get("/")
    refused = site.client.post("/requests", data={**data, "csrf": forged}, follow_redirects=False)
    assert refused.status_code == 403
    assert workflow.list_requests(site.store) == []
    assert site.client.post("/staff/login", data={"token": "x"}).status_code == 403


def test_public_posts_are_rate_limited(small_map: Path, mailbox: Mailbox) -> None:
    settings = settings_for(small_map, mailbox.port, rate_burst=3, rate_per_minute=0.5)
    with TestClient(create_app(small_map, settings=settings)) as client:
        body = {"kind": "access", "email": UNKNOWN}
        codes = [client.post("/api/requests", json=body).status_code for _ in range(4)]
        assert codes == [202, 202, 202, 429]
        limited = client.post("/api/requests", json=body)
        assert int(limited.headers["retry-after"]) > 0
        page = client.get("/?lang=en")
        form = client.post("/requests?lang=en", data={"csrf": csrf_of(page.text)})
        assert form.status_code == 429 and "too many requests" in form.text
        assert client.get("/").status_code == 200  # reading is not limited


def test_the_rate_limiter_refills_and_keeps_clients_apart() -> None:
    limiter = RateLimiter(Signer(b"k" * 40), burst=2, per_minute=60.0)
    assert [limiter.allow("10.0.0.1", now=0.0) for _ in range(3)][:2] == [0.0, 0.0]
    assert limiter.allow("10.0.0.1", now=0.0) > 0
    assert limiter.allow("10.0.0.2", now=0.0) == 0.0
    assert limiter.allow("10.0.0.1", now=1.5) == 0.0  # one token back after a second
    assert all("10.0.0" not in key for key in limiter._buckets)  # keyed hashes, no addresses


def _normalised(text: str, reference: str) -> str:
    text = text.replace(reference, "REF")
    return re.sub(r'name="csrf" value="[^"]+"', 'name="csrf" value="X"', text)


def _submit_timed(site: Site, email: str) -> tuple[int, str, float]:
    page = site.client.get("/?lang=en")
    data = {"csrf": csrf_of(page.text), "kind": "access", "email": email}
    start = time.perf_counter()
    done = site.client.post("/requests?lang=en", data=data, follow_redirects=False)
    took = time.perf_counter() - start
    reference = done.headers["location"].split("/")[2]
    follow = site.client.get(done.headers["location"])
    return done.status_code, _normalised(done.text + follow.text, reference), took


def test_known_and_unknown_people_get_the_same_status_body_and_timing(site: Site) -> None:
    timings: dict[str, list[float]] = {KNOWN: [], UNKNOWN: []}
    answers: dict[str, set[tuple[int, str]]] = {KNOWN: set(), UNKNOWN: set()}
    for _ in range(6):
        for email in (KNOWN, UNKNOWN):
            status, body, took = _submit_timed(site, email)
            answers[email].add((status, body))
            timings[email].append(took)
    assert answers[KNOWN] == answers[UNKNOWN] and len(answers[KNOWN]) == 1
    known, unknown = (statistics.median(timings[e]) for e in (KNOWN, UNKNOWN))
    assert abs(known - unknown) < max(0.05, 0.5 * min(known, unknown)), (known, unknown)


@pytest.mark.parametrize("email", [KNOWN, UNKNOWN])
def test_verification_answers_alike_for_known_and_unknown(site: Site, email: str) -> None:
    verify_path = submit_form(site, email, lang="en")
    code = code_in(site.mailbox.wait_for(email))
    page = site.client.get(verify_path)
    done = site.client.post(
        verify_path.split("?")[0] + "?lang=en",
        data={"csrf": csrf_of(page.text), "code": code},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"].endswith("&verified=1")
    shown = site.client.get(done.headers["location"]).text
    assert 'data-state="verified"' in shown and "we have started on your request" in shown


def test_a_crash_is_a_plain_500_with_no_personal_data_logged(
    small_map: Path, mailbox: Mailbox, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(small_map, settings=settings_for(small_map, mailbox.port))

    @app.get("/api/crash")
    def crash_api() -> None:
        raise ValueError(f"parameters: ({KNOWN!r},)")

    @app.get("/crash")
    def crash_page() -> None:
        raise ValueError(f"parameters: ({KNOWN!r},)")

    with TestClient(app) as client:
        api = client.get("/api/crash")
        page = client.get("/crash?lang=en")
    assert api.status_code == 500 and api.json() == {"detail": "internal error"}
    assert page.status_code == 500 and "went wrong on our side" in page.text
    assert_secure_headers(dict(page.headers), "/crash")
    assert KNOWN not in caplog.text and "ValueError" in caplog.text


def test_nothing_about_the_person_is_looked_up_before_verification(site: Site) -> None:
    """The company's databases are taken away: submitting and verifying still answer the
    same, so neither can have looked anything up (timing cannot depend on the person)."""
    for name in ("crm.db", "erp.db"):
        (site.map_path.parent / name).rename(site.map_path.parent / f"{name}.away")
    reply = site.client.post("/api/requests", json={"kind": "access", "email": KNOWN})
    assert reply.status_code == 202
    code = code_in(site.mailbox.wait_for(KNOWN))
    done = site.client.post(
        f"/api/requests/{reply.json()['reference']}/verify", json={"code": code}
    )
    assert done.status_code == 200 and done.json()["state"] == "verified"
