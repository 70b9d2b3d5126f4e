from __future__ import annotations

import pytest
from sqlalchemy import select

from advocacy.db import db
from advocacy.models import AuditEntry, Post, PostStatus, Role, utcnow
from tests.api.test_api_basics import bearer


@pytest.fixture
def posts(app):
    def make(n: int = 1, status: PostStatus = PostStatus.PENDING, **fields) -> list[int]:
        ids = []
        with app.app_context():
            for _ in range(n):
                number = db.session.query(Post).count() + 1
                post = Post(
                    url=f"https://example.com/p{number}",
                    canonical_url=f"https://example.com/p{number}",
                    title=fields.get("title", f"Post {number}"),
                    status=status.value,
                    published_at=utcnow(),
                    first_seen_at=utcnow(),
                    updated_at=utcnow(),
                )
                db.session.add(post)
                db.session.commit()
                ids.append(post.id)
        return ids

    return make


@pytest.fixture
def manager(factory) -> dict[str, str]:
    return bearer(factory.token(factory.user(Role.MANAGER)))


def test_queue_lists_by_status_newest_first_and_pages(client, manager, posts):
    posts(3)
    posts(1, PostStatus.APPROVED)
    body = client.get("/api/v1/posts?status=pending&per_page=2", headers=manager).get_json()
    assert (body["total"], len(body["items"])) == (3, 2)
    assert [p["title"] for p in body["items"]] == ["Post 3", "Post 2"]
    assert client.get("/api/v1/posts?status=approved", headers=manager).get_json()["total"] == 1
    bad = client.get("/api/v1/posts?status=limbo", headers=manager)
    assert bad.status_code == 400 and "Unknown status" in bad.get_json()["error"]["message"]


def test_approve_with_edits_then_the_employee_feed_shows_it(app, client, manager, posts, factory):
    sales, eng = factory.team("Sales"), factory.team("Engineering")
    (post_id,) = posts(1)
    response = client.post(
        f"/api/v1/posts/{post_id}/approve",
        json={"team_ids": [sales.id], "share_text": {"linkedin": "Proud moment"}, "pinned": True},
        headers=manager,
    )
    assert response.status_code == 200
    body = response.get_json()
    assert (body["status"], body["team_ids"], body["pinned"]) == ("approved", [sales.id], True)
    assert body["share_text"]["linkedin"] == "Proud moment"
    assert body["share_text"]["x"] == body["title"]  # defaults to the title
    seller = bearer(factory.token(factory.user(team=sales)))
    engineer = bearer(factory.token(factory.user(team=eng)))
    assert [p["id"] for p in client.get("/api/v1/feed", headers=seller).get_json()["items"]] == [
        post_id
    ]
    assert client.get("/api/v1/feed", headers=engineer).get_json()["items"] == []


def test_illegal_transitions_are_409_and_reject_needs_a_reason(client, manager, posts):
    (post_id,) = posts(1, PostStatus.REJECTED)
    response = client.post(f"/api/v1/posts/{post_id}/approve", headers=manager)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "illegal_transition"
    (other,) = posts(1)
    response = client.post(f"/api/v1/posts/{other}/reject", json={}, headers=manager)
    assert response.status_code == 400
    response = client.post(
        f"/api/v1/posts/{other}/reject", json={"reason": "Off-brand"}, headers=manager
    )
    assert response.get_json()["status"] == "rejected"


@pytest.mark.parametrize(
    "body",
    [
        {"share_text": {"x": "x" * 300}},
        {"publish_at": "2026-12-02T10:00:00Z", "expires_at": "2026-12-01T10:00:00Z"},
        {"team_ids": [424242]},
        {"title": ""},
        {"publish_at": "next tuesday"},
        {"pinned": "yes"},
        {"share_text": "hello"},
        {"colour": "red"},
    ],
)
def test_invalid_patch_is_400_and_changes_nothing(app, client, manager, posts, body):
    (post_id,) = posts(1, title="Kept")
    response = client.patch(f"/api/v1/posts/{post_id}", json=body, headers=manager)
    assert response.status_code == 400
    with app.app_context():
        post = db.session.get(Post, post_id)
        assert (post.title, post.share_text_x, post.publish_at, post.pinned) == (
            "Kept",
            None,
            None,
            False,
        )
        assert (
            db.session.scalars(select(AuditEntry).where(AuditEntry.subject_type == "post")).all()
            == []
        )


def test_patch_sets_and_clears_the_window(client, manager, posts):
    (post_id,) = posts(1)
    body = client.patch(
        f"/api/v1/posts/{post_id}",
        json={"publish_at": "2026-12-01T09:30:00+01:00", "expires_at": "2026-12-08T00:00:00"},
        headers=manager,
    ).get_json()
    assert (body["publish_at"], body["expires_at"]) == (
        "2026-12-01T08:30:00+00:00",
        "2026-12-08T00:00:00+00:00",
    )
    body = client.patch(f"/api/v1/posts/{post_id}", json={"publish_at": None}, headers=manager)
    assert body.get_json()["publish_at"] is None


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.LEADER])
def test_employees_and_leaders_cannot_curate(client, factory, posts, role):
    (post_id,) = posts(1)
    who = bearer(factory.token(factory.user(role)))
    for method, path in [
        ("get", "/api/v1/posts"),
        ("get", f"/api/v1/posts/{post_id}"),
        ("patch", f"/api/v1/posts/{post_id}"),
        ("post", f"/api/v1/posts/{post_id}/approve"),
        ("post", f"/api/v1/posts/{post_id}/reject"),
    ]:
        response = getattr(client, method)(path, json={"reason": "x"}, headers=who)
        assert response.status_code == 403, (method, path)
