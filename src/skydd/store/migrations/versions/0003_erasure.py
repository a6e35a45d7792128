"""Erasure: the resumable saga (requests and their steps) and the register of blocked rows.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "erasure_sagas",
        sa.Column("saga_id", sa.String(40), primary_key=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("owner", sa.String(200), nullable=True),
        sa.Column("heartbeat_at", sa.String(32), nullable=True),
        sa.Column("subject_hash", sa.String(64), nullable=True),
        sa.Column("members", sa.Text, nullable=False),
        sa.Column("options", sa.Text, nullable=False),
        sa.Column("result", sa.Text, nullable=True),
    )
    op.create_index("ix_erasure_sagas_subject_hash", "erasure_sagas", ["subject_hash"])
    op.create_index("ix_erasure_sagas_status", "erasure_sagas", ["status"])
    op.create_table(
        "erasure_steps",
        sa.Column("saga_id", sa.String(40), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("system", sa.String(128), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("ops", sa.Text, nullable=True),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("done_at", sa.String(32), nullable=True),
    )
    op.create_table(
        "blocked_rows",
        sa.Column("table_key", sa.String(300), primary_key=True),
        sa.Column("row_key", sa.String(500), primary_key=True),
        sa.Column("request_id", sa.String(40), nullable=False),
        sa.Column("hold", sa.String(128), nullable=True),
        sa.Column("law", sa.String(500), nullable=True),
        sa.Column("ground", sa.String(16), nullable=True),
        sa.Column("until", sa.String(10), nullable=True),
        sa.Column("flag_column", sa.String(128), nullable=True),
        sa.Column("blocked_at", sa.String(32), nullable=False),
        sa.Column("released_at", sa.String(32), nullable=True),
    )
    op.create_index("ix_blocked_rows_until", "blocked_rows", ["released_at", "until"])
    op.create_index("ix_blocked_rows_request", "blocked_rows", ["request_id"])


def downgrade() -> None:
    op.drop_table("blocked_rows")
    op.drop_table("erasure_steps")
    op.drop_table("erasure_sagas")
