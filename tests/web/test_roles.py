"""Every route, every role: the table below is the access contract.

A route added without a row here makes ``test_every_route_has_an_expectation`` fail.
"""

from __future__ import annotations

import pytest
from flask import Flask

from advocacy.models import Role
from tests.conftest import sign_in

ANON = "anonymous"
ALL_ROLES = (ANON, "employee", "manager", "leader", "admin")
SIGNED_IN = frozenset({"employee", "manager", "leader", "admin"})
ADMIN = frozenset({"admin"})
READERS = frozenset({"leader", "manager", "admin"})
MANAGERS = frozenset({"manager", "admin"})
EVERYONE = frozenset(ALL_ROLES)

# (endpoint, method) -> who gets through the access check
EXPECTED: dict[tuple[str, str], frozenset[str]] = {
    ("static", "GET"): EVERYONE,
    ("health.healthz", "GET"): EVERYONE,
    ("auth.login", "GET"): EVERYONE,
    ("auth.login", "POST"): EVERYONE,
    ("auth.logout", "POST"): SIGNED_IN,
    ("home.index", "GET"): SIGNED_IN,
    ("account.page", "GET"): SIGNED_IN,
    ("account.profile", "POST"): SIGNED_IN,
    ("account.password", "POST"): SIGNED_IN,
    ("account.create_token", "POST"): SIGNED_IN,
    ("account.revoke_token", "POST"): SIGNED_IN,
    ("admin_users.index", "GET"): ADMIN,
    ("admin_users.create", "POST"): ADMIN,
    ("admin_users.edit", "GET"): ADMIN,
    ("admin_users.update", "POST"): ADMIN,
    ("admin_users.move", "POST"): ADMIN,
    ("admin_users.reset_password", "POST"): ADMIN,
    ("admin_users.toggle_active", "POST"): ADMIN,
    ("admin_teams.index", "GET"): ADMIN,
    ("admin_teams.create", "POST"): ADMIN,
    ("admin_teams.rename", "POST"): ADMIN,
    ("api.me", "GET"): SIGNED_IN,
    ("api.list_teams", "GET"): SIGNED_IN,
    ("api.create_team", "POST"): ADMIN,
    ("api.list_users", "GET"): ADMIN,
    ("api.create_user", "POST"): ADMIN,
    ("api.list_feeds", "GET"): MANAGERS,
    ("api.add_feed", "POST"): MANAGERS,
    ("api.get_feed", "GET"): MANAGERS,
    ("api.update_feed", "PATCH"): MANAGERS,
    ("api.delete_feed", "DELETE"): MANAGERS,
    ("api.refresh_feed", "POST"): MANAGERS,
    ("api.export_opml", "GET"): MANAGERS,
    ("api.import_opml", "POST"): MANAGERS,
    ("api.list_posts", "GET"): MANAGERS,
    ("api.create_post", "POST"): MANAGERS,
    ("feeds.index", "GET"): MANAGERS,
    ("feeds.add", "POST"): MANAGERS,
    ("feeds.detail", "GET"): MANAGERS,
    ("feeds.update", "POST"): MANAGERS,
    ("feeds.delete", "POST"): MANAGERS,
    ("feeds.refresh", "POST"): MANAGERS,
    ("feeds.import_opml", "POST"): MANAGERS,
    ("feeds.export_opml", "GET"): MANAGERS,
    ("queue.index", "GET"): MANAGERS,
    ("posts.new", "GET"): MANAGERS,
    ("posts.preview", "POST"): MANAGERS,
    ("posts.create", "POST"): MANAGERS,
    ("posts.edit_page", "GET"): MANAGERS,
    ("posts.save", "POST"): MANAGERS,
    ("posts.archive", "POST"): MANAGERS,
    ("posts.takedown", "POST"): MANAGERS,
    ("posts.delete", "POST"): MANAGERS,
    ("api.delete_post", "DELETE"): MANAGERS,
    ("queue.approve", "POST"): MANAGERS,
    ("queue.reject", "POST"): MANAGERS,
    ("queue.bulk", "POST"): MANAGERS,
    ("feed.index", "GET"): SIGNED_IN,
    ("api.get_post", "GET"): MANAGERS,
    ("api.update_post", "PATCH"): MANAGERS,
    ("api.approve_post", "POST"): MANAGERS,
    ("api.reject_post", "POST"): MANAGERS,
    ("api.archive_post", "POST"): MANAGERS,
    ("api.employee_feed", "GET"): SIGNED_IN,
    ("api.create_share", "POST"): SIGNED_IN,
    ("sharing.share", "POST"): SIGNED_IN,
    ("sharing.mine", "GET"): SIGNED_IN,
    ("links.follow", "GET"): EVERYONE,
    ("admin_clicks.index", "GET"): ADMIN,
    ("api.stats_teams", "GET"): READERS,
    ("api.stats_people", "GET"): SIGNED_IN,
    ("api.stats_posts", "GET"): READERS,
    ("api.stats_networks", "GET"): READERS,
    ("dashboard.index", "GET"): READERS,
    ("dashboard.export", "GET"): READERS,
    ("dashboard.set_challenge", "POST"): MANAGERS,
    ("analytics.post", "GET"): MANAGERS,
    ("analytics.impact", "GET"): SIGNED_IN,
}


def routes(app: Flask) -> list[tuple[str, str, str]]:
    found = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            args = {name: 1 for name in rule.arguments}
            if "network" in args:
                args["network"] = "linkedin"
            if "code" in args:
                args["code"] = "Unknown1"
            if "table" in args:
                args["table"] = "teams"
            if rule.endpoint == "static":
                args = {"filename": "style.css"}
            with app.test_request_context():
                from flask import url_for

                path = url_for(rule.endpoint, **args)
            found.append((rule.endpoint, method, path))
    return found


def test_every_route_has_an_expectation(app):
    missing = {(e, m) for e, m, _ in routes(app)} - set(EXPECTED)
    assert not missing, f"add these routes to EXPECTED: {sorted(missing)}"
    stale = set(EXPECTED) - {(e, m) for e, m, _ in routes(app)}
    assert not stale, f"these routes no longer exist: {sorted(stale)}"


@pytest.mark.parametrize("who", ALL_ROLES)
def test_each_role_reaches_exactly_its_routes(app, factory, who):
    team = factory.team()
    client = app.test_client()
    if who != ANON:
        user = factory.user(Role(who), team=team)
        assert sign_in(client, user.email).status_code == 302
    for endpoint, method, path in routes(app):
        if endpoint == "auth.logout":
            continue  # signing out here would change who the rest of the walk is
        response = client.open(path, method=method)
        admitted = who in EXPECTED[(endpoint, method)]
        where = f"{who} {method} {path} -> {response.status_code}"
        if admitted:
            assert response.status_code not in (401, 403), where
            assert "/login" not in response.headers.get("Location", "") or endpoint.startswith(
                "auth."
            ), where
        elif who == ANON and path.startswith("/api/"):
            assert response.status_code == 401, where
            assert response.get_json()["error"]["code"] == "unauthorized", where
        elif who == ANON:
            assert response.status_code == 302, where
            assert response.headers["Location"].startswith("/login"), where
        else:
            assert response.status_code == 403, where


def test_a_view_without_an_access_rule_is_refused(app):
    @app.get("/forgotten")
    def forgotten() -> str:
        return "should never be served"

    response = app.test_client().get("/forgotten")
    assert response.status_code == 403
    assert "should never be served" not in response.text
