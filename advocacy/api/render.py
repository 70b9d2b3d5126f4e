"""How each resource looks in JSON."""

from __future__ import annotations

from typing import Any

from ..models import Team, User


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
