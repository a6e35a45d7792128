"""The public side through the test client: form, code by mail, verification, status, API."""

from __future__ import annotations

import re

from web_site import KNOWN, UNKNOWN, Site, code_in, link_in

from skydd import workflow


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field on the page"
    return found.group(1)


def submit_form(site: Site, email: str, lang: str = "sv", **fields: str) -> str:
    """Submit the form; return the page it redirects to (the verify page's path)."""
    page = site.client.get(f"/?lang={lang}")
    data = {"csrf": csrf_of(page.text), "kind": "access", "email": email, **fields}
    done = site.client.post(f"/requests?lang={lang}", data=data, follow_redirects=False)
    assert done.status_code == 303, done.text
    return str(done.headers["location"])


def test_the_form_is_in_three_languages(site: Site) -> None:
    for lang, words in (("sv", "E-post"), ("en", "email address"), ("da", "e-mailadresse")):
        page = site.client.get(f"/?lang={lang}")
        assert page.status_code == 200
        assert f'<html lang="{lang}">' in page.text
        assert words.lower() in page.text.lower()
        assert "<script" not in page.text and "style=" not in page.text


def test_accept_language_picks_the_page_language(site: Site) -> None:
    page = site.client.get("/", headers={"Accept-Language": "da-DK,da;q=0.9,en;q=0.5"})
    assert '<html lang="da">' in page.text
    page = site.client.get("/", headers={"Accept-Language": "fr-FR, en-GB;q=0.8"})
    assert '<html lang="en">' in page.text
    page = site.client.get("/")  # nothing asked: the controller's country (SE)
    assert '<html lang="sv">' in page.text


def test_a_request_is_verified_by_the_mailed_code(site: Site) -> None:
    verify_path = submit_form(site, KNOWN)
    mail = site.mailbox.wait_for(KNOWN)
    assert "Din kod" in str(mail["Subject"])
    code = code_in(mail)
    page = site.client.get(verify_path)
    done = site.client.post(
        verify_path.split("?")[0] + "?lang=sv",
        data={"csrf": csrf_of(page.text), "code": code},
        follow_redirects=True,
    )
    assert done.status_code == 200
    assert 'data-state="verified"' in done.text
    request_id = re.search(r'id="reference">([^<]+)<', done.text)
    assert request_id
    stored = workflow.get(site.store, request_id.group(1))
    assert stored.state == workflow.State.verified and stored.channel == "web"


def test_a_request_is_verified_by_the_mailed_link(site: Site) -> None:
    submit_form(site, KNOWN, lang="en")
    link = link_in(site.mailbox.wait_for(KNOWN)).replace("http://testserver", "")
    page = site.client.get(link)
    assert page.status_code == 200 and 'name="link"' in page.text
    token = re.search(r'name="link" value="([^"]+)"', page.text)
    action = re.search(r'action="([^"]+/verify[^"]*)"', page.text)
    assert token and action
    done = site.client.post(
        action.group(1).replace("&amp;", "&"),
        data={"csrf": csrf_of(page.text), "link": token.group(1)},
    )
    assert 'data-state="verified"' in done.text


def test_wrong_codes_are_counted_and_then_spent(site: Site) -> None:
    verify_path = submit_form(site, KNOWN, lang="en")
    real = code_in(site.mailbox.wait_for(KNOWN))
    wrong = f"{(int(real) + 1) % 1_000_000:06d}"
    page = site.client.get(verify_path)
    target = verify_path.split("?")[0] + "?lang=en"
    for left in (4, 3, 2, 1):
        done = site.client.post(target, data={"csrf": csrf_of(page.text), "code": wrong})
        assert done.status_code == 400 and f"{left} attempts left" in done.text
    done = site.client.post(target, data={"csrf": csrf_of(page.text), "code": wrong})
    assert "tried too many times" in done.text
    done = site.client.post(target, data={"csrf": csrf_of(page.text), "code": real})
    assert "tried too many times" in done.text  # the right code no longer helps


def test_known_and_unknown_addresses_get_the_same_answer(site: Site) -> None:
    answers = []
    for email in (KNOWN, UNKNOWN):
        reply = site.client.post("/api/requests", json={"kind": "access", "email": email})
        assert reply.status_code == 202
        body = reply.json()
        reference = body.pop("reference")
        body["status_url"] = body["status_url"].replace(reference, "REF")
        answers.append((reply.status_code, body))
    assert answers[0] == answers[1]


def test_the_api_submits_verifies_and_reports_status(site: Site) -> None:
    reply = site.client.post(
        "/api/requests", json={"kind": "erase", "email": UNKNOWN, "lang": "da"}
    )
    reference = reply.json()["reference"]
    assert site.client.get(f"/api/requests/{reference}").json()["state"] == "received"
    code = code_in(site.mailbox.wait_for(UNKNOWN))
    assert "Din kode" in str(site.mailbox.wait_for(UNKNOWN)["Subject"])
    wrong = site.client.post(f"/api/requests/{reference}/verify", json={"code": "000000x"})
    assert wrong.status_code == 400
    done = site.client.post(f"/api/requests/{reference}/verify", json={"code": code})
    assert done.status_code == 200 and done.json()["state"] == "verified"
    assert done.json()["due"]
    assert site.client.get("/api/requests/forged.reference.x").status_code == 404


def test_a_form_with_mistakes_is_shown_again_with_working_language_links(site: Site) -> None:
    page = site.client.get("/?lang=en")
    again = site.client.post(
        "/requests?lang=en", data={"csrf": csrf_of(page.text), "kind": "access", "email": "nope"}
    )
    assert again.status_code == 400 and "Please check what you entered" in again.text
    assert 'value="nope"' in again.text
    link = re.search(r'href="(/requests\?lang=da)"', again.text)
    assert link
    assert '<html lang="da">' in site.client.get(link.group(1)).text
