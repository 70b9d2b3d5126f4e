"""Shares counted in the day and all-time summaries beside the clicks

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# (table, the share_links column it is summed by, per day?)
SUMMARIES = (
    ("user_click_days", "user_id", True),
    ("user_click_totals", "user_id", False),
    ("post_click_days", "post_id", True),
    ("post_click_totals", "post_id", False),
    ("network_click_days", "network", True),
)


def upgrade() -> None:
    for table, _key, _daily in SUMMARIES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("shares", sa.Integer(), nullable=False, server_default="0"))
    day = (
        "CAST(created_at AS DATE)"
        if op.get_bind().dialect.name == "postgresql"
        else "date(created_at)"
    )
    for table, key, daily in SUMMARIES:
        keys = f"{key}, day" if daily else key
        grouped = f"{key}, {day}" if daily else key
        op.execute(
            f"INSERT INTO {table} ({keys}, shares, clicks, unique_clicks, bot_clicks)"
            f" SELECT {grouped}, COUNT(*), 0, 0, 0 FROM share_links WHERE TRUE GROUP BY {grouped}"
            f" ON CONFLICT ({keys}) DO UPDATE SET shares = excluded.shares"
        )


def downgrade() -> None:
    for table, _key, _daily in SUMMARIES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("shares")
