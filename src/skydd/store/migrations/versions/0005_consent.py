"""Consent ledger, channel preferences, restrictions, objections and the suppression list.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "consent_events",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("subject", sa.String(64), nullable=False),
        sa.Column("subject_kind", sa.String(8), nullable=False),
        sa.Column("purpose", sa.String(128), nullable=False),
        sa.Column("decision", sa.String(10), nullable=False),
        sa.Column("method", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("language", sa.String(8), nullable=True),
        sa.Column("notice_version", sa.String(64), nullable=True),
        sa.Column("notice_hash", sa.String(64), nullable=True),
        sa.Column("recorded_by", sa.String(200), nullable=True),
        sa.Column("ip_hash", sa.String(64), nullable=True),
        sa.Column("evidence", sa.Text, nullable=True),
    )
    op.create_index("ix_consent_events_subject", "consent_events", ["subject", "purpose"])
    op.create_index("ix_consent_events_at", "consent_events", ["at"])
    op.create_index("ix_consent_events_event_id", "consent_events", ["event_id"])
    op.create_table(
        "consent_links",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("identity_hash", sa.String(64), nullable=False),
        sa.Column("subject", sa.String(64), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
    )
    op.create_index(
        "ix_consent_links_identity", "consent_links", ["identity_hash", "subject"], unique=True
    )
    op.create_table(
        "consent_standing",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("subject", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("scope", sa.String(140), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("checked_on", sa.String(10), nullable=True),
        sa.Column("told_at", sa.String(32), nullable=True),
        sa.Column("method", sa.String(64), nullable=True),
        sa.Column("recorded_by", sa.String(200), nullable=True),
        sa.Column("request_id", sa.String(40), nullable=True),
        sa.Column("note", sa.Text, nullable=True),
    )
    op.create_index("ix_consent_standing_subject", "consent_standing", ["subject", "kind"])
    op.create_table(
        "suppression",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("identity_hash", sa.String(64), nullable=False),
        sa.Column("scope", sa.String(140), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("request_id", sa.String(40), nullable=True),
    )
    op.create_index(
        "ix_suppression_identity", "suppression", ["identity_hash", "scope"], unique=True
    )
    op.create_table(
        "consent_keys",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("consent_keys")
    op.drop_table("suppression")
    op.drop_table("consent_standing")
    op.drop_table("consent_links")
    op.drop_table("consent_events")
