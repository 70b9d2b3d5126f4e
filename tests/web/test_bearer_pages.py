"""A bearer token says who calls, on pages too, whatever cookies the client keeps."""

from __future__ import annotations

from advocacy.models import Role
from tests.conftest import PASSWORD, sign_in


def test_a_token_works_on_a_page_after_the_cookie_session_holds_something(client, factory):
    leader = factory.user(role=Role.LEADER)
    token = factory.token(leader)
    assert client.get("/login").status_code == 200  # leaves a CSRF token in the session
    assert client.get_cookie("session") is not None
    response = client.get("/dashboard/", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers  # a token request is stateless


def test_a_bad_token_is_not_rescued_by_a_signed_in_session(client, factory):
    manager = factory.user(role=Role.MANAGER)
    assert sign_in(client, manager.email, PASSWORD).status_code == 302
    assert client.get("/dashboard/").status_code == 200
    response = client.get("/dashboard/", headers={"Authorization": "Bearer adv_not-a-token"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get("/dashboard/").status_code == 200  # the session itself is untouched
