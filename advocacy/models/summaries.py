"""Shares and click figures summed per user, post and network: per UTC day, and over all time.

Clicks are derived from the hourly rollups, in the same transaction; shares are counted when
a share link is created (``tracking.summaries``). A leaderboard over a year then reads
thousands of rows instead of every rollup and every share link.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base

# A period's rows summed from the day index alone (SQLite: no table lookup per row;
# PostgreSQL: an index-only scan once vacuumed).
FIGURES = ("shares", "clicks", "unique_clicks", "bot_clicks")


class CountsMixin:
    shares: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    clicks: Mapped[int] = mapped_column(Integer, default=0)
    unique_clicks: Mapped[int] = mapped_column(Integer, default=0)
    bot_clicks: Mapped[int] = mapped_column(Integer, default=0)


class UserClickDay(CountsMixin, Base):
    __tablename__ = "user_click_days"
    __table_args__ = (
        Index("ix_user_click_days_day_figures", "day", "user_id", *FIGURES),
        # the dashboard's chart: a team's members' clicks per day, from the index alone
        Index("ix_user_click_days_user_id_day_clicks", "user_id", "day", "clicks"),
    )

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)


class UserClickTotal(CountsMixin, Base):
    __tablename__ = "user_click_totals"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )


class PostClickDay(CountsMixin, Base):
    __tablename__ = "post_click_days"
    __table_args__ = (Index("ix_post_click_days_day_figures", "day", "post_id", *FIGURES),)

    post_id: Mapped[int] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)


class PostClickTotal(CountsMixin, Base):
    __tablename__ = "post_click_totals"

    post_id: Mapped[int] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
    )


class NetworkClickDay(CountsMixin, Base):
    __tablename__ = "network_click_days"

    network: Mapped[str] = mapped_column(String(16), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
