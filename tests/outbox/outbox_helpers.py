"""The outbox tests' company, a real SMTP server (aiosmtpd) and a webhook receiver."""

from __future__ import annotations

import hashlib
import hmac
import importlib.util
import json
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import yaml

_spec = importlib.util.spec_from_file_location(
    "erasure_company_for_outbox", Path(__file__).parent.parent / "requests" / "erasure_company.py"
)
assert _spec and _spec.loader
company = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(company)

HOOK_KEY_ENV = "SKYDD_TEST_HOOK_KEY"
HOOK_KEY = "test-signing-key-0123456789abcdef"


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(message_from_bytes(envelope.content))
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    host: str
    port: int
    inbox: Inbox


@dataclass
class Receiver:
    url: str
    fail_first: int
    calls: list[dict[str, Any]] = field(default_factory=list)
    accepted: list[dict[str, Any]] = field(default_factory=list)


def handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            header = self.headers.get("Skydd-Signature", "")
            parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
            # Verified here as a receiver would, without Skydd's code.
            mac = hmac.new(HOOK_KEY.encode(), parts.get("t", "").encode() + b"." + body, "sha256")
            valid = hmac.compare_digest(mac.hexdigest(), parts.get("v1", ""))
            call = {
                "valid": valid,
                "delivery": self.headers.get("Skydd-Delivery"),
                "body": json.loads(body),
                "sha": hashlib.sha256(body).hexdigest(),
            }
            receiver.calls.append(call)
            if len(receiver.calls) <= receiver.fail_first:
                self.send_response(503)
            elif not valid:
                self.send_response(401)
            else:
                receiver.accepted.append(call)
                self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    return Handler


def build_company(directory: Path, webhook_url: str | None = None) -> Path:
    """The erasure test company with two recipients: Mailchimp by email, a carrier by webhook."""
    raw = company.raw_map(directory)
    raw["recipients"]["mailchimp"]["notify"] = "mailto:privacy@mailchimp.example"
    raw["recipients"]["carrier"] = {
        "name": "Fraktbolaget AB",
        "kind": "controller",
        "country": "SE",
        "categories": ["user.contact.phone_number"],
        "purposes": ["orders"],
        "notify": webhook_url or "https://carrier.example/art19",
        "notify_secret": HOOK_KEY_ENV,
    }
    raw["recipients"]["archive"] = {
        "name": "Arkivbolaget AB",
        "kind": "processor",
        "country": "DK",
        "categories": ["user.financial"],
    }
    path = company.build(directory, raw)
    return path


def load_yaml(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data
