from __future__ import annotations

import re

from advocacy.db import db
from advocacy.models import ApiToken, User
from tests.conftest import PASSWORD, csrf_from, sign_in


def _signed_in(app, factory, **fields):
    user = factory.user(**fields)
    client = app.test_client()
    sign_in(client, user.email)
    return user, client


def _post(client, action: str, **data):
    data["csrf_token"] = csrf_from(client.get("/account/").text)
    return client.post(action, data=data)


def test_user_changes_name_and_language_and_the_page_speaks_french(app, factory):
    user, client = _signed_in(app, factory)
    assert "My account" in client.get("/account/").text
    response = _post(client, "/account/profile", name="Renée Dupont", locale="fr")
    assert response.status_code == 302
    page = client.get("/account/")
    assert "Mon compte" in page.text and '<html lang="fr">' in page.text
    with app.app_context():
        assert db.session.get(User, user.id).name == "Renée Dupont"
    assert _post(client, "/account/profile", name="X", locale="klingon").status_code == 400


def test_browser_language_is_the_default(app, factory):
    _, client = _signed_in(app, factory)
    page = client.get("/account/", headers={"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"})
    assert "Mon compte" in page.text
    page = client.get("/account/", headers={"Accept-Language": "de-DE"})
    assert "My account" in page.text


def test_password_change_needs_the_current_password(app, factory):
    user, client = _signed_in(app, factory)
    response = _post(client, "/account/password", current="wrong", new="another-long-one")
    assert response.status_code == 400 and "current password is not right" in response.text
    response = _post(client, "/account/password", current=PASSWORD, new="another-long-one")
    assert response.status_code == 302
    assert sign_in(app.test_client(), user.email, PASSWORD).status_code == 401
    assert sign_in(app.test_client(), user.email, "another-long-one").status_code == 302


def test_tokens_are_created_shown_once_listed_and_revoked(app, factory):
    user, client = _signed_in(app, factory)
    response = _post(client, "/account/tokens", name="laptop")
    token = re.search(r'id="new-token">([^<]+)<', response.text).group(1)
    api = app.test_client()
    auth = {"Authorization": f"Bearer {token}"}
    assert api.get("/api/v1/me", headers=auth).get_json()["email"] == user.email
    page = client.get("/account/").text
    assert "laptop" in page and token[:10] in page and token not in page
    with app.app_context():
        row = db.session.query(ApiToken).filter_by(user_id=user.id).one()
        assert row.token_hash != token and row.last_used_at is not None
    assert _post(client, f"/account/tokens/{row.id}/revoke").status_code == 302
    assert api.get("/api/v1/me", headers=auth).status_code == 401


def test_a_user_cannot_revoke_someone_elses_token(app, factory):
    other = factory.user()
    factory.token(other)
    _, client = _signed_in(app, factory)
    with app.app_context():
        row = db.session.query(ApiToken).filter_by(user_id=other.id).one()
    assert _post(client, f"/account/tokens/{row.id}/revoke").status_code == 404
    with app.app_context():
        assert db.session.get(ApiToken, row.id).revoked_at is None
