from __future__ import annotations

import itertools
import re
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from advocacy.models import Network, Post
from advocacy.tracking.links import new_code, share_target
from tests.api.test_api_basics import bearer


def test_codes_are_random_base62_of_at_least_seven_characters():
    codes = [new_code() for _ in range(2000)]
    assert len(set(codes)) == 2000
    assert all(re.fullmatch(r"[A-Za-z0-9]{8}", c) for c in codes)
    # Not sequential: consecutive codes share no long prefix.
    assert sum(a[:3] == b[:3] for a, b in itertools.pairwise(codes)) < 5


def test_target_keeps_query_and_fragment_and_adds_utm_only_where_absent():
    post = Post(
        id=7,
        url="https://blog.example.com/a?lang=en&utm_source=newsletter#part-2",
        title="Big Launch!",
    )
    target = share_target(post, Network.LINKEDIN, "field-sales")
    parts = urlsplit(target)
    query = parse_qs(parts.query)
    assert parts.fragment == "part-2" and query["lang"] == ["en"]
    assert query["utm_source"] == ["newsletter"]  # present: not overridden
    assert query["utm_medium"] == ["employee_advocacy"]
    assert query["utm_campaign"] == ["big-launch"]
    assert query["utm_content"] == ["field-sales"]


def test_only_http_posts_can_become_links():
    with pytest.raises(Exception, match="http"):
        share_target(Post(id=1, url="javascript:alert(1)", title="x"), Network.X, None)


def test_sharing_is_idempotent_per_user_post_and_network(client, factory, sharer, approved_post):
    post = approved_post()
    auth = bearer(factory.token(sharer))
    first = client.post(
        f"/api/v1/posts/{post.id}/shares", json={"network": "linkedin"}, headers=auth
    )
    assert first.status_code == 201
    body = first.get_json()
    assert body["short_url"] == f"http://go.test/s/{body['code']}"
    assert body["share_url"].startswith("https://www.linkedin.com/sharing/share-offsite/?url=")
    assert body["text"] == "Big Launch!"
    again = client.post(
        f"/api/v1/posts/{post.id}/shares", json={"network": "linkedin"}, headers=auth
    )
    assert again.status_code == 200 and again.get_json()["code"] == body["code"]
    other = client.post(f"/api/v1/posts/{post.id}/shares", json={"network": "x"}, headers=auth)
    assert other.status_code == 201 and other.get_json()["code"] != body["code"]
    x_url = other.get_json()["share_url"]
    assert parse_qs(urlsplit(x_url).query)["url"] == [other.get_json()["short_url"]]


def test_a_post_the_user_may_not_see_cannot_be_shared(client, factory, sharer, approved_post):
    auth = bearer(factory.token(sharer))
    elsewhere = factory.team("Elsewhere")
    pending = approved_post(status="pending")
    targeted = approved_post()
    from advocacy.db import db

    with client.application.app_context():
        db.session.get(Post, targeted.id).teams = [db.session.merge(elsewhere)]
        db.session.commit()
    for post_id in (pending.id, targeted.id, 999999):
        response = client.post(
            f"/api/v1/posts/{post_id}/shares", json={"network": "x"}, headers=auth
        )
        assert response.status_code == 404, post_id
    bad = client.post(
        f"/api/v1/posts/{pending.id}/shares", json={"network": "myspace"}, headers=auth
    )
    assert bad.status_code == 400


def test_email_and_copy_intents(client, factory, sharer, approved_post):
    post = approved_post(email_subject="Have a look", email_body="I thought of you")
    auth = bearer(factory.token(sharer))
    email = client.post(
        f"/api/v1/posts/{post.id}/shares", json={"network": "email"}, headers=auth
    ).get_json()
    assert email["share_url"].startswith("mailto:?subject=Have%20a%20look&body=I%20thought")
    assert unquote(email["share_url"]).endswith("\n\n" + email["short_url"])
    copy = client.post(
        f"/api/v1/posts/{post.id}/shares", json={"network": "copy"}, headers=auth
    ).get_json()
    assert copy["share_url"] == copy["short_url"]
