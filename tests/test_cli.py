from __future__ import annotations

from sqlalchemy import func, select

from advocacy.db import db
from advocacy.demo import DEMO_TEAMS, DEMO_USERS
from advocacy.models import Membership, Team, User


def test_users_create_makes_the_team_and_tokens_create_prints_only_a_token(app, runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "Cli@Example.test",
            "--name",
            "Cli User",
            "--role",
            "manager",
            "--team",
            "Newsroom",
            "--password",
            "long-password",
        ]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["tokens", "create", "--email", "cli@example.test"])
    assert result.exit_code == 0
    token = result.stdout.strip()
    assert token.startswith("adv_") and "\n" not in token
    me = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    body = me.get_json()
    assert (body["email"], body["role"], body["team"]["name"]) == (
        "cli@example.test",
        "manager",
        "Newsroom",
    )


def test_cli_refuses_bad_input_with_a_message(app, runner):
    result = runner.invoke(
        args=["users", "create", "--email", "x@example.test", "--name", "X", "--role", "king"]
    )
    assert result.exit_code != 0 and "Unknown role" in result.output
    result = runner.invoke(args=["tokens", "create", "--email", "ghost@example.test"])
    assert result.exit_code != 0 and "no user" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


def _counts(app) -> tuple[int, int, int]:
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (Team, User, Membership)
        )


def test_demo_seeds_every_role_and_is_idempotent(app, runner):
    assert runner.invoke(args=["demo"]).exit_code == 0
    first = _counts(app)
    assert first == (len(DEMO_TEAMS), len(DEMO_USERS), len(DEMO_USERS))
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert _counts(app) == first
    with app.app_context():
        roles = set(db.session.scalars(select(User.role)))
        names = set(db.session.scalars(select(Team.name)))
    assert roles == {"employee", "manager", "leader", "admin"}
    assert names == {"Marketing", "Engineering", "Sales", "HR", "Comms"}


def test_demo_if_empty_leaves_an_existing_organisation_alone(app, runner, factory):
    factory.user()
    result = runner.invoke(args=["demo", "--if-empty"])
    assert result.exit_code == 0 and "not seeded" in result.output
    assert _counts(app)[1] == 1
