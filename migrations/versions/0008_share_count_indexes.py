"""Share links indexed for counting shares per user, post and network over a period

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

COUNTED_BY = ("user_id", "post_id", "network")


def upgrade() -> None:
    for column in COUNTED_BY:
        op.create_index(
            f"ix_share_links_{column}_created_at", "share_links", [column, "created_at"]
        )
    op.drop_index("ix_share_links_user_id", table_name="share_links")
    op.drop_index("ix_share_links_post_id", table_name="share_links")


def downgrade() -> None:
    op.create_index("ix_share_links_post_id", "share_links", ["post_id"])
    op.create_index("ix_share_links_user_id", "share_links", ["user_id"])
    for column in COUNTED_BY:
        op.drop_index(f"ix_share_links_{column}_created_at", table_name="share_links")
