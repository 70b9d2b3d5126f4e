from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import select

from advocacy.db import db
from advocacy.models import Post, Role
from tests.api.test_posts_api import posts  # noqa: F401  (fixture)
from tests.browser.test_journeys import _sign_in


def _sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()


def test_approve_for_one_team_reject_another_and_employees_see_the_right_feed(
    app,
    page,
    factory,
    posts,  # noqa: F811
):
    sales, eng = factory.team("Sales"), factory.team("Engineering")
    posts(1, title="Big customer win")
    posts(1, title="Internal memo")
    manager = factory.user(Role.MANAGER)
    seller = factory.user(team=sales)
    engineer = factory.user(team=eng)

    _sign_in(page, manager.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Queue").click()
    page.get_by_role("link", name="Big customer win").click()
    page.get_by_label("LinkedIn text").fill("Proud of our Sales team!")
    expect(page.locator('.counted[data-network="linkedin"] .count')).to_have_text("24")
    page.get_by_label("Teams (none: all teams)").select_option(label="Sales")
    page.get_by_role("button", name="Save and approve").click()
    expect(page.get_by_role("status")).to_contain_text("Saved and approved.")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Queue").click()
    card = page.locator(".post-card", has_text="Internal memo")
    card.get_by_label("Reason for rejecting").fill("Not for the public")
    card.get_by_role("button", name="Reject").click()
    expect(page.get_by_role("status")).to_contain_text("Rejected: Internal memo")
    _sign_out(page)

    _sign_in(page, seller.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Share").click()
    expect(page.locator(".post-title")).to_have_text(["Big customer win"])
    _sign_out(page)

    _sign_in(page, engineer.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Share").click()
    expect(page.locator(".post-title")).to_have_count(0)
    expect(page.get_by_text("Nothing to share right now.")).to_be_visible()
    with app.app_context():
        post = db.session.scalar(select(Post).where(Post.title == "Big customer win"))
        assert post.share_text_linkedin == "Proud of our Sales team!"


def test_the_queue_works_from_the_keyboard(app, page, factory, posts):  # noqa: F811
    ids = posts(3)
    _sign_in(page, factory.user(Role.MANAGER).email)
    page.goto("/queue/")
    page.keyboard.press("j")
    page.keyboard.press("a")  # approves the newest, inline
    expect(page.locator(".post-card")).to_have_count(2)
    page.keyboard.press("j")
    page.keyboard.press("x")
    expect(page.locator(".post-card input.tick").nth(1)).to_be_checked()
    page.get_by_role("button", name="Approve ticked").click()
    expect(page.get_by_role("status")).to_contain_text("1 post approved.")
    with app.app_context():
        statuses = dict(db.session.execute(select(Post.id, Post.status)).all())
    assert sorted(statuses[i] for i in ids) == ["approved", "approved", "pending"]
