"""Fixtures of the web tests: the small company, a real SMTP server on loopback (aiosmtpd)
that keeps what it receives, and the app behind a test client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from web_site import Mailbox, Site, TestClient, build_company, free_port, settings_for

from skydd.web import create_app

_ENV = (
    "SKYDD_DATABASE_URL",
    "SKYDD_AUDIT_ANCHOR",
    "SKYDD_AUDIT_KEY",
    "SKYDD_MAP",
    "SKYDD_SECRET_KEY",
    "SKYDD_SMTP_HOST",
    "SKYDD_BASE_URL",
)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in _ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    box = Mailbox()
    box.port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


@pytest.fixture
def small_map(tmp_path: Path) -> Path:
    return build_company(tmp_path)


@pytest.fixture
def site(small_map: Path, mailbox: Mailbox) -> Iterator[Site]:
    settings = settings_for(small_map, mailbox.port, rate_burst=1000, rate_per_minute=1000.0)
    app = create_app(small_map, settings=settings)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Site(app, client, mailbox, small_map, settings)
