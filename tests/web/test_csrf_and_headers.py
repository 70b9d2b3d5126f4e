from __future__ import annotations

from sqlalchemy import func, select

from advocacy.db import db
from advocacy.headers import SECURITY_HEADERS
from advocacy.models import Role, Team
from tests.conftest import csrf_from, sign_in


def _team_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Team))


def test_form_post_without_csrf_token_is_refused_and_changes_nothing(app, client, factory):
    admin = factory.user(Role.ADMIN)
    sign_in(client, admin.email)
    before = _team_count(app)
    response = client.post("/admin/teams/", data={"name": "Forged"})
    assert response.status_code == 400
    assert "form expired" in response.text
    response = client.post("/admin/teams/", data={"name": "Forged", "csrf_token": "bogus"})
    assert response.status_code == 400
    assert _team_count(app) == before
    page = client.get("/admin/teams/")
    response = client.post(
        "/admin/teams/", data={"name": "Real", "csrf_token": csrf_from(page.text)}
    )
    assert response.status_code == 302 and _team_count(app) == before + 1


def test_api_with_a_session_needs_csrf_but_bearer_does_not(app, client, factory):
    admin = factory.user(Role.ADMIN)
    sign_in(client, admin.email)
    response = client.post("/api/v1/teams", json={"name": "Session team"})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "csrf_failed"
    token = csrf_from(client.get("/").text)
    response = client.post(
        "/api/v1/teams", json={"name": "Session team"}, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 201
    bearer = factory.token(admin)
    response = app.test_client().post(
        "/api/v1/teams", json={"name": "Bearer team"}, headers={"Authorization": f"Bearer {bearer}"}
    )
    assert response.status_code == 201


def _assert_security_headers(response) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, name
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp


def test_security_headers_on_pages_api_redirects_and_errors(client, factory):
    _assert_security_headers(client.get("/login"))
    _assert_security_headers(client.get("/"))  # a redirect to sign-in
    _assert_security_headers(client.get("/api/v1/me"))  # a 401
    _assert_security_headers(client.get("/healthz"))
    _assert_security_headers(client.get("/no-such-page"))
    user = factory.user()
    response = sign_in(client, user.email)
    assert response.status_code == 302
    _assert_security_headers(response)


def test_cookies_are_secure_over_https_only(app, factory):
    user = factory.user()
    https = app.test_client()
    page = https.get("/login", base_url="https://advocacy.test")
    data = {"email": user.email, "password": "correct-horse-battery", "remember": "y"}
    data["csrf_token"] = csrf_from(page.text)
    response = https.post(
        "/login",
        data=data,
        base_url="https://advocacy.test",
        headers={"Referer": "https://advocacy.test/login"},  # checked over HTTPS
    )
    cookies = response.headers.getlist("Set-Cookie")
    assert len(cookies) >= 2
    assert all("Secure" in c for c in cookies)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    plain = app.test_client().get("/login")
    assert all("Secure" not in c for c in plain.headers.getlist("Set-Cookie"))
    assert all("HttpOnly" in c for c in cookies)


def test_request_id_is_echoed_or_made(client):
    given = client.get("/healthz", headers={"X-Request-ID": "abcdef123456"})
    assert given.headers["X-Request-ID"] == "abcdef123456"
    made = client.get("/healthz", headers={"X-Request-ID": "bad id with spaces"})
    assert len(made.headers["X-Request-ID"]) == 32
