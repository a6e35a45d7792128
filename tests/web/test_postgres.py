"""The web service on a PostgreSQL store (a fresh database per test): submit, verify, queue."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from web_site import KNOWN, Mailbox, Site, TestClient, code_in, settings_for

from skydd.web import create_app

ADMIN_URL = os.environ.get(
    "SKYDD_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)

pytestmark = pytest.mark.integration


@pytest.fixture
def pg_store() -> Iterator[str]:
    """A fresh, empty PostgreSQL database; skipped without a server (failed in CI)."""
    admin = create_engine(
        ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5}
    )
    name = f"skydd_test_{secrets.token_hex(6)}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except DBAPIError as exc:
        admin.dispose()
        if os.environ.get("SKYDD_REQUIRE_SERVICES") == "1":
            pytest.fail(f"PostgreSQL is required: {exc.orig}")
        pytest.skip("PostgreSQL is not available")
    try:
        yield make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_a_web_request_on_a_postgresql_store(
    small_map: Path,
    mailbox: Mailbox,
    pg_store: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))  # the audit anchor
    settings = settings_for(small_map, mailbox.port, store_url=pg_store)
    app = create_app(small_map, settings=settings)
    with TestClient(app) as client:
        site = Site(app, client, mailbox, small_map, settings)
        assert app.state.store.engine.dialect.name == "postgresql"
        reply = client.post("/api/requests", json={"kind": "access", "email": KNOWN})
        reference = reply.json()["reference"]
        code = code_in(mailbox.wait_for(KNOWN))
        done = client.post(f"/api/requests/{reference}/verify", json={"code": code})
        assert done.json()["state"] == "verified"
        queue = client.get("/api/admin/requests", headers=site.staff("support")).json()
        assert [r["state"] for r in queue["requests"]] == ["verified"]
