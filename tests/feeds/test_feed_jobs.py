"""The periodic job claims due feeds and the worker refreshes them, each feed once."""

from __future__ import annotations

import pytest
from pytest_httpserver import HTTPServer
from rq import SimpleWorker
from sqlalchemy import func, select

from advocacy.db import db
from advocacy.feeds import manage
from advocacy.jobs import enqueue_due_feeds, queue, refresh_feed_locked
from advocacy.models import Feed, Post, utcnow
from tests.feeds.test_refresh import rss

pytestmark = pytest.mark.usefixtures("allow_private_feeds")


def test_due_feeds_are_enqueued_once_and_refreshed_by_the_worker(app, redis, httpserver):
    httpserver.expect_request("/one").respond_with_data(rss(("a", "A")))
    httpserver.expect_request("/two").respond_with_data(rss(("b", "B"), ("c", "C")))
    with app.app_context():
        for path in ("/one", "/two"):
            manage.create_unresolved(db.session, None, httpserver.url_for(path), None, utcnow())
        db.session.commit()
        assert enqueue_due_feeds() == 2
        assert enqueue_due_feeds() == 0  # claimed: not enqueued again
        assert queue(redis).count == 2
        SimpleWorker([queue(redis)], connection=redis).work(burst=True)
        assert db.session.scalar(select(func.count()).select_from(Post)) == 3
        feeds = db.session.scalars(select(Feed)).all()
        assert all(f.last_status == 200 and f.error_count == 0 for f in feeds)


def test_a_feed_already_in_the_queue_is_not_enqueued_twice(app, redis):
    with app.app_context():
        feed = manage.create_unresolved(db.session, None, "https://example.com/f", None, utcnow())
        db.session.commit()
        assert enqueue_due_feeds() == 1
        feed.next_fetch_at = utcnow()  # due again while its job still waits
        db.session.commit()
        assert enqueue_due_feeds() == 0
        assert queue(redis).count == 1


def test_a_feed_being_refreshed_is_not_refreshed_again_at_the_same_time(
    app, redis, httpserver: HTTPServer
):
    httpserver.expect_request("/f").respond_with_data(rss(("a", "A")))
    with app.app_context():
        feed = manage.create_unresolved(db.session, None, httpserver.url_for("/f"), None, utcnow())
        db.session.commit()
        held = redis.lock(f"advocacy:feed-refresh:{feed.id}", timeout=30)
        assert held.acquire(blocking=False)
        assert refresh_feed_locked(feed.id) is None
        assert httpserver.log == []
        held.release()
        outcome = refresh_feed_locked(feed.id)
        assert outcome is not None and outcome.new == 1


def test_a_post_deleted_by_a_manager_does_not_come_back(app, client, factory, httpserver):
    from advocacy.models import Role
    from tests.api.test_api_basics import bearer

    httpserver.expect_request("/f").respond_with_data(rss(("a", "A"), ("b", "B")))
    token = bearer(factory.token(factory.user(Role.MANAGER)))
    feed = client.post("/api/v1/feeds", json={"url": httpserver.url_for("/f")}, headers=token)
    feed_id = feed.get_json()["id"]
    client.post(f"/api/v1/feeds/{feed_id}/refresh?wait=1", headers=token)
    queue_before = client.get("/api/v1/posts", headers=token).get_json()["items"]
    doomed = next(p for p in queue_before if p["title"] == "A")
    assert client.delete(f"/api/v1/posts/{doomed['id']}", headers=token).status_code == 204
    assert client.delete(f"/api/v1/posts/{doomed['id']}", headers=token).status_code == 404
    with app.app_context():
        db.session.query(Feed).filter_by(id=feed_id).update({"etag": None})
        from advocacy.models import FeedEntry

        db.session.query(FeedEntry).delete()  # as if the feed had never been read
        db.session.commit()
    again = client.post(f"/api/v1/feeds/{feed_id}/refresh?wait=1", headers=token).get_json()
    assert again["new"] == 0
    titles = [p["title"] for p in client.get("/api/v1/posts", headers=token).get_json()["items"]]
    assert titles == ["B"]
