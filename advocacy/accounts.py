"""Accounts: users, teams, passwords, team moves and API tokens.

Every function takes a session and the acting user, validates its input, writes the
audit log and leaves committing to the caller, so a refused change changes nothing.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime

from slugify import slugify
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from . import audit
from .errors import Conflict, NotFound, ValidationError
from .models import ApiToken, Membership, Role, Team, User, utcnow
from .models.accounts import user_by_email

MIN_PASSWORD_LENGTH = 8
TOKEN_PREFIX = "adv_"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Checked against when the email is unknown, so both paths cost one hash.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


def _clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    if not _EMAIL.match(email) or len(email) > 254:
        raise ValidationError(f"{email or 'An empty value'} is not a valid email address.")
    return email


def _clean_name(name: str, what: str = "Name") -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(f"{what} must not be empty.")
    if len(name) > 120:
        raise ValidationError(f"{what} must be 120 characters or fewer.")
    return name


def parse_role(role: str) -> Role:
    try:
        return Role((role or "").strip().lower())
    except ValueError:
        allowed = ", ".join(r.value for r in Role)
        raise ValidationError(f"Unknown role {role!r}; use one of {allowed}.") from None


def _check_password(password: str) -> str:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"A password needs at least {MIN_PASSWORD_LENGTH} characters.")
    return password


# Teams


def get_team(session: Session, team_id: int) -> Team:
    team = session.get(Team, team_id)
    if team is None:
        raise NotFound(f"There is no team {team_id}.")
    return team


def team_for_input(session: Session, team_id: int | None) -> Team | None:
    """The team a caller named, where naming a team that does not exist is bad input."""
    if team_id is None:
        return None
    team = session.get(Team, team_id)
    if team is None:
        raise ValidationError(f"There is no team {team_id}.")
    return team


def team_by_name(session: Session, name: str) -> Team | None:
    return session.scalar(select(Team).where(func.lower(Team.name) == name.strip().lower()))


def create_team(session: Session, actor: User | None, name: str) -> Team:
    name = _clean_name(name, "A team name")
    slug = slugify(name, max_length=140)
    if not slug:
        raise ValidationError("A team name needs at least one letter or digit.")
    if team_by_name(session, name) or session.scalar(select(Team).where(Team.slug == slug)):
        raise Conflict(f"A team named {name!r} already exists.")
    team = Team(name=name, slug=slug)
    session.add(team)
    session.flush()
    audit.record(session, actor, "team.create", "team", team.id, name=name)
    return team


def rename_team(session: Session, actor: User | None, team: Team, name: str) -> Team:
    name = _clean_name(name, "A team name")
    other = team_by_name(session, name)
    if other is not None and other.id != team.id:
        raise Conflict(f"A team named {name!r} already exists.")
    old = team.name
    team.name = name
    team.slug = slugify(name, max_length=140)
    audit.record(session, actor, "team.rename", "team", team.id, old=old, new=name)
    return team


def ensure_team(session: Session, actor: User | None, name: str) -> Team:
    return team_by_name(session, name) or create_team(session, actor, name)


def list_teams(session: Session) -> list[Team]:
    return list(session.scalars(select(Team).order_by(Team.name)))


# Users


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"There is no user {user_id}.")
    return user


def create_user(
    session: Session,
    actor: User | None,
    *,
    email: str,
    name: str,
    role: str,
    team: Team | None = None,
    password: str | None = None,
) -> User:
    email = _clean_email(email)
    name = _clean_name(name)
    role_value = parse_role(role)
    if user_by_email(session, email) is not None:
        raise Conflict(f"A user with the email {email} already exists.")
    user = User(email=email, name=name, role=role_value.value, active=True)
    if password is not None:
        user.password_hash = generate_password_hash(_check_password(password))
    session.add(user)
    session.flush()
    if team is not None:
        session.add(Membership(user=user, team=team, joined_at=utcnow()))
    audit.record(
        session,
        actor,
        "user.create",
        "user",
        user.id,
        role=user.role,
        team_id=team.id if team else None,
    )
    session.flush()
    return user


def update_user(
    session: Session,
    actor: User | None,
    user: User,
    *,
    name: str | None = None,
    role: str | None = None,
    locale: str | None = None,
    hide_from_leaderboard: bool | None = None,
) -> User:
    changes: dict[str, object] = {}
    if hide_from_leaderboard is not None and hide_from_leaderboard != user.hide_from_leaderboard:
        changes["hide_from_leaderboard"] = hide_from_leaderboard
        user.hide_from_leaderboard = hide_from_leaderboard
    if name is not None and _clean_name(name) != user.name:
        changes["name"] = [user.name, _clean_name(name)]
        user.name = _clean_name(name)
    if role is not None and parse_role(role).value != user.role:
        changes["role"] = [user.role, parse_role(role).value]
        user.role = parse_role(role).value
    if locale is not None and (locale or None) != user.locale:
        changes["locale"] = [user.locale, locale or None]
        user.locale = locale or None
    if changes:
        audit.record(session, actor, "user.update", "user", user.id, **changes)
    return user


def move_user(
    session: Session, actor: User | None, user: User, team: Team, at: datetime | None = None
) -> Membership:
    """Close the user's current membership and open one in ``team``; history is kept."""
    at = at or utcnow()
    current = user.current_membership
    if current is not None and current.team_id == team.id:
        return current
    if current is not None:
        current.left_at = at
        session.flush()  # the open-membership index allows one open row per user
    membership = Membership(user=user, team=team, joined_at=at)
    session.add(membership)
    audit.record(
        session,
        actor,
        "user.move",
        "user",
        user.id,
        from_team_id=current.team_id if current else None,
        to_team_id=team.id,
    )
    session.flush()
    return membership


