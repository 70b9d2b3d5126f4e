"""Refreshing one feed, top to bottom: fetch → parse → normalize → ingest → schedule.

Every outcome is written on the feed (status, error and its time, next fetch) in the same
transaction as the posts it created, so a failure leaves posts untouched and is visible
on the feed page.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..models import Feed, utcnow
from .errors import FeedError
from .fetch import FetchPolicy, FetchResult
from .ingest import ingest_entries
from .normalize import normalize_entry
from .parse import ParsedFeed, parse_feed
from .schedule import next_fetch_at

MAX_INTERVAL = timedelta(hours=24)
PAUSE_AFTER_ERRORS = 10
ERRORS_KEPT = 20  # the feed page lists them, newest first
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RefreshOutcome:
    status: str  # "ok" or "error"
    new: int = 0
    updated: int = 0
    error: str | None = None
    not_modified: bool = False


def refresh_feed(
    session: Session, feed: Feed, policy: FetchPolicy, now: datetime | None = None
) -> RefreshOutcome:
    """Fetch ``feed`` now and store what is new; commits, and never raises a FeedError."""
    now = now or utcnow()
    try:
        fetched = policy.fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified)
        parsed = None if fetched.not_modified else _parse(fetched)
    except FeedError as exc:
        session.rollback()
        _record_failure(feed, exc, now)
        session.commit()
        log.info("feed %s failed: %s", feed.id, exc.message)
        return RefreshOutcome("error", error=exc.message)
    for attempt in (1, 2):
        try:
            new, updated = _store(session, feed, fetched, parsed, now)
            break
        except IntegrityError:
            # Another feed stored the same URL at the same moment; the second pass sees it.
            session.rollback()
            if attempt == 2:
                raise
    return RefreshOutcome("ok", new=new, updated=updated, not_modified=fetched.not_modified)


def _store(
    session: Session, feed: Feed, fetched: FetchResult, parsed: ParsedFeed | None, now: datetime
) -> tuple[int, int]:
    new = updated = 0
    if parsed is not None:
        _record_metadata(feed, parsed)  # first: new posts take the feed's title as source
        entries = [n for e in parsed.entries if (n := normalize_entry(e, fetched.final_url))]
        result = ingest_entries(session, feed, entries, now)
        new, updated = result.new, result.updated
    _record_success(feed, fetched, parsed, now, new)
    session.commit()
    return new, updated


def _parse(fetched: FetchResult) -> ParsedFeed:
    return parse_feed(fetched.body, url=fetched.final_url, content_type=fetched.content_type)


def polling_interval(
    feed: Feed, fetched: FetchResult | None, parsed: ParsedFeed | None
) -> timedelta:
    """The feed's own interval, raised (never lowered) by <ttl> or max-age, at most 24 h."""
    seconds = feed.interval_seconds
    for hint in (parsed.ttl_seconds if parsed else None, fetched.max_age if fetched else None):
        if hint:
            seconds = max(seconds, hint)
    return min(timedelta(seconds=seconds), MAX_INTERVAL)


def _record_success(
    feed: Feed, fetched: FetchResult, parsed: ParsedFeed | None, now: datetime, new: int
) -> None:
    feed.last_fetched_at = now
    feed.last_status = fetched.status
    feed.etag = fetched.etag
    feed.last_modified = fetched.last_modified
    feed.error_count = 0
    feed.items_seen += new
    feed.next_fetch_at = next_fetch_at(
        now,
        interval=polling_interval(feed, fetched, parsed),
        error_count=0,
        retry_after=fetched.retry_after,
    )


def _record_metadata(feed: Feed, parsed: ParsedFeed) -> None:
    if parsed.title and not feed.title_locked:
        feed.title = parsed.title[:300]
    if parsed.site_url:
        feed.site_url = parsed.site_url[:2048]
    feed.last_warning = parsed.warning


def _record_failure(feed: Feed, exc: FeedError, now: datetime) -> None:
    feed.last_fetched_at = now
    feed.last_status = exc.status
    feed.error_count += 1
    feed.last_error = exc.message[:2000]
    feed.last_error_at = now
    error = {"at": now.isoformat(), "status": exc.status, "message": exc.message[:500]}
    feed.recent_errors = [error, *(feed.recent_errors or [])][:ERRORS_KEPT]
    feed.next_fetch_at = next_fetch_at(
        now,
        interval=polling_interval(feed, None, None),
        error_count=feed.error_count,
        retry_after=exc.retry_after,
    )


def is_paused(feed: Feed) -> bool:
    """Not polled any more: disabled, or failing too often until a manager steps in."""
    return not feed.enabled or feed.error_count >= PAUSE_AFTER_ERRORS


def health_of(feed: Feed) -> str:
    """One word for the feeds list: disabled, paused, error, ok or new (never fetched)."""
    if not feed.enabled:
        return "disabled"
    if feed.error_count >= PAUSE_AFTER_ERRORS:
        return "paused"
    if feed.error_count:
        return "error"
    return "ok" if feed.last_fetched_at else "new"
