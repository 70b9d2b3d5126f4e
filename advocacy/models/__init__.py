"""SQLAlchemy models, split by domain; importing this package registers them all."""

from .accounts import ApiToken, Membership, Role, Team, User
from .audit import AuditEntry
from .base import Base, utcnow
from .content import Feed, FeedEntry, Post, PostStatus

__all__ = [
    "ApiToken",
    "AuditEntry",
    "Base",
    "Feed",
    "FeedEntry",
    "Membership",
    "Post",
    "PostStatus",
    "Role",
    "Team",
    "User",
    "utcnow",
]
