"""Published privacy notice versions and their hashes.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "notice_versions",
        sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("version_id", sa.String(16), nullable=False, unique=True),
        sa.Column("published_at", sa.String(32), nullable=False),
        sa.Column("effective", sa.String(10), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("map_sha256", sa.String(64), nullable=False),
        sa.Column("languages", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("content", sa.Text, nullable=False),
    )
    op.create_index("ix_notice_versions_sha256", "notice_versions", ["sha256"])


def downgrade() -> None:
    op.drop_table("notice_versions")
