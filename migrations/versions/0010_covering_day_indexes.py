"""Day summaries indexed by day with their figures, so a period is summed from the index alone

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


def downgrade() -> None:
    for table in SUMMED:
        op.create_index(f"ix_{table}_day", table, ["day"])
        op.drop_index(f"ix_{table}_day_figures", table_name=table)
