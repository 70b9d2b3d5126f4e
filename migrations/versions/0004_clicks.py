"""Clicks: raw log, hourly rollups, daily visitors, bursts

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "click_bursts",
        sa.Column("link_id", sa.Integer(), nullable=False),
        sa.Column("visitor", sa.String(length=64), nullable=False),
        sa.Column("minute", sa.DateTime(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["link_id"],
            ["share_links.id"],
            name=op.f("fk_click_bursts_link_id_share_links"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("link_id", "visitor", "minute", name=op.f("pk_click_bursts")),
    )
    op.create_table(
        "click_daily_visitors",
        sa.Column("link_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("visitor", sa.String(length=64), nullable=False),
        sa.Column("first_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["link_id"],
            ["share_links.id"],
            name=op.f("fk_click_daily_visitors_link_id_share_links"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("link_id", "day", "visitor", name=op.f("pk_click_daily_visitors")),
    )
    op.create_table(
        "click_rollups",
        sa.Column("link_id", sa.Integer(), nullable=False),
        sa.Column("hour", sa.DateTime(), nullable=False),
        sa.Column("clicks", sa.Integer(), nullable=False),
        sa.Column("unique_clicks", sa.Integer(), nullable=False),
        sa.Column("bot_clicks", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["link_id"],
            ["share_links.id"],
            name=op.f("fk_click_rollups_link_id_share_links"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("link_id", "hour", name=op.f("pk_click_rollups")),
    )
    with op.batch_alter_table("click_rollups", schema=None) as batch_op:
        batch_op.create_index("ix_click_rollups_hour", ["hour"], unique=False)

    op.create_table(
        "clicks",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("event_id", sa.String(length=40), nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("visitor", sa.String(length=64), nullable=False),
        sa.Column("human", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=True),
        sa.Column("user_agent", sa.String(length=512), nullable=False),
        sa.Column("referrer_host", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(
            ["link_id"],
            ["share_links.id"],
            name=op.f("fk_clicks_link_id_share_links"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clicks")),
        sa.UniqueConstraint("event_id", name=op.f("uq_clicks_event_id")),
    )
    with op.batch_alter_table("clicks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_clicks_at"), ["at"], unique=False)
        batch_op.create_index("ix_clicks_link_id_at", ["link_id", "at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("clicks", schema=None) as batch_op:
        batch_op.drop_index("ix_clicks_link_id_at")
        batch_op.drop_index(batch_op.f("ix_clicks_at"))

    op.drop_table("clicks")
    with op.batch_alter_table("click_rollups", schema=None) as batch_op:
        batch_op.drop_index("ix_click_rollups_hour")

    op.drop_table("click_rollups")
    op.drop_table("click_daily_visitors")
    op.drop_table("click_bursts")
