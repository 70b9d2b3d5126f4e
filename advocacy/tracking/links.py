"""Share links: random codes, their targets with UTM parameters, one per (user, post, network)."""

from __future__ import annotations

import secrets
import string
from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from slugify import slugify
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from .. import audit
from ..curation.visibility import visible_post
from ..errors import NotFound, ValidationError
from ..models import Network, Post, ShareLink, User
from ..models.tracking import NETWORKS
from . import summaries

ALPHABET = string.ascii_letters + string.digits  # base62
CODE_LENGTH = 8  # 62**8 ≈ 2.2e14: guessing a live code is hopeless
CODE_ATTEMPTS = 5
UTM_MEDIUM = "employee_advocacy"


def new_code(length: int = CODE_LENGTH) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def parse_network(value: str) -> Network:
    try:
        return Network((value or "").strip().lower())
    except ValueError:
        raise ValidationError(f"Unknown network {value!r}; use {', '.join(NETWORKS)}.") from None


def share_target(post: Post, network: Network, team_slug: str | None) -> str:
    """The post's URL with UTM parameters added where absent; query and fragment kept.

    Only ever built from a post's URL, which the queue accepted as http(s): a short link
    can never point anywhere else (no open redirect).
    """
    parts = urlsplit(post.url)
    if parts.scheme not in ("http", "https"):
        raise ValidationError("Only http(s) posts can be shared.")
    query = parse_qsl(parts.query, keep_blank_values=True)
    present = {key for key, _ in query}
    wanted = {
        "utm_source": network.value,
        "utm_medium": UTM_MEDIUM,
        "utm_campaign": slugify(post.title, max_length=60) or f"post-{post.id}",
    }
    if team_slug:
        wanted["utm_content"] = team_slug
    query += [(key, value) for key, value in wanted.items() if key not in present]
    return urlunsplit(parts._replace(query=urlencode(query)))


def short_url(base_url: str, code: str) -> str:
    return f"{base_url.rstrip('/')}/s/{code}"


def find_share(session: Session, user: User, post_id: int, network: Network) -> ShareLink | None:
    return session.scalar(
        select(ShareLink).where(
            ShareLink.user_id == user.id,
            ShareLink.post_id == post_id,
            ShareLink.network == network.value,
        )
    )


def share(
    session: Session, user: User, post_id: int, network: Network, now: datetime
) -> tuple[ShareLink, bool]:
    """The user's link for this post and network: (link, created). Commits.

    The same user, post and network again reuses the link. Only a post the user may see
    can be shared; anything else is NotFound, whether or not it exists.
    """
    existing = find_share(session, user, post_id, network)
    if existing is not None:
        return existing, False
    post = visible_post(session, user, post_id, now)
    if post is None:
        raise NotFound(f"There is no post {post_id} to share.")
    team = user.team
    target = share_target(post, network, team.slug if team else None)
    for _attempt in range(CODE_ATTEMPTS):
        link = ShareLink(
            code=new_code(),
            user_id=user.id,
            post_id=post.id,
            team_id=team.id if team else None,
            network=network.value,
            target_url=target,
            created_at=now,
        )
        session.add(link)
        try:
            session.flush()
        except IntegrityError:
            session.rollback()
            raced = find_share(session, user, post_id, network)
            if raced is not None:  # the same user shared twice at once
                return raced, False
            continue  # a code collision: draw again
        summaries.add_share(session, link.id)
        audit.record(session, user, "share.create", "share_link", link.id, network=network.value)
        session.commit()
        return link, True
    raise RuntimeError("could not draw a unique short-link code")


def links_of(session: Session, user_id: int) -> list[ShareLink]:
    """A user's share links, newest first, with their posts loaded."""
    return list(
        session.scalars(
            select(ShareLink)
            .where(ShareLink.user_id == user_id)
            .options(selectinload(ShareLink.post))
            .order_by(ShareLink.created_at.desc(), ShareLink.id.desc())
        )
    )
