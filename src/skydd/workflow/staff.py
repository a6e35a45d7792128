"""Staff, their roles and tokens, and what each role may do (AC-4, AX-12).

A token is shown once, when the staff member is added, and stored only as its
SHA-256: a stolen store gives no working token.  Every staff read of personal
data is an audit event (``record_read``), so the log shows who looked at whom.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from skydd.errors import SkyddError
from skydd.store import StaffAction, Store
from skydd.store.audit import format_at
from skydd.store.schema import workflow_staff
from skydd.workflow.storage import writing

TOKEN_PREFIX = "skydd_"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$")


class Role(StrEnum):
    """What a staff member is there to do."""

    dpo = "dpo"
    support = "support"
    marketing = "marketing"
    auditor = "auditor"


class Permission(StrEnum):
    """One thing a role may see or do. ``*_read`` never changes anything."""

    requests_read = "requests:read"
    """The request queue and each request's state, deadline and history."""
    requests_personal = "requests:personal"
    """The identities and reports of a request (personal data; every read is audited)."""
    requests_act = "requests:act"
    """Submit, verify, start, complete, extend, refuse and run requests."""
    requests_fee = "requests:fee"
    """Charge a fee or refuse a repeat or excessive request (DSR-6)."""
    consent_stats = "consent:stats"
    """Consent statistics (counts per purpose; no person)."""
    consent_export = "consent:export"
    """Exports of consent and preference lists (personal data; audited)."""
    audit_read = "audit:read"
    """The audit log."""
    registers_read = "registers:read"
    """Article 30 records, processor and breach registers."""
    staff_manage = "staff:manage"
    """Add and revoke staff."""


_READS = frozenset(
    {
        Permission.requests_read,
        Permission.requests_personal,
        Permission.consent_stats,
        Permission.consent_export,
        Permission.audit_read,
        Permission.registers_read,
    }
)

ROLES: Mapping[Role, frozenset[Permission]] = {
    Role.dpo: frozenset(Permission),
    Role.support: frozenset(
        {Permission.requests_read, Permission.requests_personal, Permission.requests_act}
    ),
    Role.marketing: frozenset({Permission.consent_stats, Permission.consent_export}),
    Role.auditor: _READS,
}
"""Each role's permissions: dpo everything; support the requests but not consent;
marketing consent statistics and exports but no request; auditor reads everything and
acts on nothing."""


def can(role: Role | str, permission: Permission) -> bool:
    """Whether ``role`` has ``permission`` (an unknown role has none)."""
    try:
        return permission in ROLES[Role(role)]
    except ValueError:
        return False


@dataclass(frozen=True)
class Staff:
    """A staff member as stored (never the token)."""

    name: str
    role: Role
    created_at: dt.datetime
    created_by: str
    revoked_at: dt.datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def can(self, permission: Permission) -> bool:
        return self.active and can(self.role, permission)

    def as_json(self) -> dict[str, str | None]:
        return {
            "name": self.name,
            "role": self.role.value,
            "created_at": self.created_at.isoformat(),
            "created_by": self.created_by,
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
        }


def token_hash(token: str) -> str:
    """What the store keeps of a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise SkyddError(
            f"unknown role '{role}'", hint="use one of: " + ", ".join(r.value for r in Role)
        ) from None


def _staff(row: object) -> Staff:
    m = row._mapping  # type: ignore[attr-defined]
    return Staff(
        name=m["name"],
        role=Role(m["role"]),
        created_at=dt.datetime.fromisoformat(m["created_at"]),
        created_by=m["created_by"],
        revoked_at=dt.datetime.fromisoformat(m["revoked_at"]) if m["revoked_at"] else None,
    )


def add_staff(
    store: Store, name: str, role: Role | str, *, actor: str = "cli"
) -> tuple[Staff, str]:
    """Add a staff member; returns them and their token, which is never shown again."""
    if not _NAME.match(name):
        raise SkyddError(
            f"'{name[:40]}' is not a usable staff name",
            hint="letters, digits and . _ @ - (up to 100), starting with a letter or digit",
        )
    checked = _role(role)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = format_at(dt.datetime.now(dt.UTC))
    try:
        with writing(store) as conn:
            conn.execute(
                insert(workflow_staff).values(
                    name=name,
                    role=checked.value,
                    token_hash=token_hash(token),
                    created_at=now,
                    created_by=actor,
                    revoked_at=None,
                )
            )
    except IntegrityError:
        raise SkyddError(
            f"there is already a staff member called '{name}'",
            hint="pick another name, or revoke the old one first and add it under a new name",
        ) from None
    store.audit.append(
        StaffAction(actor=actor, action=f"add-staff:{checked.value}", target=f"staff:{name}"),
        actor=actor,
    )
    return Staff(name, checked, dt.datetime.fromisoformat(now), actor), token


def list_staff(store: Store, *, include_revoked: bool = True) -> list[Staff]:
    """Every staff member, by name."""
    query = select(workflow_staff).order_by(workflow_staff.c.name)
    if not include_revoked:
        query = query.where(workflow_staff.c.revoked_at.is_(None))
    with store.engine.connect() as conn:
        return [_staff(r) for r in conn.execute(query)]


def revoke_staff(store: Store, name: str, *, actor: str = "cli") -> Staff:
    """Revoke a staff member's token at once; the name stays for the record."""
    now = format_at(dt.datetime.now(dt.UTC))
    with writing(store) as conn:
        changed = conn.execute(
            update(workflow_staff)
            .where(workflow_staff.c.name == name, workflow_staff.c.revoked_at.is_(None))
            .values(revoked_at=now)
        ).rowcount
        row = conn.execute(select(workflow_staff).where(workflow_staff.c.name == name)).first()
    if row is None:
        raise SkyddError(f"no staff member is called '{name}'", hint="see: skydd staff list")
    if changed:
        store.audit.append(
            StaffAction(actor=actor, action="revoke-staff", target=f"staff:{name}"), actor=actor
        )
    return _staff(row)


def authenticate(store: Store, token: str) -> Staff | None:
    """The active staff member holding ``token``, or None."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    wanted = token_hash(token)
    with store.engine.connect() as conn:
        row = conn.execute(
            select(workflow_staff).where(workflow_staff.c.token_hash == wanted)
        ).first()
    if row is None or not hmac.compare_digest(row._mapping["token_hash"], wanted):
        return None
    staff = _staff(row)
    return staff if staff.active else None


def require(staff: Staff | None, permission: Permission) -> Staff:
    """``staff`` if they may do ``permission``; a SkyddError (exit code 2) otherwise."""
    if staff is None or not staff.can(permission):
        who = f"'{staff.name}' ({staff.role.value})" if staff else "an unknown token"
        raise PermissionDenied(
            f"{who} may not do {permission.value}",
            hint="ask the DPO for a role that allows it",
        )
    return staff


class PermissionDenied(SkyddError):
    """A staff member tried something their role does not allow."""


def record_read(store: Store, staff: Staff, what: str) -> None:
    """Record that ``staff`` read personal data; ``what`` names it by id (``request:RQ-…``),
    never by value."""
    store.audit.append(StaffAction(actor=staff.name, action="read", target=what), actor=staff.name)
