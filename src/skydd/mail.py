"""Sending email over SMTP: the settings from the environment and one `send_mail`.

Used for Art. 19 notifications to recipients (skydd.outbox) and by every part of
Skydd that writes to people. Errors are SkyddErrors that name the server, never
an address: the address of a data subject must not reach a log.
"""

from __future__ import annotations

import os
import smtplib
import socket
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import make_msgid

from skydd.errors import SkyddError

HOST_ENV = "SKYDD_SMTP_HOST"
PORT_ENV = "SKYDD_SMTP_PORT"
USER_ENV = "SKYDD_SMTP_USER"
PASSWORD_ENV = "SKYDD_SMTP_PASSWORD"  # noqa: S105 - the variable's name, not a password
FROM_ENV = "SKYDD_SMTP_FROM"
STARTTLS_ENV = "SKYDD_SMTP_STARTTLS"

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@dataclass(frozen=True)
class MailSettings:
    """Where and as whom to send: an SMTP server, optional login, the From address."""

    host: str
    port: int = 25
    user: str | None = None
    password: str | None = None
    sender: str = "skydd@localhost"
    starttls: bool = False
    timeout: float = 30.0

    def __repr__(self) -> str:  # the password never reaches a log
        return (
            f"MailSettings(host={self.host!r}, port={self.port}, user={self.user!r}, "
            f"sender={self.sender!r}, starttls={self.starttls})"
        )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> MailSettings:
        """Read SKYDD_SMTP_*; SKYDD_SMTP_HOST is required, the rest have defaults."""
        env = os.environ if env is None else env
        host = env.get(HOST_ENV, "").strip()
        if not host:
            raise SkyddError(
                f"no mail server is set: {HOST_ENV} is empty",
                hint=f"set {HOST_ENV} (and {PORT_ENV}, {FROM_ENV}; {USER_ENV}, "
                f"{PASSWORD_ENV} and {STARTTLS_ENV}=true if the server wants a login)",
            )
        raw_port = env.get(PORT_ENV, "").strip() or "25"
        try:
            port = int(raw_port)
        except ValueError:
            port = 0
        if not 0 < port < 65536:
            raise SkyddError(
                f"{PORT_ENV} must be a port number, found {raw_port!r}",
                hint="use 25, 587 (with STARTTLS) or the port your mail server listens on",
            )
        flag = env.get(STARTTLS_ENV, "").strip().lower()
        if flag not in _TRUE | _FALSE:
            raise SkyddError(
                f"{STARTTLS_ENV} must be true or false, found {flag!r}",
                hint="use true, false, 1 or 0",
            )
        sender = env.get(FROM_ENV, "").strip() or f"skydd@{socket.getfqdn() or 'localhost'}"
        return cls(
            host=host,
            port=port,
            user=env.get(USER_ENV) or None,
            password=env.get(PASSWORD_ENV) or None,
            sender=sender,
            starttls=flag in _TRUE,
        )


def build_message(
    settings: MailSettings,
    *,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    headers: Mapping[str, str] | None = None,
    reply_to: str | None = None,
) -> EmailMessage:
    """The message `send_mail` sends: plain text, with an HTML alternative if given."""
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = to
    message["Subject"] = subject
    domain = settings.sender.rpartition("@")[2] or "localhost"
    message["Message-ID"] = make_msgid(domain=domain)
    if reply_to:
        message["Reply-To"] = reply_to
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    return message


def _check_address(to: str) -> None:
    try:
        address = Address(addr_spec=to.strip())
    except (ValueError, IndexError):
        address = None
    if address is None or not address.username or not address.domain:
        raise SkyddError(
            "cannot send mail: the recipient is not an email address",
            hint="check the address in the data map or the request",
        )


def send_mail(
    settings: MailSettings,
    *,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    headers: Mapping[str, str] | None = None,
    reply_to: str | None = None,
) -> str:
    """Send one message; return its Message-ID. SkyddError if the server refuses it."""
    _check_address(to)
    message = build_message(
        settings, to=to, subject=subject, text=text, html=html, headers=headers, reply_to=reply_to
    )
    where = f"{settings.host}:{settings.port}"
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as smtp:
            if settings.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.user:
                smtp.login(settings.user, settings.password or "")
            refused = smtp.send_message(message)
    except smtplib.SMTPAuthenticationError:
        raise SkyddError(
            f"the mail server {where} refused the login",
            hint=f"check {USER_ENV} and {PASSWORD_ENV}",
        ) from None
    except smtplib.SMTPRecipientsRefused:
        raise SkyddError(
            f"the mail server {where} refused the recipient",
            hint="check the address; the server's log says why",
        ) from None
    except smtplib.SMTPResponseException as exc:
        raise SkyddError(
            f"the mail server {where} refused the message ({exc.smtp_code})",
            hint="the server's log says why; the message is retried later",
        ) from None
    except (smtplib.SMTPException, OSError) as exc:
        raise SkyddError(
            f"cannot send mail through {where}: {type(exc).__name__}",
            hint=f"check that the server runs and that {HOST_ENV} and {PORT_ENV} are right",
        ) from None
    if refused:
        raise SkyddError(
            f"the mail server {where} refused the recipient",
            hint="check the address; the server's log says why",
        )
    return str(message["Message-ID"])
