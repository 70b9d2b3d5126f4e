"""How each resource looks in JSON."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..feeds.refresh import health_of
from ..models import Feed, Post, Team, User


def team(t: Team) -> dict[str, Any]:
    return {"id": t.id, "name": t.name, "slug": t.slug}


def user(u: User) -> dict[str, Any]:
    current = u.team
    return {
        "id": u.id,
        "email": u.email,
        "name": u.name,
        "role": u.role,
        "team": team(current) if current else None,
        "team_id": current.id if current else None,
        "active": u.active,
        "locale": u.locale,
        "created_at": u.created_at.isoformat(),
    }


def when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def feed(f: Feed) -> dict[str, Any]:
    return {
        "id": f.id,
        "url": f.url,
        "title": f.title,
        "site_url": f.site_url,
        "status": health_of(f),
        "enabled": f.enabled,
        "team_ids": [t.id for t in f.teams],
        "interval_minutes": f.interval_seconds // 60,
        "last_fetched_at": when(f.last_fetched_at),
        "next_fetch_at": when(f.next_fetch_at),
        "last_status": f.last_status,
        "error_count": f.error_count,
        "last_error": f.last_error,
        "last_error_at": when(f.last_error_at),
        "last_warning": f.last_warning,
        "items_seen": f.items_seen,
    }


def post(p: Post) -> dict[str, Any]:
    return {
        "id": p.id,
        "url": p.url,
        "title": p.title,
        "summary_html": p.summary_html,
        "image_url": p.image_url,
        "source": p.source,
        "feed_id": p.feed_id,
        "published_at": when(p.published_at),
        "status": p.status,
        "share_text": {
            "linkedin": p.share_text_linkedin or p.title,
            "x": p.share_text_x or p.title,
            "facebook": p.share_text_facebook or p.title,
            "email_subject": p.email_subject or p.title,
            "email_body": p.email_body or p.title,
        },
        "team_ids": [t.id for t in p.teams],
        "publish_at": when(p.publish_at),
        "expires_at": when(p.expires_at),
        "pinned": p.pinned,
        "enclosures": p.enclosures,
    }
