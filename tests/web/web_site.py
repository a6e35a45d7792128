"""Helpers of the web tests: a small company, a mailbox on a real SMTP server, settings."""

from __future__ import annotations

import re
import shutil
import socket
import sqlite3
import threading
import warnings
from contextlib import closing
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from starlette.exceptions import StarletteDeprecationWarning

with warnings.catch_warnings():
    # Starlette 1.x prefers httpx2 for its test client; httpx (installed) works the same.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

from skydd.mail import MailSettings
from skydd.store import Store
from skydd.web import WebSettings
from skydd.workflow import add_staff

MAPS = Path(__file__).parent.parent / "datamap" / "maps"
SECRET = b"a test secret that is long enough to sign things with"
CRM = """
create table companies (id integer primary key, name text);
create table contacts (
  id integer primary key, email text, phone text, company_id integer references companies(id),
  manager_id integer references contacts(id), last_contact date);
insert into companies values (1, 'Exempel Verkstad AB');
insert into contacts values
  (1, 'anna.svensson@example.se', '070-123 45 67', 1, null, '2025-05-01'),
  (2, 'bo.berg@example.se', '+46 70 765 43 21', 1, 1, '2024-01-10');
"""
ERP = """
create table invoices (id integer primary key, contact_id integer, amount numeric,
  fiscal_year_end date);
insert into invoices values (10, 1, 1200, '2024-12-31'), (12, 2, 50, '2025-12-31');
"""
KNOWN = "anna.svensson@example.se"
UNKNOWN = "nobody.here@example.org"


class Mailbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.port = 0
        self.messages: list[Message] = []
        self._arrived = threading.Condition()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self._arrived:
            self.messages.append(message_from_bytes(envelope.content))
            self._arrived.notify_all()
        return "250 OK"

    def wait_for(self, to: str, count: int = 1, timeout: float = 10.0) -> Message:
        """The ``count``-th message to ``to``, waiting for it to arrive."""
        with self._arrived:
            ok = self._arrived.wait_for(lambda: len(self.to(to)) >= count, timeout=timeout)
        assert ok, f"no message number {count} arrived"
        return self.to(to)[count - 1]

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if m["To"] == address]


def code_in(message: Message) -> str:
    body = message.get_payload(decode=True)
    assert isinstance(body, bytes)
    found = re.search(r"\b(\d{6})\b", body.decode("utf-8"))
    assert found, "no code in the mail"
    return found.group(1)


def link_in(message: Message) -> str:
    body = message.get_payload(decode=True)
    assert isinstance(body, bytes)
    found = re.search(r"https?://\S+/verify/\S+", body.decode("utf-8"))
    assert found, "no link in the mail"
    return found.group(0)


def free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def build_company(folder: Path) -> Path:
    """The small test map and its two SQLite databases in ``folder``."""
    target = folder / "privacy.yaml"
    shutil.copy(MAPS / "small.yaml", target)
    for name, script in (("crm", CRM), ("erp", ERP)):
        with closing(sqlite3.connect(folder / f"{name}.db")) as conn:
            conn.executescript(script)
    return target


@dataclass
class Site:
    """The app, a client, the store behind it and the mailbox its mail goes to."""

    app: FastAPI
    client: TestClient
    mailbox: Mailbox
    map_path: Path
    settings: WebSettings
    tokens: dict[str, str] = field(default_factory=dict)

    @property
    def store(self) -> Store:
        store: Store = self.app.state.store
        return store

    def staff(self, role: str) -> dict[str, str]:
        """Authorization headers for a staff member of ``role`` (added on first use)."""
        if role not in self.tokens:
            _, token = add_staff(self.store, f"{role}-person", role, actor="test")
            self.tokens[role] = token
        return {"Authorization": f"Bearer {self.tokens[role]}"}


def settings_for(map_path: Path, smtp_port: int, **overrides: Any) -> WebSettings:
    values: dict[str, Any] = {
        "map_path": map_path,
        "secret_key": SECRET,
        "state_dir": map_path.parent / ".skydd",
        "base_url": "http://testserver",
        "mail": MailSettings(host="127.0.0.1", port=smtp_port, sender="privacy@exempel.se"),
    }
    values.update(overrides)
    (map_path.parent / ".skydd").mkdir(exist_ok=True)
    return WebSettings(**values)
