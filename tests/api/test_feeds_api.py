from __future__ import annotations

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy import func, select

from advocacy.db import db
from advocacy.models import AuditEntry, Feed, Post, Role
from tests.api.test_api_basics import bearer
from tests.feeds.test_refresh import rss

pytestmark = pytest.mark.usefixtures("allow_private_feeds")


@pytest.fixture
def manager_token(factory) -> str:
    return factory.token(factory.user(Role.MANAGER))


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_adding_an_html_page_follows_the_feed_it_advertises(
    app, client, manager_token, httpserver: HTTPServer, factory
):
    team = factory.team("Sales")
    httpserver.expect_request("/blog/").respond_with_data(
        '<html><head><link rel="alternate" type="application/rss+xml" href="/blog/feed.xml">'
        "</head><body>Blog</body></html>",
        content_type="text/html",
    )
    httpserver.expect_request("/blog/feed.xml").respond_with_data(rss(("a", "A"), title="Blog"))
    response = client.post(
        "/api/v1/feeds",
        json={"url": httpserver.url_for("/blog/"), "team_ids": [team.id]},
        headers=bearer(manager_token),
    )
    assert response.status_code == 201
    body = response.get_json()
    assert body["url"] == httpserver.url_for("/blog/feed.xml")
    assert (body["status"], body["title"], body["team_ids"]) == ("new", "Blog", [team.id])
    detail = client.get(f"/api/v1/feeds/{body['id']}", headers=bearer(manager_token)).get_json()
    for key in ("last_fetched_at", "last_status", "error_count", "last_error", "next_fetch_at"):
        assert key in detail
    again = client.post(
        "/api/v1/feeds",
        json={"url": httpserver.url_for("/blog/feed.xml")},
        headers=bearer(manager_token),
    )
    assert again.status_code == 409
    assert _count(app, Feed) == 1


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"url": "ftp://example.com/feed"}, "http(s)"),
        ({"url": "not a url"}, "http(s)"),
        ({}, "'url' is required"),
        ({"url": "http://127.0.0.1:9/feed", "team_ids": [424242]}, "no team"),
        ({"url": "http://127.0.0.1:9/feed", "team_ids": "all"}, "team_ids"),
    ],
)
def test_bad_feed_input_is_400_and_adds_nothing(app, client, manager_token, body, expected):
    response = client.post("/api/v1/feeds", json=body, headers=bearer(manager_token))
    assert response.status_code == 400
    assert expected in response.get_json()["error"]["message"]
    assert _count(app, Feed) == 0


def test_a_page_without_a_feed_is_refused_with_a_message(
    app, client, manager_token, httpserver: HTTPServer
):
    httpserver.expect_request("/plain").respond_with_data(
        "<html><body>No feed here</body></html>", content_type="text/html"
    )
    response = client.post(
        "/api/v1/feeds", json={"url": httpserver.url_for("/plain")}, headers=bearer(manager_token)
    )
    assert response.status_code == 400
    assert "does not advertise" in response.get_json()["error"]["message"]
    assert _count(app, Feed) == 0


def test_refresh_wait_answers_the_outcome_and_failures_are_200(
    app, client, manager_token, httpserver: HTTPServer
):
    httpserver.expect_request("/feed.xml").respond_with_data(rss(("a", "A"), ("b", "B")))
    feed_id = client.post(
        "/api/v1/feeds",
        json={"url": httpserver.url_for("/feed.xml")},
        headers=bearer(manager_token),
    ).get_json()["id"]
    response = client.post(f"/api/v1/feeds/{feed_id}/refresh?wait=1", headers=bearer(manager_token))
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "new": 2, "updated": 0, "error": None}
    httpserver.clear()
    httpserver.expect_request("/feed.xml").respond_with_data("gone", status=410)
    response = client.post(f"/api/v1/feeds/{feed_id}/refresh?wait=1", headers=bearer(manager_token))
    assert response.status_code == 200
    body = response.get_json()
    assert (body["status"], body["new"]) == ("error", 0) and "410" in body["error"]
    feed = client.get(f"/api/v1/feeds/{feed_id}", headers=bearer(manager_token)).get_json()
    assert (feed["status"], feed["error_count"], feed["last_status"]) == ("error", 1, 410)
    posts = client.get("/api/v1/posts?status=pending", headers=bearer(manager_token)).get_json()
    assert posts["total"] == 2 and {p["title"] for p in posts["items"]} == {"A", "B"}


