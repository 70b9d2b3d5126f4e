"""Gamification that needs storing: weekly team challenges set by comms managers."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .accounts import Team
from .base import Base, UTCDateTime, utcnow


class TeamChallenge(Base):
    """A goal for one team for one ISO week (Monday to Monday, UTC)."""

    __tablename__ = "team_challenges"
    __table_args__ = (
        UniqueConstraint("team_id", "week_start"),
        CheckConstraint("metric IN ('shares', 'clicks')", name="metric_known"),
        CheckConstraint("goal > 0", name="goal_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    week_start: Mapped[date] = mapped_column(Date)
    metric: Mapped[str] = mapped_column(String(16))
    goal: Mapped[int] = mapped_column(Integer)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    team: Mapped[Team] = relationship()
