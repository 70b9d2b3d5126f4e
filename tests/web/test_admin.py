from __future__ import annotations

from sqlalchemy import func, select

from advocacy.db import db
from advocacy.models import AuditEntry, Membership, Role, Team, User
from tests.conftest import csrf_from, sign_in


def _admin_client(app, factory):
    admin = factory.user(Role.ADMIN)
    client = app.test_client()
    sign_in(client, admin.email)
    return client


def _post(client, page: str, action: str, **data):
    data["csrf_token"] = csrf_from(client.get(page).text)
    return client.post(action, data=data)


def test_admin_creates_a_user_who_can_then_sign_in(app, factory):
    team = factory.team("Sales")
    client = _admin_client(app, factory)
    response = _post(
        client,
        "/admin/users/",
        "/admin/users/",
        email="New.Person@Example.test",
        name="New Person",
        role="manager",
        team_id=str(team.id),
        password="a-long-password",
    )
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "new.person@example.test"))
        assert (user.role, user.team.name) == ("manager", "Sales")
        assert user.password_hash and "a-long-password" not in user.password_hash
    assert (
        sign_in(app.test_client(), "new.person@example.test", "a-long-password").status_code == 302
    )


def test_bad_user_input_shows_a_message_and_creates_nothing(app, factory):
    team = factory.team()
    existing = factory.user()
    client = _admin_client(app, factory)
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(User))
    cases = [
        {"email": existing.email, "name": "Dup", "password": "long-enough"},
        {"email": "not-an-email", "name": "X", "password": "long-enough"},
        {"email": "short@example.test", "name": "X", "password": "short"},
        {"email": "noname@example.test", "name": "", "password": "long-enough"},
    ]
    for data in cases:
        response = _post(
            client, "/admin/users/", "/admin/users/", role="employee", team_id=str(team.id), **data
        )
        assert response.status_code == 400, data
        assert 'class="errors"' in response.text, data
    response = _post(
        client,
        "/admin/users/",
        "/admin/users/",
        email="x@example.test",
        name="X",
        password="long-enough",
        role="emperor",
        team_id=str(team.id),
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == before


def test_moving_a_user_keeps_the_team_history(app, factory):
    marketing, sales = factory.team("Marketing"), factory.team("Sales")
    user = factory.user(team=marketing)
    client = _admin_client(app, factory)
    page = f"/admin/users/{user.id}"
    response = _post(client, page, f"{page}/move", team_id=str(sales.id))
    assert response.status_code == 302
    with app.app_context():
        rows = db.session.scalars(
            select(Membership).where(Membership.user_id == user.id).order_by(Membership.id)
        ).all()
        assert [(m.team_id, m.left_at is None) for m in rows] == [
            (marketing.id, False),
            (sales.id, True),
        ]
        assert rows[0].left_at == rows[1].joined_at
        actions = db.session.scalars(
            select(AuditEntry.action).where(AuditEntry.subject_id == user.id)
        ).all()
        assert "user.move" in actions
    assert "Marketing" in client.get(page).text  # the history is on the page


def test_edit_reset_password_and_reactivate(app, factory):
    user = factory.user(name="Before")
    client = _admin_client(app, factory)
    page = f"/admin/users/{user.id}"
    assert _post(client, page, page, name="After", role="leader").status_code == 302
    assert _post(client, page, f"{page}/password", password="brand-new-pass").status_code == 302
    assert _post(client, page, f"{page}/password", password="short").status_code == 400
    assert sign_in(app.test_client(), user.email, "brand-new-pass").status_code == 302
    _post(client, page, f"{page}/active")
    with app.app_context():
        refreshed = db.session.get(User, user.id)
        assert (refreshed.name, refreshed.role, refreshed.active) == ("After", "leader", False)
        assert refreshed.deactivated_at is not None
    _post(client, page, f"{page}/active")
    assert sign_in(app.test_client(), user.email, "brand-new-pass").status_code == 302


def test_an_admin_cannot_deactivate_themselves(app, factory):
    admin = factory.user(Role.ADMIN)
    client = app.test_client()
    sign_in(client, admin.email)
    page = f"/admin/users/{admin.id}"
    response = _post(client, page, f"{page}/active")
    assert response.status_code == 400
    assert "cannot deactivate your own account" in response.text
    with app.app_context():
        assert db.session.get(User, admin.id).active is True


def test_teams_are_created_and_renamed_and_duplicates_refused(app, factory):
    client = _admin_client(app, factory)
    assert _post(client, "/admin/teams/", "/admin/teams/", name="Field Ops").status_code == 302
    response = _post(client, "/admin/teams/", "/admin/teams/", name="field ops")
    assert response.status_code == 400 and "already exists" in response.text
    with app.app_context():
        team = db.session.scalar(select(Team).where(Team.name == "Field Ops"))
        assert team.slug == "field-ops"
    response = _post(client, "/admin/teams/", f"/admin/teams/{team.id}", name="Field Operations")
    assert response.status_code == 302
    with app.app_context():
        renamed = db.session.get(Team, team.id)
        assert (renamed.name, renamed.slug) == ("Field Operations", "field-operations")
        assert db.session.scalar(select(func.count()).select_from(Team)) == 1
