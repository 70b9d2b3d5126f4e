"""Posts a manager adds by hand from a link, next to those that come from feeds."""

from __future__ import annotations

import html
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..errors import Conflict, ValidationError
from ..feeds.manage import clean_url
from ..feeds.normalize import canonical_url
from ..feeds.sanitize import absolute_http_url, plain_text, trim_html
from ..models import Post, PostStatus, User

MANUAL_SOURCE = "manual"
TITLE_MAX = 500


def create_manual_post(
    session: Session,
    actor: User | None,
    *,
    url: str,
    title: str,
    summary: str | None = None,
    image_url: str | None = None,
    now: datetime,
) -> Post:
    """A pending post for ``url``; the same link already in the queue is refused.

    ``summary`` is plain text (what a manager types or a page's description says).
    """
    url = clean_url(url)
    canonical = canonical_url(url)
    existing = session.scalar(select(Post.id).where(Post.canonical_url == canonical))
    if existing is not None:
        raise Conflict(f"This link is already in the queue (post {existing}).")
    clean_title = plain_text(title or "").strip()
    if not clean_title:
        raise ValidationError("A post needs a title.")
    if len(clean_title) > TITLE_MAX:
        raise ValidationError(f"A title must be {TITLE_MAX} characters or fewer.")
    image = None
    if image_url:
        image = absolute_http_url(image_url, url)
        if image is None:
            raise ValidationError("The image must be an http(s) address.")
    post = Post(
        url=url,
        canonical_url=canonical,
        title=clean_title,
        summary_html=_summary_html(summary),
        image_url=image,
        source=MANUAL_SOURCE,
        published_at=now,
        first_seen_at=now,
        updated_at=now,
        status=PostStatus.PENDING.value,
        created_by_id=actor.id if actor else None,
    )
    session.add(post)
    session.flush()
    audit.record(session, actor, "post.create", "post", post.id, url=url)
    return post


def _summary_html(summary: str | None) -> str:
    text = plain_text(summary or "").strip()
    if not text:
        return ""
    paragraphs = [html.escape(p.strip()) for p in text.split("\n\n") if p.strip()]
    return trim_html("".join(f"<p>{p}</p>" for p in paragraphs))
