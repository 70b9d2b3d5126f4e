"""Reading the queue: posts by status, newest first, with optional filters."""

from __future__ import annotations

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from ..errors import NotFound, ValidationError
from ..models import Post, PostStatus
from ..models.content import POST_STATUSES


def parse_status(value: str | None, default: str = PostStatus.PENDING.value) -> str:
    status = (value or default).strip().lower()
    if status not in POST_STATUSES:
        raise ValidationError(f"Unknown status {value!r}; use one of {', '.join(POST_STATUSES)}.")
    return status


def queue_query(
    status: str, *, feed_id: int | None = None, text: str | None = None
) -> Select[tuple[Post]]:
    """Posts in ``status`` (deleted ones never), newest published first."""
    query = select(Post).where(Post.status == status, Post.deleted_at.is_(None))
    if feed_id is not None:
        query = query.where(Post.feed_id == feed_id)
    if text:
        pattern = f"%{text.strip()}%"
        query = query.where(or_(Post.title.ilike(pattern), Post.summary_html.ilike(pattern)))
    return query.order_by(Post.published_at.desc(), Post.id.desc())


def get_post(session: Session, post_id: int) -> Post:
    """A post by id; deleted posts are as good as gone."""
    post = session.get(Post, post_id)
    if post is None or post.deleted_at is not None:
        raise NotFound(f"There is no post {post_id}.")
    return post
