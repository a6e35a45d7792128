"""The small test company and a real SMTP server, for the workflow tests (imported by name)."""

from __future__ import annotations

import shutil
import socket
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

MAPS = Path(__file__).parent.parent / "datamap" / "maps"

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


def company(directory: Path, policy: str = "") -> Path:
    """The small test map and its two SQLite databases in ``directory``; ``policy`` is
    appended as the map's policy section."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / "privacy.yaml"
    shutil.copy(MAPS / "small.yaml", target)
    if policy:
        with target.open("a", encoding="utf-8") as f:
            f.write("\npolicy:\n" + "".join(f"  {line}\n" for line in policy.splitlines()))
    for name, script in (("crm", CRM), ("erp", ERP)):
        with sqlite3.connect(directory / f"{name}.db") as conn:
            conn.executescript(script)
        conn.close()
    return target


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


@dataclass
class Smtp:
    host: str
    port: int
    inbox: _Inbox = field(default_factory=_Inbox)


@contextmanager
def smtp_server() -> Iterator[Smtp]:
    """A real SMTP server on loopback that keeps what it receives."""
    inbox = _Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield Smtp("127.0.0.1", port, inbox)
    finally:
        controller.stop()
