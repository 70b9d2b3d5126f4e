"""Editing a post in the queue: title, share texts, targeting, window and pin.

All fields are checked first and applied together: invalid input changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..errors import Forbidden, IllegalTransition, ValidationError
from ..feeds.manage import teams_by_id
from ..feeds.sanitize import plain_text
from ..models import Post, PostStatus, User
from . import share_text
from .states import can_curate, is_live

EDITABLE_STATES = {PostStatus.PENDING.value, PostStatus.APPROVED.value}
TEXT_COLUMNS = {
    "linkedin": "share_text_linkedin",
    "x": "share_text_x",
    "facebook": "share_text_facebook",
    "email_subject": "email_subject",
    "email_body": "email_body",
}
UNSET: Any = object()


@dataclass
class PostChanges:
    """What to change; a field left UNSET is kept, ``None`` clears a bound or a text."""

    title: Any = UNSET
    share_text: dict[str, str | None] = field(default_factory=dict)
    team_ids: Any = UNSET
    publish_at: Any = UNSET
    expires_at: Any = UNSET
    pinned: Any = UNSET

    def is_empty(self) -> bool:
        return not self.share_text and all(
            getattr(self, name) is UNSET
            for name in ("title", "team_ids", "publish_at", "expires_at", "pinned")
        )


def update_post(
    session: Session, actor: User | None, post: Post, changes: PostChanges, now: datetime
) -> Post:
    if not can_curate(actor):
        raise Forbidden("Only comms managers edit posts.")
    if post.status not in EDITABLE_STATES or post.deleted_at is not None:
        raise IllegalTransition(f"A post that is {post.status} cannot be edited.")
    title = _checked_title(changes.title)
    texts = {k: (v.strip() if isinstance(v, str) else v) for k, v in changes.share_text.items()}
    errors = share_text.problems(texts)
    if errors:
        raise ValidationError(" ".join(errors))
    teams = teams_by_id(session, changes.team_ids) if changes.team_ids is not UNSET else UNSET
    publish_at = post.publish_at if changes.publish_at is UNSET else changes.publish_at
    expires_at = post.expires_at if changes.expires_at is UNSET else changes.expires_at
    if publish_at and expires_at and expires_at <= publish_at:
        raise ValidationError("The post must expire after it is published.")

    applied: dict[str, object] = {}
    if title is not UNSET:
        post.title, applied["title"] = title, title
    for network, text in texts.items():
        setattr(post, TEXT_COLUMNS[network], text or None)
        applied[f"share_text.{network}"] = text or None
    if teams is not UNSET:
        post.teams = teams
        applied["team_ids"] = sorted(t.id for t in teams)
    post.publish_at, post.expires_at = publish_at, expires_at
    if changes.publish_at is not UNSET or changes.expires_at is not UNSET:
        applied["window"] = [_iso(publish_at), _iso(expires_at)]
    if changes.pinned is not UNSET:
        post.pinned = applied["pinned"] = bool(changes.pinned)
    if applied:
        post.updated_at = now
        audit.record(session, actor, "post.edit", "post", post.id, **applied)
    return post


def _checked_title(title: Any) -> Any:
    if title is UNSET:
        return UNSET
    clean = plain_text(title or "").strip()
    if not clean:
        raise ValidationError("A post needs a title.")
    if len(clean) > 500:
        raise ValidationError("A title must be 500 characters or fewer.")
    return clean


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def caption_reused_on(session: Session, post: Post, now: datetime) -> list[tuple[str, Post]]:
    """(network, other live post) pairs that already suggest the same words as ``post``.

    Many employees posting identical captions looks inauthentic: the editor warns.
    """
    mine = {n: getattr(post, c) for n, c in TEXT_COLUMNS.items() if getattr(post, c)}
    if not mine:
        return []
    others = session.scalars(
        select(Post).where(Post.id != post.id, Post.status == PostStatus.APPROVED.value)
    )
    found = []
    for other in others:
        if not is_live(other, now):
            continue
        for network, text in mine.items():
            if getattr(other, TEXT_COLUMNS[network]) == text:
                found.append((network, other))
    return found
