"""What a share hands back to the person sharing: the short link, the intent, the words."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from redis.exceptions import RedisError
from sqlalchemy.orm import Session

from ..models import Network, Post, ShareLink, User
from .intents import intent_url, suggested_text
from .links import share, short_url
from .redirect import Redirector

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ShareResult:
    link: ShareLink
    created: bool
    short_url: str
    share_url: str
    text: str


def share_post(
    session: Session,
    redirector: Redirector,
    user: User,
    post_id: int,
    network: Network,
    base_url: str,
    now: datetime,
) -> ShareResult:
    """Create (or reuse) the user's link and warm the redirect cache with its target."""
    link, created = share(session, user, post_id, network, now)
    try:
        redirector.cache(link.code, link.target_url)
    except RedisError:
        log.warning("could not cache link %s; the first click will fill the cache", link.id)
    post: Post = link.post
    url = short_url(base_url, link.code)
    return ShareResult(
        link=link,
        created=created,
        short_url=url,
        share_url=intent_url(post, network, url),
        text=suggested_text(post, network),
    )
