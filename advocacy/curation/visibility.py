"""Who may see which post: the one query behind the employee feed, page and API alike."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from ..models import Post, PostStatus, Team, User


def visible_posts_for(user: User, now: datetime) -> Select[tuple[Post]]:
    """Approved, live at ``now``, targeted at the user's team or at all teams.

    Pinned posts come first, then the newest (by the time they went live, else published).
    """
    team = user.team
    for_everyone = ~Post.teams.any()
    targeted = or_(for_everyone, Post.teams.any(Team.id == team.id)) if team else for_everyone
    return (
        select(Post)
        .where(
            Post.status == PostStatus.APPROVED.value,
            Post.deleted_at.is_(None),
            Post.taken_down_at.is_(None),
            or_(Post.publish_at.is_(None), Post.publish_at <= now),
            or_(Post.expires_at.is_(None), Post.expires_at > now),
            targeted,
        )
        .order_by(
            Post.pinned.desc(),
            func.coalesce(Post.publish_at, Post.published_at).desc(),
            Post.id.desc(),
        )
    )


def visible_post(session: Session, user: User, post_id: int, now: datetime) -> Post | None:
    """The post if ``user`` may see it now, by the same query as the feed; else None."""
    return session.scalar(visible_posts_for(user, now).where(Post.id == post_id))
