"""Retention: review marks (AS-7) and person-scoped legal holds placed by the DPO.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "retention_reviews",
        sa.Column("rule", sa.String(128), primary_key=True),
        sa.Column("table_key", sa.String(300), primary_key=True),
        sa.Column("row_key", sa.String(500), primary_key=True),
        sa.Column("reviewed_on", sa.String(10), nullable=False),
        sa.Column("reviewed_at", sa.String(32), nullable=False),
        sa.Column("reviewed_by", sa.String(200), nullable=False),
        sa.Column("note", sa.Text, nullable=True),
    )
    op.create_table(
        "person_holds",
        sa.Column("hold_id", sa.String(40), primary_key=True),
        sa.Column("hold", sa.String(128), nullable=True),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("until", sa.String(10), nullable=True),
        sa.Column("placed_at", sa.String(32), nullable=False),
        sa.Column("placed_by", sa.String(200), nullable=False),
        sa.Column("released_at", sa.String(32), nullable=True),
        sa.Column("released_by", sa.String(200), nullable=True),
        sa.Column("identity_kinds", sa.String(300), nullable=False),
    )
    op.create_index("ix_person_holds_released", "person_holds", ["released_at", "until"])
    op.create_table(
        "person_hold_identities",
        sa.Column("hold_id", sa.String(40), primary_key=True),
        sa.Column("identity_hash", sa.String(64), primary_key=True),
    )
    op.create_index("ix_person_hold_identities_hash", "person_hold_identities", ["identity_hash"])
    op.create_table(
        "person_hold_rows",
        sa.Column("hold_id", sa.String(40), primary_key=True),
        sa.Column("table_key", sa.String(300), primary_key=True),
        sa.Column("row_key", sa.String(500), primary_key=True),
    )
    op.create_index("ix_person_hold_rows_table", "person_hold_rows", ["table_key", "row_key"])


def downgrade() -> None:
    op.drop_table("person_hold_rows")
    op.drop_table("person_hold_identities")
    op.drop_table("person_holds")
    op.drop_table("retention_reviews")
