"""Tracking: the short links employees share, and clicks kept while Redis was away."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, UniqueConstraint
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
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
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
