"""Content: feeds, the entries seen in them, and the posts they become."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .accounts import Team, User
from .base import Base, UTCDateTime, utcnow

DEFAULT_FEED_INTERVAL = 15 * 60


class PostStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    ARCHIVED = "archived"
    EXPIRED = "expired"


POST_STATUSES = tuple(s.value for s in PostStatus)

feed_teams = Table(
    "feed_teams",
    Base.metadata,
    Column("feed_id", ForeignKey("feeds.id", ondelete="CASCADE"), primary_key=True),
    Column("team_id", ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True),
)

post_teams = Table(
    "post_teams",
    Base.metadata,
    Column("post_id", ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    Column("team_id", ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True),
)


class Feed(Base):
    __tablename__ = "feeds"
    __table_args__ = (Index("ix_feeds_due", "enabled", "next_fetch_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    host: Mapped[str] = mapped_column(String(255), index=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    title_locked: Mapped[bool] = mapped_column(Boolean, default=False)
    site_url: Mapped[str | None] = mapped_column(String(2048))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    interval_seconds: Mapped[int] = mapped_column(Integer, default=DEFAULT_FEED_INTERVAL)
    etag: Mapped[str | None] = mapped_column(String(512))
    last_modified: Mapped[str | None] = mapped_column(String(64))
    last_fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_fetch_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_status: Mapped[int | None] = mapped_column(Integer)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_warning: Mapped[str | None] = mapped_column(Text)
    recent_errors: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    items_seen: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    teams: Mapped[list[Team]] = relationship(secondary=feed_teams, order_by="Team.name")


class FeedEntry(Base):
    """One entry of one feed, by its stable key: what makes a refresh idempotent."""

    __tablename__ = "feed_entries"
    __table_args__ = (UniqueConstraint("feed_id", "dedupe_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("feeds.id", ondelete="CASCADE"))
    dedupe_key: Mapped[str] = mapped_column(String(255))
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Post(Base):
    __tablename__ = "posts"
    __table_args__ = (
        CheckConstraint(f"status IN {POST_STATUSES!r}", name="status_known"),
        Index("ix_posts_status_published_at", "status", "published_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2048))
    canonical_url: Mapped[str] = mapped_column(String(2048), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    summary_html: Mapped[str] = mapped_column(Text, default="")
    image_url: Mapped[str | None] = mapped_column(String(2048))
    author: Mapped[str | None] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(String(300), default="manual")
    feed_id: Mapped[int | None] = mapped_column(
        ForeignKey("feeds.id", ondelete="SET NULL"), index=True
    )
    enclosures: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default=PostStatus.PENDING.value)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    taken_down_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    share_text_linkedin: Mapped[str | None] = mapped_column(Text)
    share_text_x: Mapped[str | None] = mapped_column(Text)
    share_text_facebook: Mapped[str | None] = mapped_column(Text)
    email_subject: Mapped[str | None] = mapped_column(String(300))
    email_body: Mapped[str | None] = mapped_column(Text)
    publish_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    teams: Mapped[list[Team]] = relationship(secondary=post_teams, order_by="Team.name")
    feed: Mapped[Feed | None] = relationship()
    created_by: Mapped[User | None] = relationship()