def set_password(session: Session, actor: User | None, user: User, password: str) -> None:
    user.password_hash = generate_password_hash(_check_password(password))
    action = "user.password_change" if actor is user else "user.password_reset"
    audit.record(session, actor, action, "user", user.id)


def change_own_password(session: Session, user: User, current: str, new: str) -> None:
    if not user.password_hash or not check_password_hash(user.password_hash, current or ""):
        raise ValidationError("The current password is not right.")
    set_password(session, user, user, new)


def set_active(session: Session, actor: User | None, user: User, active: bool) -> None:
    if actor is not None and actor.id == user.id and not active:
        raise ValidationError("You cannot deactivate your own account.")
    if user.active == active:
        return
    user.active = active
    user.deactivated_at = None if active else utcnow()
    audit.record(session, actor, "user.activate" if active else "user.deactivate", "user", user.id)


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The user whose email and password match and who may sign in, else None.

    The reason is not returned: sign-in must not tell whether an email exists.
    """
    user = user_by_email(session, email or "")
    if user is None or not user.password_hash:
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    if not check_password_hash(user.password_hash, password or ""):
        return None
    return user if user.active else None


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.name, User.id)))


# API tokens


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, actor: User | None, user: User, name: str = "") -> str:
    """Store a new token for ``user`` and return it: the only time it is visible."""
    name = " ".join((name or "").split())[:80] or "API token"
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user=user, name=name, token_hash=hash_token(token), prefix=token[:10])
    session.add(row)
    session.flush()
    audit.record(session, actor, "token.create", "api_token", row.id, user_id=user.id)
    return token


def user_for_token(session: Session, token: str) -> User | None:
    if not token.startswith(TOKEN_PREFIX):
        return None
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    if row is None or row.revoked_at is not None or not row.user.active:
        return None
    now = utcnow()
    # Recorded to the minute: a write per request would cost more than it tells.
    if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
        row.last_used_at = now
    return row.user


def tokens_of(session: Session, user: User) -> list[ApiToken]:
    return list(
        session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at)
        )
    )


def revoke_token(session: Session, actor: User, token_id: int) -> ApiToken:
    row = session.get(ApiToken, token_id)
    if row is None or (row.user_id != actor.id and not actor.has_role(Role.ADMIN)):
        raise NotFound("There is no such token.")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        audit.record(session, actor, "token.revoke", "api_token", row.id, user_id=row.user_id)
    return row


def member_counts(session: Session) -> dict[int, int]:
    """Current members per team id."""
    rows = session.execute(
        select(Membership.team_id, func.count())
        .where(Membership.left_at.is_(None))
        .group_by(Membership.team_id)
    )
    return {team_id: count for team_id, count in rows}
