"""Store normalized entries as posts: each new item lands once, as a pending post.

Rules: an entry is known by its key within its feed (``feed_entries``); the same
canonical URL from two feeds is one post; a changed entry updates its post only while the
post is pending (approved words are never overwritten); a deleted post stays deleted.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Feed, FeedEntry, Post, PostStatus
from .normalize import NormalizedEntry

MAX_URL_LENGTH = 2048


@dataclass(frozen=True, slots=True)
class IngestResult:
    new: int
    updated: int
    unchanged: int


def content_hash(entry: NormalizedEntry) -> str:
    """What, if it changes upstream, is worth updating a pending post for."""
    material = [
        entry.title,
        entry.summary_html,
        entry.image_url,
        entry.url,
        entry.author,
        [asdict(e) for e in entry.enclosures],
    ]
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()


def ingest_entries(
    session: Session, feed: Feed, entries: Sequence[NormalizedEntry], now: datetime
) -> IngestResult:
    storable = [e for e in entries if max(len(e.url), len(e.canonical_url)) <= MAX_URL_LENGTH]
    unique = list({e.dedupe_key: e for e in reversed(storable)}.values())[::-1]
    known = _known_entries(session, feed, [e.dedupe_key for e in unique])
    posts = _posts_by_url(session, [e.canonical_url for e in unique if e.dedupe_key not in known])
    new = updated = unchanged = 0
    seen_now: list[tuple[str, str, Post]] = []  # entries first seen in this fetch
    for entry in unique:
        digest = content_hash(entry)
        seen = known.get(entry.dedupe_key)
        if seen is not None:
            if seen.content_hash == digest:
                unchanged += 1
                continue
            seen.content_hash = digest
            post = session.get(Post, seen.post_id)
            if post is not None and _refreshable(post):
                _fill(post, entry, now)
                updated += 1
            else:
                unchanged += 1
            continue
        post = posts.get(entry.canonical_url)
        if post is None:
            post = _new_post(feed, entry, now)
            session.add(post)
            posts[entry.canonical_url] = post
            new += 1
        else:
            unchanged += 1
        seen_now.append((entry.dedupe_key, digest, post))
    session.flush()  # once: gives the new posts their ids
    session.add_all(
        FeedEntry(
            feed_id=feed.id,
            dedupe_key=key,
            post_id=post.id,
            content_hash=digest,
            first_seen_at=now,
        )
        for key, digest, post in seen_now
    )
    session.flush()
    return IngestResult(new=new, updated=updated, unchanged=unchanged)


def _known_entries(session: Session, feed: Feed, keys: list[str]) -> dict[str, FeedEntry]:
    found: dict[str, FeedEntry] = {}
    for chunk in _chunks(keys):
        rows = session.scalars(
            select(FeedEntry).where(FeedEntry.feed_id == feed.id, FeedEntry.dedupe_key.in_(chunk))
        )
        found.update((row.dedupe_key, row) for row in rows)
    return found


def _posts_by_url(session: Session, urls: list[str]) -> dict[str, Post]:
    found: dict[str, Post] = {}
    for chunk in _chunks(urls):
        rows = session.scalars(select(Post).where(Post.canonical_url.in_(chunk)))
        found.update((row.canonical_url, row) for row in rows)
    return found


def _chunks(items: list[str], size: int = 500) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _refreshable(post: Post) -> bool:
    return post.status == PostStatus.PENDING and post.deleted_at is None


def _new_post(feed: Feed, entry: NormalizedEntry, now: datetime) -> Post:
    post = Post(
        canonical_url=entry.canonical_url,
        source=feed.title or feed.host,
        feed_id=feed.id,
        published_at=entry.published or now,
        first_seen_at=now,
        status=PostStatus.PENDING.value,
        teams=list(feed.teams),
    )
    _fill(post, entry, now)
    return post


def _fill(post: Post, entry: NormalizedEntry, now: datetime) -> None:
    post.url = entry.url
    post.title = entry.title[:500]
    post.summary_html = entry.summary_html
    post.image_url = entry.image_url
    post.author = entry.author
    post.enclosures = [asdict(e) for e in entry.enclosures]
    post.updated_at = now
