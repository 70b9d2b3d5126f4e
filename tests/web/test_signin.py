from __future__ import annotations

import time

from advocacy.models import Role
from tests.conftest import PASSWORD, csrf_from, sign_in

NO_MATCH = "That email and password do not match an active account."


def test_sign_in_then_sign_out(client, factory):
    user = factory.user(Role.MANAGER, name="Mona Manager")
    response = sign_in(client, user.email)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    home = client.get("/")
    assert "Mona Manager" in home.text
    response = client.post("/logout", data={"csrf_token": csrf_from(home.text)})
    assert response.status_code == 302
    assert client.get("/").headers["Location"].startswith("/login")


def test_wrong_password_and_unknown_email_get_the_same_answer(client, factory):
    user = factory.user()
    wrong = sign_in(client, user.email, "not-the-password")
    unknown = sign_in(client, "nobody@example.test", "not-the-password")
    assert wrong.status_code == unknown.status_code == 401
    assert NO_MATCH in wrong.text and NO_MATCH in unknown.text
    assert client.get("/").status_code == 302  # still signed out


def test_deactivated_user_is_refused_and_an_open_session_ends(app, factory):
    user = factory.user()
    client = app.test_client()
    assert sign_in(client, user.email).status_code == 302
    admin = factory.user(Role.ADMIN)
    admin_client = app.test_client()
    sign_in(admin_client, admin.email)
    page = admin_client.get(f"/admin/users/{user.id}")
    admin_client.post(f"/admin/users/{user.id}/active", data={"csrf_token": csrf_from(page.text)})

    assert client.get("/").headers["Location"].startswith("/login")
    response = sign_in(app.test_client(), user.email)
    assert response.status_code == 401 and NO_MATCH in response.text


def test_remember_me_sets_a_lasting_cookie(client, factory):
    user = factory.user()
    sign_in(client, user.email, remember="y")
    assert client.get_cookie("remember_token") is not None
    other = factory.user()
    plain = client.application.test_client()
    sign_in(plain, other.email)
    assert plain.get_cookie("remember_token") is None


def test_next_goes_to_a_local_page_but_never_to_another_site(client, factory):
    user = factory.user()
    page = client.get("/login")
    data = {"email": user.email, "password": PASSWORD, "csrf_token": csrf_from(page.text)}
    response = client.post("/login?next=/account/", data=data)
    assert response.headers["Location"] == "/account/"
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/").text)})
    for evil in ("https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"):
        page = client.get("/login")
        data["csrf_token"] = csrf_from(page.text)
        response = client.post("/login", query_string={"next": evil}, data=data)
        assert response.headers["Location"] == "/", evil
        client.post("/logout", data={"csrf_token": csrf_from(client.get("/").text)})


def test_sign_in_limit_trips_per_account_and_recovers(app, factory, redis):
    app.config["SETTINGS"] = app.config["SETTINGS"].__class__(
        **{**app.config["SETTINGS"].__dict__, "login_limit": "3 per 2 seconds"}
    )
    user = factory.user()
    client = app.test_client()
    for _ in range(3):
        assert sign_in(client, user.email, "wrong-password").status_code == 401
    blocked = sign_in(client, user.email, PASSWORD)  # even the right password waits
    assert blocked.status_code == 429
    assert "Too many attempts" in blocked.text
    # A different address is still blocked for this account.
    other = app.test_client()
    response = sign_in(other, user.email, PASSWORD, **{})
    assert response.status_code == 429

    # The window is short in this test; wait for its Redis key to expire (no worker involved).
    keys = redis.keys("LIMITS*")
    assert keys, "the limiter keeps its counters in the shared Redis"
    longest = max(redis.pttl(k) for k in keys)
    assert 0 < longest <= 2000
    time.sleep(longest / 1000 + 0.05)
    assert sign_in(client, user.email, PASSWORD).status_code == 302


def test_sign_in_limit_trips_per_address(app, factory):
    app.config["SETTINGS"] = app.config["SETTINGS"].__class__(
        **{**app.config["SETTINGS"].__dict__, "login_limit": "3 per minute"}
    )
    victim = factory.user()
    client = app.test_client()
    for n in range(3):
        assert sign_in(client, f"guess{n}@example.test", "x").status_code == 401
    assert sign_in(client, victim.email).status_code == 429


def test_successful_sign_ins_do_not_count_towards_the_limit(app, factory):
    user = factory.user()
    for _ in range(7):
        client = app.test_client()
        assert sign_in(client, user.email).status_code == 302
