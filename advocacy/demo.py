"""The demo organisation: five teams and a user of every role (idempotent)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from . import accounts
from .models.accounts import user_by_email

DEMO_TEAMS = ("Marketing", "Engineering", "Sales", "HR", "Comms")
DEMO_PASSWORD = "demo-password"


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    role: str
    team: str


DEMO_USERS = (
    DemoUser("admin@demo.example", "Ada Admin", "admin", "Comms"),
    DemoUser("manager@demo.example", "Morgan Manager", "manager", "Comms"),
    DemoUser("leader@demo.example", "Lee Leader", "leader", "Marketing"),
    DemoUser("employee@demo.example", "Emma Employee", "employee", "Engineering"),
    DemoUser("sales@demo.example", "Sam Sales", "employee", "Sales"),
)


def seed_demo(session: Session) -> int:
    """Create what is missing of the demo organisation; return how many rows were added."""
    added = 0
    teams = {}
    for name in DEMO_TEAMS:
        team = accounts.team_by_name(session, name)
        if team is None:
            team = accounts.create_team(session, None, name)
            added += 1
        teams[name] = team
    for demo in DEMO_USERS:
        if user_by_email(session, demo.email) is None:
            accounts.create_user(
                session,
                None,
                email=demo.email,
                name=demo.name,
                role=demo.role,
                team=teams[demo.team],
                password=DEMO_PASSWORD,
            )
            added += 1
    session.commit()
    return added
