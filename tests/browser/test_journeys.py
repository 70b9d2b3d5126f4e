from __future__ import annotations

import pytest
from playwright.sync_api import expect

from advocacy.models import Role
from tests.conftest import PASSWORD

NAV = {
    Role.EMPLOYEE: ["Home", "Share", "My impact", "My account"],
    Role.MANAGER: ["Home", "Share", "My impact", "Dashboard", "Queue", "Feeds", "My account"],
    Role.LEADER: ["Home", "Share", "My impact", "Dashboard", "My account"],
    Role.ADMIN: [
        "Home",
        "Share",
        "My impact",
        "Dashboard",
        "Queue",
        "Feeds",
        "Users",
        "Teams",
        "Clicks",
        "My account",
    ],
}


def _sign_in(page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.ADMIN])
def test_sign_in_see_the_navigation_switch_to_french_and_sign_out(page, factory, role):
    user = factory.user(role, team=factory.team("Engineering"), name="Camille Martin")
    _sign_in(page, user.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Camille Martin")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link")).to_have_text(NAV[role])

    nav.get_by_role("link", name="My account").click()
    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.get_by_role("navigation")).to_have_count(0)


def test_a_wrong_password_shows_a_message_on_the_page(page, factory):
    user = factory.user()
    page.goto("/login")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("status")).to_contain_text("do not match an active account")
