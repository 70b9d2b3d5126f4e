"""Tracking: the short links employees share, and clicks kept while Redis was away."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .accounts import Team, User
from .base import Base, UTCDateTime, utcnow
from .content import Post


class Network(StrEnum):
    LINKEDIN = "linkedin"
    X = "x"
    FACEBOOK = "facebook"
    EMAIL = "email"
    COPY = "copy"


NETWORKS = tuple(n.value for n in Network)


class ShareLink(Base):
    """One per (user, post, network): who shared what, where; its code is the short link."""

    __tablename__ = "share_links"
    __table_args__ = (
        UniqueConstraint("user_id", "post_id", "network"),
        CheckConstraint(f"network IN {NETWORKS!r}", name="network_known"),
        # Shares are counted per user, post or network over a period: from these alone.
        Index("ix_share_links_user_id_created_at", "user_id", "created_at"),
        Index("ix_share_links_post_id_created_at", "post_id", "created_at"),
        Index("ix_share_links_network_created_at", "network", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="SET NULL"), index=True
    )
    network: Mapped[str] = mapped_column(String(16))
    target_url: Mapped[str] = mapped_column(String(4096))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    user: Mapped[User] = relationship()
    post: Mapped[Post] = relationship()
    team: Mapped[Team | None] = relationship()


class SpooledClick(Base):
    """A click taken while Redis was unreachable; the worker moves it to the stream later."""

    __tablename__ = "spooled_clicks"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16))
    at_ms: Mapped[int] = mapped_column(BigInteger)
    visitor: Mapped[str] = mapped_column(String(64))
    user_agent: Mapped[str] = mapped_column(String(512), default="")
    referrer_host: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Click(Base):
    """One click, as it happened: immutable, keyed by its stream entry id (exactly once)."""

    __tablename__ = "clicks"
    __table_args__ = (Index("ix_clicks_link_id_at", "link_id", "at"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(40), unique=True)
    link_id: Mapped[int] = mapped_column(ForeignKey("share_links.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    visitor: Mapped[str] = mapped_column(String(64))
    human: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str | None] = mapped_column(String(32))
    user_agent: Mapped[str] = mapped_column(String(512), default="")
    referrer_host: Mapped[str] = mapped_column(String(255), default="")


class ClickRollup(Base):
    """Per link and UTC hour: what the dashboards read."""

    __tablename__ = "click_rollups"
    __table_args__ = (Index("ix_click_rollups_hour", "hour"),)

    link_id: Mapped[int] = mapped_column(
        ForeignKey("share_links.id", ondelete="CASCADE"), primary_key=True
    )
    hour: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    clicks: Mapped[int] = mapped_column(Integer, default=0)
    unique_clicks: Mapped[int] = mapped_column(Integer, default=0)
    bot_clicks: Mapped[int] = mapped_column(Integer, default=0)


class ClickDailyVisitor(Base):
    """A visitor's first human click of a UTC day on a link: where its unique click went."""

    __tablename__ = "click_daily_visitors"

    link_id: Mapped[int] = mapped_column(
        ForeignKey("share_links.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    visitor: Mapped[str] = mapped_column(String(64), primary_key=True)
    first_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ClickBurst(Base):
    """Human-looking clicks per visitor, link and UTC minute: past ten, they are a burst."""

    __tablename__ = "click_bursts"

    link_id: Mapped[int] = mapped_column(
        ForeignKey("share_links.id", ondelete="CASCADE"), primary_key=True
    )
    visitor: Mapped[str] = mapped_column(String(64), primary_key=True)
    minute: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
