from __future__ import annotations

import dataclasses
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from tests.browser.test_journeys import _sign_in

PHONE = {"width": 390, "height": 844}


def test_an_employee_shares_to_linkedin_in_one_tap_on_a_phone(
    app,
    browser,
    live_server,
    factory,
    sharer,
    approved_post,
):
    app.config["SETTINGS"] = dataclasses.replace(
        app.config["SETTINGS"], short_link_base_url=live_server
    )
    approved_post(title="Big Launch!", share_text_linkedin="Proud of what we shipped today")
    context = browser.new_context(
        base_url=live_server,
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        permissions=["clipboard-read", "clipboard-write"],
        locale="en-US",
    )
    visited: list[str] = []

    def stub(route) -> None:  # the outside world is not reachable here: answer for it
        visited.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<title>stub</title>ok")

    context.route("https://www.linkedin.com/**", stub)
    page = context.new_page()
    page.set_default_timeout(10_000)
    _sign_in(page, sharer.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Share").click()
    page.wait_for_load_state("load")  # share.js in place: a tap before it is the no-JS path

    with context.expect_page() as new_tab:
        page.get_by_role("button", name="LinkedIn").tap()
    tab = new_tab.value
    tab.wait_for_url("https://www.linkedin.com/**")
    expect(page.get_by_role("status").last).to_contain_text("Suggested text copied")
    assert page.evaluate("navigator.clipboard.readText()") == "Proud of what we shipped today"

    assert visited == [tab.url] and tab.url.startswith(
        "https://www.linkedin.com/sharing/share-offsite/?url="
    )
    shared = parse_qs(urlsplit(tab.url).query)["url"][0]
    assert shared.startswith(f"{live_server}/s/")
    followed = context.request.get(shared, max_redirects=0)
    assert followed.status == 302
    landed = urlsplit(followed.headers["location"])
    assert (landed.netloc, landed.path) == ("blog.example.com", "/launch")
    query = parse_qs(landed.query)
    assert (query["utm_source"], query["utm_medium"], query["utm_content"]) == (
        ["linkedin"],
        ["employee_advocacy"],
        ["field-sales"],
    )
    context.close()
