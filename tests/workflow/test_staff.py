"""Staff tokens (hashed, revocable) and what each role may do (AC-4, AX-12)."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from skydd.errors import SkyddError
from skydd.store import StaffAction, Store
from skydd.store.schema import workflow_staff
from skydd.workflow import (
    ROLES,
    Permission,
    PermissionDenied,
    Role,
    add_staff,
    authenticate,
    can,
    list_staff,
    record_read,
    require,
    revoke_staff,
)


def test_a_token_is_shown_once_and_stored_only_as_its_hash(store: Store) -> None:
    staff, token = add_staff(store, "anna.dpo", "dpo", actor="setup")
    assert token.startswith("skydd_") and len(token) >= 6 + 43
    with store.engine.connect() as conn:
        rows = conn.execute(select(workflow_staff)).mappings().all()
    assert len(rows) == 1
    assert rows[0]["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(dict(rows[0]))
    assert token not in " ".join(str(r.payload) for r in store.audit.records())
    assert authenticate(store, token) == staff
    assert staff.role == Role.dpo and staff.active


def test_a_revoked_or_wrong_token_is_refused(store: Store) -> None:
    _, token = add_staff(store, "bo.support", Role.support)
    _, other = add_staff(store, "cia.marketing", Role.marketing)
    assert authenticate(store, token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert authenticate(store, "") is None
    assert authenticate(store, hashlib.sha256(token.encode()).hexdigest()) is None  # the hash
    revoked = revoke_staff(store, "bo.support")
    assert revoked.revoked_at is not None and not revoked.can(Permission.requests_read)
    assert authenticate(store, token) is None
    assert authenticate(store, other) is not None
    assert [(s.name, s.active) for s in list_staff(store)] == [
        ("bo.support", False),
        ("cia.marketing", True),
    ]
    assert [s.name for s in list_staff(store, include_revoked=False)] == ["cia.marketing"]
    revoke_staff(store, "bo.support")  # again: nothing changes, no second event
    revokes = [
        r for r in store.audit.records(kind=StaffAction) if r.payload["action"] == "revoke-staff"
    ]
    assert len(revokes) == 1


@pytest.mark.parametrize(
    ("name", "role", "message"),
    [("anna", "root", "unknown role"), ("", "dpo", "not a usable staff name"),
     ("has space", "dpo", "not a usable staff name")],
)  # fmt: skip
def test_bad_staff_input_is_a_clear_error(store: Store, name: str, role: str, message: str) -> None:
    with pytest.raises(SkyddError, match=message):
        add_staff(store, name, role)


def test_names_are_unique_and_revoking_a_stranger_is_an_error(store: Store) -> None:
    add_staff(store, "anna", "dpo")
    with pytest.raises(SkyddError, match="already a staff member"):
        add_staff(store, "anna", "auditor")
    with pytest.raises(SkyddError, match="no staff member"):
        revoke_staff(store, "nobody")


P = Permission
MATRIX = {
    # permission:            dpo   support marketing auditor
    P.requests_read:        (True, True, False, True),
    P.requests_personal:    (True, True, False, True),
    P.requests_act:         (True, True, False, False),
    P.requests_fee:         (True, False, False, False),
    P.consent_stats:        (True, False, True, True),
    P.consent_export:       (True, False, True, True),
    P.audit_read:           (True, False, False, True),
    P.registers_read:       (True, False, False, True),
    P.staff_manage:         (True, False, False, False),
}  # fmt: skip


@pytest.mark.parametrize("permission", list(Permission))
def test_the_role_matrix(permission: Permission) -> None:
    roles = (Role.dpo, Role.support, Role.marketing, Role.auditor)
    assert tuple(can(r, permission) for r in roles) == MATRIX[permission]
    assert tuple(can(r.value, permission) for r in roles) == MATRIX[permission]
    assert can("intern", permission) is False


def test_the_matrix_covers_every_permission_and_the_auditor_only_reads() -> None:
    assert set(MATRIX) == set(Permission)
    assert ROLES[Role.dpo] == frozenset(Permission)
    assert all(p.value.endswith((":read", ":personal", ":stats", ":export"))
               for p in ROLES[Role.auditor])  # fmt: skip


def test_require_and_record_read(store: Store) -> None:
    support, _ = add_staff(store, "bo.support", "support")
    marketing, _ = add_staff(store, "cia.marketing", "marketing")
    assert require(support, Permission.requests_act) is support
    with pytest.raises(PermissionDenied, match="may not do requests:read"):
        require(marketing, Permission.requests_read)
    with pytest.raises(PermissionDenied, match="unknown token"):
        require(None, Permission.requests_read)
    record_read(store, support, "request:RQ-0123456789ab")
    reads = [r for r in store.audit.records(kind=StaffAction) if r.payload["action"] == "read"]
    assert [(r.actor, r.payload["target"]) for r in reads] == [
        ("bo.support", "request:RQ-0123456789ab")
    ]
