"""Sending due outbox items, with exponential backoff and a maximum number of attempts.

`send_due` holds the store lock ``outbox`` while it works, so cron may start it
every minute: a second run finds the lock taken and leaves. An item is claimed by
bumping its attempt count before it is sent, so a crash between sending and
recording counts as an attempt and the notice may arrive twice, never zero times
(the webhook's Skydd-Delivery id lets a receiver drop the duplicate).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from skydd.errors import SkyddError
from skydd.mail import MailSettings, send_mail
from skydd.outbox import webhook
from skydd.outbox.events import NotificationDelivered
from skydd.outbox.queue import _cleared, now_iso
from skydd.outbox.texts import render_email
from skydd.store.locks import hold_lock
from skydd.store.schema import outbox_items

if TYPE_CHECKING:
    from skydd.store import Store

LOCK_NAME = "outbox"


@dataclass(frozen=True)
class Backoff:
    """Delay before attempt n+1 after n failures: base * 2**(n-1), at most `cap`."""

    base: timedelta = timedelta(minutes=1)
    cap: timedelta = timedelta(hours=6)

    def delay(self, failures: int) -> timedelta:
        delay: timedelta = self.base * (2 ** max(0, failures - 1))
        return min(self.cap, delay)


@dataclass
class SendReport:
    """What one `send_due` run did; `as_json` is `skydd outbox send --format json`."""

    sent: list[str] = field(default_factory=list)
    retrying: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"sent": self.sent, "retrying": self.retrying, "failed": self.failed}


@dataclass
class _Context:
    backoff: Backoff
    mail: MailSettings | None
    env: dict[str, str]


def _deliver(row: Any, body: dict[str, Any], ctx: _Context) -> str:
    """Send one item; return the message id or status. SkyddError on failure."""
    if row.channel == "email":
        mail = ctx.mail or MailSettings.from_env(ctx.env)
        ctx.mail = mail
        subject, text = render_email(body, str(body.get("lang", "en")))
        return send_mail(
            mail,
            to=row.target,
            subject=subject,
            text=text,
            headers={"X-Skydd-Request": row.request_id, "X-Skydd-Delivery": row.item_id},
        )
    if row.channel == "webhook":
        secret = ctx.env.get(row.secret_env or "", "")
        if not secret:
            raise SkyddError(
                f"the webhook of recipients.{row.recipient} has no signing key",
                hint=f"set notify_secret in the map and that environment variable "
                f"({row.secret_env or 'not named'}) where `skydd outbox send` runs",
            )
        payload = json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8")
        return webhook.post(
            row.target,
            payload,
            secret=secret.encode("utf-8"),
            delivery=row.item_id,
            event=row.event,
        )
    raise SkyddError(f"recipients.{row.recipient} has no notify address")


def _claim(store: Store, row: Any, stamp: str) -> bool:
    """Count the attempt before making it; False if another run took the item."""
    with store.engine.begin() as conn:
        claimed = conn.execute(
            sa.update(outbox_items)
            .where(
                outbox_items.c.item_id == row.item_id,
                outbox_items.c.attempts == row.attempts,
                outbox_items.c.status == "pending",
            )
            .values(attempts=row.attempts + 1, updated_at=stamp)
        ).rowcount
    return claimed == 1


def _record(
    store: Store,
    row: Any,
    body: dict[str, Any],
    result: tuple[str, str | None],
    now: datetime,
    backoff: Backoff,
) -> str:
    outcome, error = result
    attempts = row.attempts + 1
    stamp = now_iso(now)
    values: dict[str, Any] = {"updated_at": stamp}
    if error is None:
        status = "sent"
        values.update(status=status, sent_at=stamp, message_id=outcome[:300], last_error=None)
        values.update(next_attempt_at=None, body=json.dumps(_cleared(body), sort_keys=True))
    elif attempts >= row.max_attempts:
        status = "failed"
        values.update(status=status, last_error=error, next_attempt_at=None)
        values.update(body=json.dumps(_cleared(body), sort_keys=True))
    else:
        status = "pending"
        delay = backoff.delay(attempts)
        values.update(last_error=error, next_attempt_at=now_iso(now + delay))
    with store.engine.begin() as conn:
        conn.execute(
            sa.update(outbox_items).where(outbox_items.c.item_id == row.item_id).values(**values)
        )
    if status != "pending":
        store.audit.append(
            NotificationDelivered(
                row.item_id, row.request_id, row.recipient, row.channel, status, attempts
            )
        )
    return status


def send_due(
    store: Store,
    *,
    mail: MailSettings | None = None,
    backoff: Backoff | None = None,
    now: datetime | None = None,
    limit: int = 500,
    env: dict[str, str] | None = None,
) -> SendReport:
    """Send every pending item whose next attempt is due; LockHeld if another run is busy.

    `mail` defaults to MailSettings.from_env() when an email is due; `env` (default
    os.environ) holds the webhooks' signing keys.
    """
    moment = now or datetime.now(UTC)
    ctx = _Context(backoff or Backoff(), mail, dict(os.environ if env is None else env))
    report = SendReport()
    with hold_lock(store.engine, LOCK_NAME) as lock:
        with store.engine.connect() as conn:
            due = list(
                conn.execute(
                    sa.select(outbox_items)
                    .where(
                        outbox_items.c.status == "pending",
                        outbox_items.c.next_attempt_at <= now_iso(moment),
                    )
                    .order_by(outbox_items.c.next_attempt_at, outbox_items.c.item_id)
                    .limit(limit)
                )
            )
        for row in due:
            if not _claim(store, row, now_iso(moment)):
                continue
            body = json.loads(row.body)
            try:
                outcome, error = _deliver(row, body, ctx), None
            except SkyddError as exc:
                outcome, error = "", exc.message
            status = _record(store, row, body, (outcome, error), moment, ctx.backoff)
            {"sent": report.sent, "failed": report.failed, "pending": report.retrying}[
                status
            ].append(row.item_id)
            lock.beat()
    return report
