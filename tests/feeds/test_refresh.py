"""One feed refresh end to end, against a real HTTP server and the real database."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy import func, select

from advocacy.feeds import manage
from advocacy.feeds.due import CLAIM_LEASE, claim_due_feeds
from advocacy.feeds.fetch import FetchPolicy
from advocacy.feeds.refresh import refresh_feed
from advocacy.models import Feed, FeedEntry, Post, PostStatus

NOW = datetime.now(UTC).replace(microsecond=0)
LATER = NOW + timedelta(hours=2)
POLICY = FetchPolicy(allow_private=True, timeout=(2.0, 0.5))


def rss(*items: tuple[str, str], ttl: int | None = None, title: str = "Newsroom") -> bytes:
    body = "".join(
        f"<item><guid>{guid}</guid><title>{text}</title>"
        f"<link>https://example.com/{guid}?utm_source=rss</link>"
        f"<description>About {text}</description></item>"
        for guid, text in items
    )
    ttl_tag = f"<ttl>{ttl}</ttl>" if ttl else ""
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>{title}</title><link>https://example.com/</link>{ttl_tag}{body}"
        "</channel></rss>"
    ).encode()


def make_feed(session, url: str, **fields) -> Feed:
    feed = manage.create_unresolved(session, None, url, None, NOW)
    for key, value in fields.items():
        setattr(feed, key, value)
    session.commit()
    return feed


def post_count(session) -> int:
    return session.scalar(select(func.count()).select_from(Post))


def test_new_items_land_once_as_pending_posts(session, httpserver: HTTPServer):
    httpserver.expect_request("/feed").respond_with_data(
        rss(("a", "First"), ("b", "Second")),
        content_type="application/rss+xml",
        headers={"ETag": '"v1"'},
    )
    feed = make_feed(session, httpserver.url_for("/feed"))
    outcome = refresh_feed(session, feed, POLICY, NOW)
    assert (outcome.status, outcome.new, outcome.updated, outcome.error) == ("ok", 2, 0, None)
    posts = session.scalars(select(Post).order_by(Post.title)).all()
    assert [(p.title, p.status, p.source) for p in posts] == [
        ("First", "pending", "Newsroom"),
        ("Second", "pending", "Newsroom"),
    ]
    assert posts[0].canonical_url == "https://example.com/a"  # tracking stripped
    assert posts[0].published_at == NOW  # no date in the feed: first seen
    assert (feed.title, feed.items_seen, feed.etag, feed.error_count) == ("Newsroom", 2, '"v1"', 0)
    assert feed.next_fetch_at == NOW + timedelta(minutes=15)

    again = refresh_feed(session, feed, POLICY, NOW + timedelta(minutes=15))
    assert (again.new, again.updated) == (0, 0)
    assert post_count(session) == 2


def test_unchanged_feed_costs_one_conditional_request_and_parses_nothing(
    session, httpserver: HTTPServer
):
    httpserver.expect_ordered_request("/feed").respond_with_data(
        rss(("a", "First")), headers={"ETag": '"v1"'}
    )
    httpserver.expect_ordered_request("/feed", headers={"If-None-Match": '"v1"'}).respond_with_data(
        "", status=304
    )
    feed = make_feed(session, httpserver.url_for("/feed"))
    refresh_feed(session, feed, POLICY, NOW)
    outcome = refresh_feed(session, feed, POLICY, NOW + timedelta(hours=1))
    assert (outcome.status, outcome.not_modified, outcome.new) == ("ok", True, 0)
    assert feed.last_status == 304 and feed.etag == '"v1"'
    httpserver.check_assertions()


def test_a_changed_entry_updates_a_pending_post_but_never_an_approved_one(
    session, httpserver: HTTPServer
):
    feed = make_feed(session, httpserver.url_for("/feed"))
    httpserver.expect_ordered_request("/feed").respond_with_data(
        rss(("a", "Old A"), ("b", "Old B"))
    )
    httpserver.expect_ordered_request("/feed").respond_with_data(
        rss(("a", "New A"), ("b", "New B"))
    )
    refresh_feed(session, feed, POLICY, NOW)
    approved = session.scalar(select(Post).where(Post.title == "Old B"))
    approved.status = PostStatus.APPROVED.value
    approved.share_text_linkedin = "Our words"
    session.commit()
    outcome = refresh_feed(session, feed, POLICY, NOW + timedelta(hours=1))
    assert (outcome.new, outcome.updated) == (0, 1)
    titles = set(session.scalars(select(Post.title)))
    assert titles == {"New A", "Old B"}
    assert approved.share_text_linkedin == "Our words"


def test_the_same_url_from_two_feeds_is_one_post(session, httpserver: HTTPServer):
    httpserver.expect_request("/one").respond_with_data(rss(("shared", "Shared story")))
    httpserver.expect_request("/two").respond_with_data(
        rss(("other-guid", "Shared story")).replace(b"/other-guid?", b"/shared?")
    )
    first = make_feed(session, httpserver.url_for("/one"))
    second = make_feed(session, httpserver.url_for("/two"))
    assert refresh_feed(session, first, POLICY, NOW).new == 1
    assert refresh_feed(session, second, POLICY, NOW).new == 0
    assert post_count(session) == 1
    assert session.scalar(select(func.count()).select_from(FeedEntry)) == 2


def test_a_deleted_post_does_not_come_back(session, httpserver: HTTPServer):
    httpserver.expect_request("/feed").respond_with_data(rss(("a", "Gone")))
    feed = make_feed(session, httpserver.url_for("/feed"))
    refresh_feed(session, feed, POLICY, NOW)
    post = session.scalar(select(Post))
    post.deleted_at = NOW
    session.commit()
    feed.etag = None
    session.query(FeedEntry).delete()  # even if the feed forgets it ever showed the entry
    session.commit()
    assert refresh_feed(session, feed, POLICY, NOW + timedelta(hours=1)).new == 0
    assert post_count(session) == 1 and session.scalar(select(Post)).deleted_at is not None


def test_ttl_and_max_age_raise_the_interval_up_to_a_day(session, httpserver: HTTPServer):
    httpserver.expect_request("/ttl").respond_with_data(rss(("a", "A"), ttl=120))
    httpserver.expect_request("/age").respond_with_data(
        rss(("b", "B")), headers={"Cache-Control": "max-age=172800"}
    )
    ttl_feed = make_feed(session, httpserver.url_for("/ttl"))
    age_feed = make_feed(session, httpserver.url_for("/age"))
    refresh_feed(session, ttl_feed, POLICY, NOW)
    refresh_feed(session, age_feed, POLICY, NOW)
    assert ttl_feed.next_fetch_at == NOW + timedelta(hours=2)
    assert age_feed.next_fetch_at == NOW + timedelta(hours=24)


FAILURES = {
    "not found": (lambda s: s.respond_with_data("no", status=404), "HTTP 404", 404, None),
    "server error": (lambda s: s.respond_with_data("oops", status=500), "HTTP 500", 500, None),
    "rate limited": (
        lambda s: s.respond_with_data(
            "slow down", status=429, headers={"Retry-After": format_datetime(LATER, usegmt=True)}
        ),
        "HTTP 429",
        429,
        timedelta(hours=2),
    ),
    "html without feed": (
        lambda s: s.respond_with_data("<html><body>hi</body></html>", content_type="text/html"),
        "is not a feed",
        None,
        None,
    ),
    "malformed xml": (
        lambda s: s.respond_with_data("<rss><channel><title>x</titl", content_type="text/xml"),
        "could not be read",
        None,
        None,
    ),
    "truncated json": (
        lambda s: s.respond_with_data('{"version": "https://jsonfeed.org/version/1.1", "ite'),
        "JSON",
        None,
        None,
    ),
    "over the cap": (
        lambda s: s.respond_with_data(b"<rss>" + b" " * 3000 + b"</rss>"),
        "larger",
        None,
        None,
    ),
    "gzip bomb": (
        lambda s: s.respond_with_data(
            gzip.compress(b"\0" * 5_000_000), headers={"Content-Encoding": "gzip"}
        ),
        "larger",
        None,
        None,
    ),
}


@pytest.mark.parametrize("case", sorted(FAILURES))
def test_a_failing_feed_records_its_error_and_changes_nothing_else(
    session, httpserver: HTTPServer, case
):
    respond, message, status, retry = FAILURES[case]
    httpserver.expect_request("/good").respond_with_data(rss(("g", "Good")))
    good = make_feed(session, httpserver.url_for("/good"))
    refresh_feed(session, good, POLICY, NOW)
    good_state = (good.error_count, good.next_fetch_at, good.items_seen)
    respond(httpserver.expect_request("/bad"))
    bad = make_feed(session, httpserver.url_for("/bad"))
    policy = FetchPolicy(allow_private=True, timeout=(2.0, 0.5), max_bytes=2000)

    outcome = refresh_feed(session, bad, policy, NOW)
    assert outcome.status == "error" and message.lower() in outcome.error.lower(), outcome.error
    assert (bad.error_count, bad.last_status, bad.last_error_at) == (1, status, NOW)
    assert message.lower() in bad.last_error.lower()
    expected_next = NOW + max(timedelta(minutes=30), retry or timedelta(0))
    assert bad.next_fetch_at == expected_next
    assert post_count(session) == 1
    assert (good.error_count, good.next_fetch_at, good.items_seen) == good_state


def test_a_server_that_never_answers_times_out(session, silent_server):
    feed = make_feed(session, silent_server)
    outcome = refresh_feed(session, feed, POLICY, NOW)
    assert outcome.status == "error" and "timed out" in outcome.error.lower()
    assert (feed.error_count, feed.next_fetch_at) == (1, NOW + timedelta(minutes=30))


def test_redirect_loop_is_an_error(session, httpserver: HTTPServer):
    httpserver.expect_request("/loop").respond_with_data(
        "", status=302, headers={"Location": "/loop"}
    )
    feed = make_feed(session, httpserver.url_for("/loop"))
    outcome = refresh_feed(session, feed, POLICY, NOW)
    assert outcome.status == "error" and "redirect" in outcome.error.lower()


def test_a_private_address_is_refused_without_the_setting(session, httpserver: HTTPServer):
    httpserver.expect_request("/feed").respond_with_data(rss(("a", "A")))
    feed = make_feed(session, httpserver.url_for("/feed"))
    outcome = refresh_feed(session, feed, FetchPolicy(allow_private=False), NOW)
    assert outcome.status == "error"
    assert feed.error_count == 1 and post_count(session) == 0
    assert httpserver.log == []  # refused before any request was sent


def test_errors_back_off_and_pause_the_feed_after_ten(session, httpserver: HTTPServer):
    httpserver.expect_request("/bad").respond_with_data("no", status=500)
    feed = make_feed(session, httpserver.url_for("/bad"))
    delays = []
    now = NOW
    for _ in range(10):
        refresh_feed(session, feed, POLICY, now)
        delays.append(feed.next_fetch_at - now)
        now = feed.next_fetch_at
    assert delays[:4] == [timedelta(minutes=m) for m in (30, 60, 120, 240)]
    assert delays[-1] == timedelta(hours=24)
    assert len(feed.recent_errors) == 10
    assert feed.recent_errors[0]["at"] == feed.last_error_at.isoformat()  # newest first
    assert feed.recent_errors[0]["at"] > feed.recent_errors[-1]["at"]
    assert {e["status"] for e in feed.recent_errors} == {500}
    assert claim_due_feeds(session, now + timedelta(days=30)) == []  # paused
    manage.update_feed(session, None, feed, title="Edited", now=now)
    session.commit()
    assert claim_due_feeds(session, now) == [feed.id]  # an edit resumes it


def test_due_feeds_are_claimed_a_few_per_host_and_not_twice(session):
    for n in range(5):
        make_feed(session, f"https://busy.example/feed{n}")
    make_feed(session, "https://quiet.example/feed")
    make_feed(session, "https://later.example/feed", next_fetch_at=NOW + timedelta(hours=1))
    picked = claim_due_feeds(session, NOW, per_host=3)
    hosts = [session.get(Feed, i).host for i in picked]
    assert sorted(hosts) == ["busy.example"] * 3 + ["quiet.example"]
    assert all(session.get(Feed, i).next_fetch_at == NOW + CLAIM_LEASE for i in picked)
    second = claim_due_feeds(session, NOW, per_host=3)
    assert sorted(session.get(Feed, i).host for i in second) == ["busy.example"] * 2
    assert claim_due_feeds(session, NOW) == []
