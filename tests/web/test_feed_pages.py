from __future__ import annotations

import io

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy import func, select

from advocacy.db import db
from advocacy.models import Feed, Post, Role
from tests.conftest import csrf_from, sign_in
from tests.feeds.test_refresh import rss

pytestmark = pytest.mark.usefixtures("allow_private_feeds")


@pytest.fixture
def manager(app, factory):
    client = app.test_client()
    sign_in(client, factory.user(Role.MANAGER).email)
    return client


def _post(client, page: str, action: str, **kwargs):
    data = kwargs.pop("data", {})
    data["csrf_token"] = csrf_from(client.get(page).text)
    return client.post(action, data=data, **kwargs)


def test_add_refresh_and_see_health_on_the_feeds_page(app, manager, httpserver: HTTPServer):
    httpserver.expect_request("/feed.xml").respond_with_data(rss(("a", "Alpha"), title="Blog"))
    response = _post(manager, "/feeds/", "/feeds/", data={"url": httpserver.url_for("/feed.xml")})
    assert response.status_code == 302
    detail_url = response.headers["Location"]
    assert "Not fetched yet" in manager.get("/feeds/").text
    response = _post(manager, detail_url, detail_url + "/refresh", follow_redirects=True)
    assert "Refreshed: 1 new, 0 updated." in response.text
    listing = manager.get("/feeds/").text
    assert "badge-ok" in listing and ">1</td>" in listing  # one new post in 7 days
    assert "Alpha" in manager.get("/queue/").text


def test_a_bad_address_gets_a_message_and_adds_nothing(app, manager):
    response = _post(manager, "/feeds/", "/feeds/", data={"url": "gopher://old.example/"})
    assert response.status_code == 400
    assert "is not an http(s) address" in response.text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Feed)) == 0


def test_a_failing_feed_shows_its_error_and_time(app, manager, httpserver: HTTPServer):
    httpserver.expect_ordered_request("/f").respond_with_data(rss(("a", "A")))  # when added
    httpserver.expect_ordered_request("/f").respond_with_data("down", status=503)  # refreshed
    response = _post(manager, "/feeds/", "/feeds/", data={"url": httpserver.url_for("/f")})
    detail_url = response.headers["Location"]
    response = _post(manager, detail_url, detail_url + "/refresh", follow_redirects=True)
    assert "The refresh failed" in response.text and "HTTP 503" in response.text
    page = manager.get(detail_url).text
    assert "Last error" in page and "UTC" in page and "badge-error" in page
    assert "Recent errors (1)" in page and "HTTP 503: The server answered" in page


def test_edit_pauses_and_delete_keeps_posts(app, manager, httpserver: HTTPServer):
    httpserver.expect_request("/f").respond_with_data(rss(("a", "A")))
    detail_url = _post(
        manager, "/feeds/", "/feeds/", data={"url": httpserver.url_for("/f")}
    ).headers["Location"]
    _post(manager, detail_url, detail_url + "/refresh")
    response = _post(
        manager, detail_url, detail_url, data={"title": "Renamed", "interval_minutes": "3"}
    )
    assert response.status_code == 400  # under the 5-minute minimum
    response = _post(
        manager, detail_url, detail_url, data={"title": "Renamed", "interval_minutes": "60"}
    )
    assert response.status_code == 302
    assert "badge-disabled" in manager.get("/feeds/").text  # "enabled" unticked
    _post(manager, detail_url, detail_url + "/delete")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Feed)) == 0
        assert db.session.scalar(select(func.count()).select_from(Post)) == 1


def test_opml_upload_reports_what_happened(app, manager):
    opml = (
        b'<?xml version="1.0"?><opml version="2.0"><body>'
        b'<outline xmlUrl="https://a.example/feed"/><outline xmlUrl="ftp://x"/></body></opml>'
    )
    response = _post(
        manager,
        "/feeds/",
        "/feeds/opml",
        data={"file": (io.BytesIO(opml), "feeds.opml")},
        follow_redirects=True,
        content_type="multipart/form-data",
    )
    assert "Imported 1 feeds; 0 already followed; 1 not valid." in response.text
    assert "ftp://x" in response.text
    export = manager.get("/feeds/opml")
    assert b"https://a.example/feed" in export.data


def test_manual_post_page_reads_the_page_then_saves(app, manager, httpserver: HTTPServer):
    httpserver.expect_request("/news").respond_with_data(
        '<html><head><meta name="twitter:title" content="Launch day">'
        '<meta name="description" content="We launched."></head></html>',
        content_type="text/html",
    )
    url = httpserver.url_for("/news")
    preview = _post(manager, "/posts/new", "/posts/new/preview", data={"url": url})
    assert preview.status_code == 200
    assert 'value="Launch day"' in preview.text and "We launched." in preview.text
    response = manager.post(
        "/posts/new",
        data={
            "csrf_token": csrf_from(preview.text),
            "url": url,
            "title": "Launch day, edited",
            "summary": "We launched.",
            "image_url": "",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        post = db.session.scalar(select(Post))
        assert (post.title, post.source, post.status) == ("Launch day, edited", "manual", "pending")
    unreachable = _post(
        manager, "/posts/new", "/posts/new/preview", data={"url": "http://127.0.0.1:9/x"}
    )
    assert unreachable.status_code == 400 and 'class="errors"' in unreachable.text
