"""Adding, editing, pausing and deleting feeds; every change is validated and audited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import audit
from ..errors import Conflict, NotFound, ValidationError
from ..models import Feed, Post, Team, User, utcnow
from .discover import discover_feed_links
from .errors import FeedError, NotAFeedError
from .fetch import FetchPolicy
from .parse import parse_feed

MIN_INTERVAL_MINUTES = 5
MAX_INTERVAL_MINUTES = 24 * 60
MAX_CANDIDATES = 3


@dataclass(frozen=True, slots=True)
class ResolvedFeed:
    url: str
    title: str | None
    site_url: str | None


def clean_url(url: str) -> str:
    """An http(s) URL with a host, or a ValidationError saying what is wrong."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(f"{url or 'An empty value'} is not an http(s) address.")
    if len(url) > 2048:
        raise ValidationError("The address is longer than 2,048 characters.")
    return url


def resolve_feed(url: str, policy: FetchPolicy) -> ResolvedFeed:
    """The feed at ``url``, or the one the HTML page at ``url`` advertises."""
    try:
        fetched = policy.fetch(url)
        try:
            parsed = parse_feed(
                fetched.body, url=fetched.final_url, content_type=fetched.content_type
            )
            return ResolvedFeed(fetched.final_url, parsed.title, parsed.site_url)
        except NotAFeedError:
            candidates = discover_feed_links(fetched.body, fetched.final_url)
        for candidate in candidates[:MAX_CANDIDATES]:
            try:
                return _resolve_direct(candidate, policy)
            except FeedError:
                continue
    except FeedError as exc:
        raise ValidationError(exc.message) from exc
    raise ValidationError(f"{url} is not a feed and the page does not advertise one.")


def _resolve_direct(url: str, policy: FetchPolicy) -> ResolvedFeed:
    fetched = policy.fetch(url)
    parsed = parse_feed(fetched.body, url=fetched.final_url, content_type=fetched.content_type)
    return ResolvedFeed(fetched.final_url, parsed.title, parsed.site_url)


def teams_by_id(session: Session, team_ids: Sequence[int] | None) -> list[Team]:
    if not team_ids:
        return []
    wanted = set(team_ids)
    teams = list(session.scalars(select(Team).where(Team.id.in_(wanted))))
    missing = wanted - {t.id for t in teams}
    if missing:
        raise ValidationError(f"There is no team {', '.join(map(str, sorted(missing)))}.")
    return teams


def add_feed(
    session: Session,
    actor: User | None,
    url: str,
    policy: FetchPolicy,
    *,
    title: str | None = None,
    team_ids: Sequence[int] | None = None,
    now: datetime | None = None,
) -> Feed:
    """Find the feed at ``url`` (following the page's advertised feed) and start polling it."""
    teams = teams_by_id(session, team_ids)
    resolved = resolve_feed(clean_url(url), policy)
    return _create(session, actor, resolved, teams, title, now or utcnow())


def create_unresolved(
    session: Session, actor: User | None, url: str, title: str | None, now: datetime
) -> Feed:
    """A feed taken as given (OPML import): its first fetch will tell whether it works."""
    return _create(session, actor, ResolvedFeed(clean_url(url), None, None), [], title, now)


def _create(
    session: Session,
    actor: User | None,
    resolved: ResolvedFeed,
    teams: list[Team],
    title: str | None,
    now: datetime,
) -> Feed:
    if session.scalar(select(Feed.id).where(Feed.url == resolved.url)) is not None:
        raise Conflict(f"The feed {resolved.url} is already followed.")
    title = " ".join((title or "").split())[:300]
    feed = Feed(
        url=resolved.url,
        host=(urlsplit(resolved.url).hostname or "")[:255],
        title=title or (resolved.title or "")[:300],
        title_locked=bool(title),
        site_url=resolved.site_url,
        teams=teams,
        next_fetch_at=now,
        created_by_id=actor.id if actor else None,
    )
    session.add(feed)
    session.flush()
    audit.record(session, actor, "feed.add", "feed", feed.id, url=feed.url)
    return feed


def get_feed(session: Session, feed_id: int) -> Feed:
    feed = session.get(Feed, feed_id)
    if feed is None:
        raise NotFound(f"There is no feed {feed_id}.")
    return feed


def update_feed(
    session: Session,
    actor: User | None,
    feed: Feed,
    *,
    title: str | None = None,
    enabled: bool | None = None,
    interval_minutes: int | None = None,
    team_ids: Sequence[int] | None = None,
    now: datetime | None = None,
) -> Feed:
    """Edit a feed; any edit also resumes a feed paused by errors, from now."""
    changes: dict[str, object] = {}
    if team_ids is not None:
        feed.teams = teams_by_id(session, team_ids)
        changes["team_ids"] = sorted(team_ids)
    if interval_minutes is not None:
        if not MIN_INTERVAL_MINUTES <= interval_minutes <= MAX_INTERVAL_MINUTES:
            raise ValidationError(
                f"The interval must be between {MIN_INTERVAL_MINUTES} and "
                f"{MAX_INTERVAL_MINUTES} minutes."
            )
        feed.interval_seconds = interval_minutes * 60
        changes["interval_minutes"] = interval_minutes
    if title is not None:
        title = " ".join(title.split())[:300]
        feed.title, feed.title_locked = title, bool(title)
        changes["title"] = title
    if enabled is not None:
        feed.enabled = enabled
        changes["enabled"] = enabled
    feed.error_count = 0
    feed.next_fetch_at = now or utcnow()
    audit.record(session, actor, "feed.update", "feed", feed.id, **changes)
    return feed


def delete_feed(session: Session, actor: User | None, feed: Feed) -> None:
    """Stop following a feed; its posts stay (their source is kept)."""
    audit.record(session, actor, "feed.delete", "feed", feed.id, url=feed.url)
    session.delete(feed)


def recent_post_counts(session: Session, now: datetime, days: int = 7) -> dict[int, int]:
    """New posts per feed in the last ``days`` days."""
    rows = session.execute(
        select(Post.feed_id, func.count())
        .where(Post.feed_id.is_not(None), Post.first_seen_at >= now - timedelta(days=days))
        .group_by(Post.feed_id)
    )
    return {feed_id: count for feed_id, count in rows}
