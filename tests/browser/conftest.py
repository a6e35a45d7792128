"""Fixtures of the browser tests: Chromium through Playwright, and the app on loopback."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_site import ARGS, CHROMIUM, GPC_SCRIPT, ROOT, Server, serve


@pytest.fixture
def company(tmp_path: Path) -> Path:
    """Astrak's data map (its cookies in four categories, third-party services)."""
    folder = tmp_path / "astrak"
    folder.mkdir()
    shutil.copy(ROOT / "examples" / "astrak" / "privacy.yaml", folder / "privacy.yaml")
    return folder / "privacy.yaml"


@pytest.fixture
def server(company: Path, tmp_path: Path) -> Iterator[Server]:
    yield from serve(company, f"sqlite:///{tmp_path / 'store.db'}")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Chromium for one test module: Playwright's sync API runs its own event loop, and a
    second one (tests/web) cannot start while this one lives."""
    if not CHROMIUM.exists():
        pytest.fail("chromium is missing: run `make services` (scripts/system-packages.sh)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def new_page(browser: Any) -> Iterator[Callable[..., Any]]:
    contexts = []

    def make(gpc: bool = False, context: Any = None) -> Any:
        if context is None:
            headers = {"Sec-GPC": "1"} if gpc else {}
            context = browser.new_context(extra_http_headers=headers, locale="sv-SE")
            if gpc:
                context.add_init_script(GPC_SCRIPT)
            contexts.append(context)
        return context.new_page()

    yield make
    for c in contexts:
        c.close()
