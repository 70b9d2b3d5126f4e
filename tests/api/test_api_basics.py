from __future__ import annotations

import pytest
from sqlalchemy import func, select

from advocacy.db import db
from advocacy.models import Role, Team, User


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _error(response) -> dict:
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert body["error"]["message"]
    return body["error"]


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer adv_not-a-real-token"}, {"Authorization": "Basic Zm9vOmJhcg=="}],
)
def test_no_token_or_a_bad_one_is_401_json(client, headers):
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert response.content_type == "application/json"
    assert _error(response)["code"] == "unauthorized"


def test_revoked_token_and_deactivated_owner_are_401(app, client, factory):
    from advocacy import accounts

    user = factory.user()
    token = factory.token(user)
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    with app.app_context():
        row = accounts.tokens_of(db.session, db.session.get(User, user.id))[0]
        accounts.revoke_token(db.session, db.session.get(User, user.id), row.id)
        db.session.commit()
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401
    other = factory.user()
    token = factory.token(other)
    with app.app_context():
        db.session.get(User, other.id).active = False
        db.session.commit()
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401


def test_me_describes_the_caller(client, factory):
    team = factory.team("Engineering")
    user = factory.user(Role.LEADER, team=team, name="Lee")
    body = client.get("/api/v1/me", headers=bearer(factory.token(user))).get_json()
    assert (body["id"], body["email"], body["name"], body["role"]) == (
        user.id,
        user.email,
        "Lee",
        "leader",
    )
    assert body["team"] == {"id": team.id, "name": "Engineering", "slug": "engineering"}


def test_role_without_the_right_is_403_json(client, factory):
    token = factory.token(factory.user(Role.MANAGER))
    response = client.post("/api/v1/teams", json={"name": "X"}, headers=bearer(token))
    assert response.status_code == 403 and _error(response)["code"] == "forbidden"
    response = client.get("/api/v1/users", headers=bearer(token))
    assert response.status_code == 403


def test_teams_list_is_paged(client, factory):
    for name in ("Alpha", "Bravo", "Charlie"):
        factory.team(name)
    token = factory.token(factory.user())
    body = client.get("/api/v1/teams?per_page=2&page=2", headers=bearer(token)).get_json()
    assert (body["page"], body["per_page"], body["total"]) == (2, 2, 3)
    assert [t["name"] for t in body["items"]] == ["Charlie"]
    for bad in ("per_page=0", "per_page=501", "page=0", "page=x"):
        response = client.get(f"/api/v1/teams?{bad}", headers=bearer(token))
        assert response.status_code == 400 and _error(response)["code"] == "validation_error"


def test_admin_creates_teams_and_users(app, client, factory):
    token = factory.token(factory.user(Role.ADMIN))
    response = client.post("/api/v1/teams", json={"name": "Legal & Risk"}, headers=bearer(token))
    assert response.status_code == 201
    team = response.get_json()
    assert (team["name"], team["slug"]) == ("Legal & Risk", "legal-risk")
    response = client.post(
        "/api/v1/users",
        json={
            "email": "Ann@Example.test",
            "name": "Ann",
            "role": "employee",
            "team_id": team["id"],
            "password": "long-password",
        },
        headers=bearer(token),
    )
    assert response.status_code == 201
    created = response.get_json()
    assert (created["email"], created["team_id"], created["role"]) == (
        "ann@example.test",
        team["id"],
        "employee",
    )
    assert "password" not in str(created)
    listed = client.get("/api/v1/users", headers=bearer(token)).get_json()
    assert listed["total"] == 2 and {u["email"] for u in listed["items"]} >= {"ann@example.test"}


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"email": "a@example.test", "name": "A", "role": "pope"}, 400),
        ({"email": "nope", "name": "A", "role": "employee"}, 400),
        ({"email": "a@example.test", "role": "employee"}, 400),
        ({"email": "a@example.test", "name": "A", "role": "employee", "team_id": 99999}, 400),
        ({"email": "a@example.test", "name": "A", "role": "employee", "team_id": "1"}, 400),
        ({"email": "a@example.test", "name": "A", "role": "employee", "password": "short"}, 400),
        ({"email": "taken@example.test", "name": "A", "role": "employee"}, 409),
        ([1, 2, 3], 400),
    ],
)
def test_bad_user_input_is_a_4xx_and_changes_nothing(app, client, factory, body, status):
    token = factory.token(factory.user(Role.ADMIN, email="taken@example.test"))
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(User))
    response = client.post("/api/v1/users", json=body, headers=bearer(token))
    assert response.status_code == status
    assert _error(response)["code"] in {"validation_error", "conflict"}
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == before


def test_bad_team_input_is_a_4xx_and_changes_nothing(app, client, factory):
    factory.team("Taken")
    token = factory.token(factory.user(Role.ADMIN))
    for body, status in [
        ({}, 400),
        ({"name": "  "}, 400),
        ({"name": 5}, 400),
        ({"name": "taken"}, 409),
        ({"name": "!!!"}, 400),
    ]:
        response = client.post("/api/v1/teams", json=body, headers=bearer(token))
        assert response.status_code == status, body
    response = client.post("/api/v1/teams", data="not json", headers=bearer(token))
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Team)) == 1


def test_unknown_api_path_is_a_json_404(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404 and _error(response)["code"] == "not_found"
