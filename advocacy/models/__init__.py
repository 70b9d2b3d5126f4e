"""SQLAlchemy models, split by domain; importing this package registers them all."""

from .accounts import ApiToken, Membership, Role, Team, User
from .audit import AuditEntry
from .base import Base, utcnow
from .content import Feed, FeedEntry, Post, PostStatus
from .engagement import TeamChallenge
from .summaries import (
    NetworkClickDay,
    PostClickDay,
    PostClickTotal,
    UserClickDay,
    UserClickTotal,
)
from .tracking import (
    Click,
    ClickBurst,
    ClickDailyVisitor,
    ClickRollup,
    Network,
    ShareLink,
    SpooledClick,
)

__all__ = [
    "ApiToken",
    "AuditEntry",
    "Base",
    "Click",
    "ClickBurst",
    "ClickDailyVisitor",
    "ClickRollup",
    "Feed",
    "FeedEntry",
    "Membership",
    "Network",
    "NetworkClickDay",
    "Post",
    "PostClickDay",
    "PostClickTotal",
    "PostStatus",
    "Role",
    "ShareLink",
    "SpooledClick",
    "Team",
    "TeamChallenge",
    "User",
    "UserClickDay",
    "UserClickTotal",
    "utcnow",
]
