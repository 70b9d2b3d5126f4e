"""Day summaries indexed by day with their figures, so a period is summed from the index alone;
users' days indexed with their clicks, so a team's clicks per day are too

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

SUMMED = {"user_click_days": "user_id", "post_click_days": "post_id"}
FIGURES = ["shares", "clicks", "unique_clicks", "bot_clicks"]


def upgrade() -> None:
    for table, key in SUMMED.items():
        op.create_index(f"ix_{table}_day_figures", table, ["day", key, *FIGURES])
        op.drop_index(f"ix_{table}_day", table_name=table)
    op.create_index(
        "ix_user_click_days_user_id_day_clicks", "user_click_days", ["user_id", "day", "clicks"]
    )


def downgrade() -> None:
    op.drop_index("ix_user_click_days_user_id_day_clicks", table_name="user_click_days")
    for table in SUMMED:
        op.create_index(f"ix_{table}_day", table, ["day"])
        op.drop_index(f"ix_{table}_day_figures", table_name=table)
