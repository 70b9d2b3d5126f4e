from __future__ import annotations

import pytest
from playwright.sync_api import expect
from pytest_httpserver import HTTPServer

from advocacy.models import Role
from tests.browser.test_journeys import _sign_in
from tests.feeds.test_refresh import rss

pytestmark = pytest.mark.usefixtures("allow_private_feeds")


def test_a_manager_adds_a_feed_refreshes_it_and_sees_the_posts_in_the_queue(
    page, factory, httpserver: HTTPServer
):
    httpserver.expect_request("/news/").respond_with_data(
        '<html><head><link rel="alternate" type="application/atom+xml" href="feed.xml">'
        "</head></html>",
        content_type="text/html",
    )
    httpserver.expect_request("/news/feed.xml").respond_with_data(
        rss(("q3", "Record quarter"), ("hire", "We are hiring"), title="Company news"),
        content_type="application/rss+xml",
    )
    manager = factory.user(Role.MANAGER)
    _sign_in(page, manager.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Feeds").click()
    page.get_by_label("Feed or site address").fill(httpserver.url_for("/news/"))
    page.get_by_role("button", name="Add feed").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Company news")
    page.wait_for_load_state("load")  # feeds.js in place: a click before it is the no-JS path

    page.get_by_role("button", name="Refresh now").click()  # JavaScript: stays on the page
    expect(page.locator(".refresh-status")).to_have_text("2 new, 0 updated")
    page.get_by_role("link", name="Posts from this feed").click()
    titles = page.locator(".post-title")
    expect(titles).to_have_count(2)
    expect(page.get_by_role("link", name="Record quarter")).to_be_visible()
    expect(page.get_by_role("link", name="We are hiring")).to_be_visible()
