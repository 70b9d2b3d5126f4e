"""SQLAlchemy models, split by domain; importing this package registers them all."""

from .accounts import ApiToken, Membership, Role, Team, User
from .audit import AuditEntry
from .base import Base, utcnow

__all__ = ["ApiToken", "AuditEntry", "Base", "Membership", "Role", "Team", "User", "utcnow"]
