"""The breach register.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "breaches",
        sa.Column("breach_id", sa.String(40), primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("occurred_at", sa.String(32), nullable=True),
        sa.Column("aware_at", sa.String(32), nullable=False),
        sa.Column("recorded_at", sa.String(32), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.Column("closed_at", sa.String(32), nullable=True),
        sa.Column("notify_authority", sa.String(8), nullable=True),
        sa.Column("authority_notified_at", sa.String(32), nullable=True),
        sa.Column("notify_people", sa.String(8), nullable=True),
        sa.Column("people_notified_at", sa.String(32), nullable=True),
        sa.Column("details", sa.Text, nullable=False),
    )
    op.create_index("ix_breaches_status", "breaches", ["status"])
    op.create_index("ix_breaches_aware_at", "breaches", ["aware_at"])


def downgrade() -> None:
    op.drop_table("breaches")
