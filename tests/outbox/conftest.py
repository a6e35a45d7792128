"""Fixtures: a real SMTP server on loopback (aiosmtpd) and a webhook receiver that fails twice."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from outbox_helpers import Inbox, Receiver, SmtpServer, handler


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    inbox = Inbox()
    with socket.socket() as probe:  # a free port: the Controller checks it by connecting
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpServer("127.0.0.1", port, inbox)
    finally:
        controller.stop()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    rec = Receiver("", fail_first=2)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler(rec))
    rec.url = f"http://127.0.0.1:{server.server_address[1]}/skydd/art19?token=secret-token"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield rec
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