def test_refresh_without_wait_is_queued(app, client, manager_token, redis):
    with app.app_context():
        feed = Feed(url="https://example.com/feed", host="example.com")
        db.session.add(feed)
        db.session.commit()
        feed_id = feed.id
    response = client.post(f"/api/v1/feeds/{feed_id}/refresh", headers=bearer(manager_token))
    assert response.status_code == 202 and response.get_json() == {"status": "queued"}
    from advocacy.jobs import queue

    assert queue(redis).count == 1


def test_patch_and_delete_a_feed(app, client, manager_token):
    with app.app_context():
        feed = Feed(url="https://example.com/feed", host="example.com", error_count=12)
        db.session.add(feed)
        db.session.commit()
        feed_id = feed.id
    response = client.patch(
        f"/api/v1/feeds/{feed_id}",
        json={"title": "Newsroom", "interval_minutes": 60},
        headers=bearer(manager_token),
    )
    body = response.get_json()
    assert (body["title"], body["interval_minutes"], body["error_count"]) == ("Newsroom", 60, 0)
    bad = client.patch(
        f"/api/v1/feeds/{feed_id}", json={"interval_minutes": 1}, headers=bearer(manager_token)
    )
    assert bad.status_code == 400
    assert (
        client.get(f"/api/v1/feeds/{feed_id}", headers=bearer(manager_token)).get_json()[
            "interval_minutes"
        ]
        == 60
    )
    assert (
        client.delete(f"/api/v1/feeds/{feed_id}", headers=bearer(manager_token)).status_code == 204
    )
    assert client.get(f"/api/v1/feeds/{feed_id}", headers=bearer(manager_token)).status_code == 404
    with app.app_context():
        actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"feed.update", "feed.delete"} <= actions


def test_opml_import_reports_duplicates_and_bad_entries_and_export_round_trips(
    app, client, manager_token
):
    opml = b"""<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>
      <outline text="News"><outline text="A" xmlUrl="https://a.example/feed"/>
        <outline text="B" title="Blog B" xmlUrl="https://b.example/rss"/></outline>
      <outline text="dup" xmlUrl="https://a.example/feed"/>
      <outline text="bad" xmlUrl="javascript:alert(1)"/>
      <outline text="folder only"/>
    </body></opml>"""
    response = client.post("/api/v1/feeds/opml", data=opml, headers=bearer(manager_token))
    report = response.get_json()
    assert report["added"] == ["https://a.example/feed", "https://b.example/rss"]
    assert report["duplicates"] == ["https://a.example/feed"]
    assert [e["url"] for e in report["errors"]] == ["javascript:alert(1)"]
    exported = client.get("/api/v1/feeds/opml", headers=bearer(manager_token))
    assert exported.headers["Content-Disposition"].startswith("attachment")
    assert b'xmlUrl="https://b.example/rss"' in exported.data and b'title="Blog B"' in exported.data
    again = client.post("/api/v1/feeds/opml", data=exported.data, headers=bearer(manager_token))
    assert again.get_json()["added"] == [] and len(again.get_json()["duplicates"]) == 2
    broken = client.post("/api/v1/feeds/opml", data=b"<opml><body>", headers=bearer(manager_token))
    assert broken.status_code == 400
    assert _count(app, Feed) == 2


def test_manual_post_fills_itself_from_the_page_and_refuses_duplicates(
    app, client, manager_token, httpserver: HTTPServer
):
    httpserver.expect_request("/story").respond_with_data(
        '<html><head><title>Fallback</title><meta property="og:title" content="We won &amp; more">'
        '<meta property="og:description" content="An award.">'
        '<meta property="og:image" content="/img/award.png"></head></html>',
        content_type="text/html",
    )
    url = httpserver.url_for("/story") + "?utm_source=x"
    response = client.post("/api/v1/posts", json={"url": url}, headers=bearer(manager_token))
    assert response.status_code == 201
    post = response.get_json()
    assert (post["title"], post["status"], post["source"]) == ("We won & more", "pending", "manual")
    assert post["image_url"] == httpserver.url_for("/img/award.png")
    assert "An award." in post["summary_html"]
    assert post["share_text"]["linkedin"] == "We won & more"
    again = client.post(
        "/api/v1/posts", json={"url": url, "title": "Again"}, headers=bearer(manager_token)
    )
    assert again.status_code == 409
    for bad in (
        {"url": "https://x.example/a", "title": "  "},
        {"url": "https://x.example/b", "title": "T", "image_url": "javascript:x"},
    ):
        assert (
            client.post("/api/v1/posts", json=bad, headers=bearer(manager_token)).status_code == 400
        )
    assert _count(app, Post) == 1
