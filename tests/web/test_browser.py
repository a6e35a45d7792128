"""A real browser (Debian's chromium, driven by Playwright) against `skydd serve` in a subprocess:
submit through the form, read the code from a real SMTP server on loopback, verify, see the
status. In Swedish and in English."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from aiosmtpd.controller import Controller
from web_site import KNOWN, UNKNOWN, Mailbox, build_company, code_in, free_port

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="chromium is not installed (apt-get install chromium)"
)


@pytest.fixture(scope="module")
def mailbox() -> Iterator[Mailbox]:
    """One SMTP server for the module (the two languages share one `skydd serve`)."""
    box = Mailbox()
    box.port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, mailbox: Mailbox) -> Iterator[str]:
    """`skydd serve` on a free loopback port, mailing through the test's SMTP server."""
    small_map = build_company(tmp_path_factory.mktemp("browser"))
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SKYDD_")}
    env.update(
        SKYDD_SMTP_HOST="127.0.0.1",
        SKYDD_SMTP_PORT=str(mailbox.port),
        SKYDD_SMTP_FROM="privacy@exempel.se",
        SKYDD_SECRET_KEY="browser-test-secret-" + "x" * 40,
    )
    skydd = Path(sys.executable).with_name("skydd")
    command = [str(skydd), "serve", "--map", str(small_map), "--port", str(port)]
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, server)
        yield base
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=10)
        assert KNOWN not in output and UNKNOWN not in output, "an address reached the log"


def _wait_until_up(base: str, server: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"skydd serve exited: {server.communicate()[0]}")
        try:
            if httpx.get(base + "/static/skydd.css", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError("skydd serve did not start within 30 s")


@pytest.mark.parametrize(
    ("lang", "email", "submit", "confirm", "verified"),
    [
        ("sv", KNOWN, "Skicka", "Bekräfta", "E-postadressen är bekräftad"),
        ("en", UNKNOWN, "Send", "Confirm", "Email address confirmed"),
    ],
)
def test_a_person_asks_verifies_and_sees_the_status(
    served: str, mailbox: Mailbox, lang: str, email: str, submit: str, confirm: str, verified: str
) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(java_script_enabled=False)  # the form needs none
            page.goto(f"{served}/?lang={lang}")
            assert page.locator("html").get_attribute("lang") == lang
            page.locator("input[name=kind][value=access]").check()
            page.fill("#email", email)
            page.get_by_role("button", name=submit).click()
            page.wait_for_url("**/verify?lang=*")
            code = code_in(mailbox.wait_for(email))
            page.fill("#code", code)
            page.get_by_role("button", name=confirm).click()
            page.wait_for_url("**verified=1")
            assert page.locator("#state").get_attribute("data-state") == "verified"
            assert verified in page.locator("#state").inner_text()
            assert page.locator("#reference").inner_text().strip()
        finally:
            browser.close()
