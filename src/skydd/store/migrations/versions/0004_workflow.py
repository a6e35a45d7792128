"""Request workflow: requests and their lifecycle events, staff and their tokens.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "workflow_requests",
        sa.Column("request_id", sa.String(40), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("lang", sa.String(2), nullable=False),
        sa.Column("received_at", sa.String(32), nullable=False),
        sa.Column("received_on", sa.String(10), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("subdivision", sa.String(8), nullable=True),
        sa.Column("due", sa.String(10), nullable=False),
        sa.Column("original_due", sa.String(10), nullable=False),
        sa.Column("identity_kinds", sa.String(300), nullable=False),
        sa.Column("identities", sa.Text, nullable=True),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.Column("repeat_of", sa.String(40), nullable=True),
        sa.Column("result_ref", sa.String(200), nullable=True),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("told_at", sa.String(10), nullable=True),
        sa.Column("fee_amount", sa.String(32), nullable=True),
        sa.Column("fee_reason", sa.Text, nullable=True),
    )
    op.create_index("ix_workflow_requests_state_due", "workflow_requests", ["state", "due"])
    op.create_index("ix_workflow_requests_due", "workflow_requests", ["due"])
    op.create_index("ix_workflow_requests_kind_due", "workflow_requests", ["kind", "due"])
    op.create_table(
        "workflow_request_events",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("request_id", sa.String(40), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("from_state", sa.String(16), nullable=True),
        sa.Column("to_state", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("details", sa.Text, nullable=False),
    )
    op.create_index(
        "ix_workflow_request_events_request", "workflow_request_events", ["request_id", "seq"]
    )
    op.create_table(
        "workflow_identity_hashes",
        sa.Column("request_id", sa.String(40), primary_key=True),
        sa.Column("identity_hash", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("received_on", sa.String(10), nullable=False),
    )
    op.create_index(
        "ix_workflow_identity_hashes_hash",
        "workflow_identity_hashes",
        ["identity_hash", "kind", "received_on"],
    )
    op.create_table(
        "workflow_staff",
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("revoked_at", sa.String(32), nullable=True),
    )
    op.create_table(
        "workflow_secrets",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("value", sa.String(128), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("workflow_secrets")
    op.drop_table("workflow_staff")
    op.drop_table("workflow_identity_hashes")
    op.drop_table("workflow_request_events")
    op.drop_table("workflow_requests")
