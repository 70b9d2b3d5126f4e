"""Click summaries per user, post and network, per day and over all time

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

COUNTS = ("clicks", "unique_clicks", "bot_clicks")
# (table, key column, key type, referenced table or None, per day?)
SUMMARIES = (
    ("user_click_days", "user_id", sa.Integer(), "users", True),
    ("user_click_totals", "user_id", sa.Integer(), "users", False),
    ("post_click_days", "post_id", sa.Integer(), "posts", True),
    ("post_click_totals", "post_id", sa.Integer(), "posts", False),
    ("network_click_days", "network", sa.String(length=16), None, True),
)


def upgrade() -> None:
    for table, key, key_type, parent, daily in SUMMARIES:
        columns: list[sa.SchemaItem] = [sa.Column(key, key_type, nullable=False)]
        if daily:
            columns.append(sa.Column("day", sa.Date(), nullable=False))
        columns += [sa.Column(name, sa.Integer(), nullable=False) for name in COUNTS]
        if parent:
            columns.append(
                sa.ForeignKeyConstraint(
                    [key], [f"{parent}.id"], name=op.f(f"fk_{table}_{key}_{parent}"),
                    ondelete="CASCADE",
                )
            )  # fmt: skip
        primary = [key, "day"] if daily else [key]
        columns.append(sa.PrimaryKeyConstraint(*primary, name=op.f(f"pk_{table}")))
        op.create_table(table, *columns)
        if daily and parent:
            op.create_index(op.f(f"ix_{table}_day"), table, ["day"], unique=False)
    _backfill()


def _backfill() -> None:
    """Sum what the hourly rollups already hold (the aggregator keeps them in step after)."""
    postgresql = op.get_context().dialect.name == "postgresql"
    day = "CAST(r.hour AS DATE)" if postgresql else "date(r.hour)"
    sums = ", ".join(f"SUM(r.{name})" for name in COUNTS)
    for table, key, _type, _parent, daily in SUMMARIES:
        keys = f"l.{key}, {day}" if daily else f"l.{key}"
        names = f"{key}, day" if daily else key
        op.execute(
            f"INSERT INTO {table} ({names}, {', '.join(COUNTS)}) SELECT {keys}, {sums}"
            " FROM click_rollups AS r JOIN share_links AS l ON l.id = r.link_id"
            f" GROUP BY {keys}"
        )


def downgrade() -> None:
    for table, _key, _type, parent, daily in reversed(SUMMARIES):
        if daily and parent:
            op.drop_index(op.f(f"ix_{table}_day"), table_name=table)
        op.drop_table(table)
