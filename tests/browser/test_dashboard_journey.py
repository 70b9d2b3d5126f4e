from __future__ import annotations

import csv

from playwright.sync_api import expect

from advocacy.db import db
from advocacy.models import Role, User
from tests.browser.test_journeys import _sign_in
from tests.metrics.conftest import org  # noqa: F401  (fixture)


def _first_ranked(page) -> str:
    return page.locator("#table-teams tbody tr").first.locator("td").nth(1).inner_text()


def test_a_leader_changes_the_period_and_downloads_the_csv(app, page, factory, org, tmp_path):  # noqa: F811
    _sign_in(page, factory.user(Role.LEADER).email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    page.get_by_label("From (UTC)").fill("2026-10-01")
    page.get_by_label("To, not included").fill("2026-10-08")
    page.get_by_role("button", name="Show custom period").click()
    expect(page.locator("#period-label")).to_have_text("2026-10-01 00:00 → 2026-10-08 00:00 UTC")
    assert _first_ranked(page) == "Bravo"

    page.get_by_label("To, not included").fill("2026-10-04")
    page.get_by_role("button", name="Show custom period").click()
    expect(page.locator("#period-label")).to_contain_text("2026-10-04")
    assert _first_ranked(page) == "Alpha"

    with page.expect_download() as download:
        page.locator("#table-teams").locator("xpath=..").get_by_role(
            "link", name="Download CSV"
        ).click()
    saved = tmp_path / "teams.csv"
    download.value.save_as(saved)
    rows = list(csv.DictReader(saved.open()))
    assert rows[0]["team"] == "Alpha" and rows[0]["rank"] == "1"
    assert len(rows) == 5


def test_an_employee_opens_my_impact(app, page, factory, org):  # noqa: F811
    with app.app_context():
        ann = db.session.get(User, org["users"]["Ann"])
        ann.password_hash = factory.user().password_hash
        db.session.commit()
        email = ann.email
    _sign_in(page, email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My impact").click()
    expect(page.locator("#my-points")).to_have_text("29")
    expect(page.locator("#my-rank")).to_have_text("1 / 3")
    expect(page.get_by_text("★ First share")).to_be_visible()
