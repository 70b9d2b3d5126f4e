"""The queue's states, and the one place that changes them.

    pending ──approve──► approved ──archive──► archived
       │                    └──(expires_at passes)──► expired
       └──reject──► rejected

An approved post is *live* only inside its window: ``publish_at <= now < expires_at``,
either side optional. Every change writes the audit log (who, when, from, to, reason).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..errors import Forbidden, IllegalTransition, ValidationError
from ..models import Post, PostStatus, Role, User

PENDING, APPROVED, REJECTED = PostStatus.PENDING, PostStatus.APPROVED, PostStatus.REJECTED
ARCHIVED, EXPIRED = PostStatus.ARCHIVED, PostStatus.EXPIRED

LEGAL: dict[tuple[PostStatus, PostStatus], str] = {
    (PENDING, APPROVED): "approve",
    (PENDING, REJECTED): "reject",
    (APPROVED, ARCHIVED): "archive",
    (APPROVED, EXPIRED): "expire",
}
MAX_REASON = 500


def can_curate(actor: User | None) -> bool:
    """Managers and admins curate; ``None`` is the service itself (periodic jobs)."""
    return actor is None or actor.has_role(Role.MANAGER)


def transition(
    session: Session,
    actor: User | None,
    post: Post,
    to: PostStatus,
    now: datetime,
    reason: str | None = None,
) -> Post:
    if not can_curate(actor):
        raise Forbidden("Only comms managers change the state of a post.")
    current = PostStatus(post.status)
    if post.deleted_at is not None or (current, to) not in LEGAL:
        raise IllegalTransition(f"A post that is {current.value} cannot become {to.value}.")
    if to == EXPIRED and actor is not None:
        raise IllegalTransition("Posts expire by themselves when their window closes.")
    reason = " ".join((reason or "").split())
    if len(reason) > MAX_REASON:
        raise ValidationError(f"A reason must be {MAX_REASON} characters or fewer.")
    if to == REJECTED and not reason:
        raise ValidationError("Say why the post is rejected.")
    post.status = to.value
    post.updated_at = now
    audit.record(
        session,
        actor,
        f"post.{LEGAL[(current, to)]}",
        "post",
        post.id,
        **{"from": current.value, "to": to.value, "reason": reason or None},
    )
    return post


def approve(session: Session, actor: User | None, post: Post, now: datetime) -> Post:
    return transition(session, actor, post, APPROVED, now)


def reject(session: Session, actor: User | None, post: Post, reason: str, now: datetime) -> Post:
    return transition(session, actor, post, REJECTED, now, reason)


def archive(session: Session, actor: User | None, post: Post, now: datetime) -> Post:
    return transition(session, actor, post, ARCHIVED, now)


def take_down(session: Session, actor: User | None, post: Post, reason: str, now: datetime) -> Post:
    """Withdraw a post for legal reasons: it leaves every feed and its links answer 410.

    Unlike archiving, which keeps what employees already posted working, a takedown
    breaks those links on purpose. It is audited and cannot be undone here.
    """
    if not can_curate(actor) or actor is None:
        raise Forbidden("Only comms managers take posts down.")
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError("Say why the post is taken down.")
    if len(reason) > MAX_REASON:
        raise ValidationError(f"A reason must be {MAX_REASON} characters or fewer.")
    if post.taken_down_at is not None:
        raise IllegalTransition("This post is already taken down.")
    post.taken_down_at = now
    post.updated_at = now
    audit.record(session, actor, "post.takedown", "post", post.id, reason=reason)
    return post


def is_live(post: Post, now: datetime) -> bool:
    return (
        post.status == APPROVED
        and post.deleted_at is None
        and post.taken_down_at is None
        and (post.publish_at is None or post.publish_at <= now)
        and (post.expires_at is None or now < post.expires_at)
    )


def expire_due_posts(session: Session, now: datetime) -> int:
    """Mark approved posts whose window has closed as expired; safe to run twice."""
    due = list(
        session.scalars(
            select(Post).where(
                Post.status == APPROVED.value,
                Post.expires_at.is_not(None),
                Post.expires_at <= now,
            )
        )
    )
    for post in due:
        transition(session, None, post, EXPIRED, now)
    session.commit()
    return len(due)


def delete(session: Session, actor: User | None, post: Post, now: datetime) -> Post:
    """Remove a post from the queue for good; a feed that still carries it will not bring
    it back (ingest finds the tombstone by URL). Links already shared keep working."""
    if not can_curate(actor):
        raise Forbidden("Only comms managers delete posts.")
    if post.deleted_at is not None:
        raise IllegalTransition("This post is already deleted.")
    post.deleted_at = now
    post.updated_at = now
    audit.record(session, actor, "post.delete", "post", post.id, status=post.status)
    return post
