from __future__ import annotations

import pytest
from sqlalchemy import select

from advocacy.db import db
from advocacy.models import Post, PostStatus, Role
from tests.api.test_posts_api import posts  # noqa: F401  (fixture)
from tests.conftest import csrf_from, sign_in


@pytest.fixture
def manager(app, factory):
    client = app.test_client()
    sign_in(client, factory.user(Role.MANAGER).email)
    return client


def _statuses(app) -> dict[int, str]:
    with app.app_context():
        return dict(db.session.execute(select(Post.id, Post.status)).all())


def test_approve_and_reject_one_by_one_from_the_queue(app, manager, posts):  # noqa: F811
    first, second = posts(2)
    page = manager.get("/queue/")
    assert "Post 1" in page.text and "Post 2" in page.text
    token = csrf_from(page.text)
    response = manager.post(f"/queue/{first}/approve", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"].startswith("/queue/")
    response = manager.post(f"/queue/{second}/reject", data={"csrf_token": token, "reason": ""})
    assert _statuses(app)[second] == "pending"  # no reason, no rejection
    manager.post(f"/queue/{second}/reject", data={"csrf_token": token, "reason": "Old news"})
    assert _statuses(app) == {first: "approved", second: "rejected"}
    remaining = manager.get("/queue/").text  # flashes were shown on the way: none left
    assert 'class="post-title"' not in remaining and "Nothing here." in remaining


def test_bulk_approve_and_reject_are_all_or_nothing(app, manager, posts):  # noqa: F811
    ids = posts(5)
    (rejected,) = posts(1, PostStatus.REJECTED)
    token = csrf_from(manager.get("/queue/").text)
    response = manager.post(
        "/queue/bulk",
        data={
            "csrf_token": token,
            "action": "approve",
            "post_ids": [*ids[:3], rejected],
        },
        follow_redirects=True,
    )
    assert "cannot become approved" in response.text
    assert set(_statuses(app)[i] for i in ids) == {"pending"}
    response = manager.post(
        "/queue/bulk",
        data={
            "csrf_token": token,
            "action": "approve",
            "post_ids": ids[:3],
        },
        follow_redirects=True,
    )
    assert "3 posts approved." in response.text
    response = manager.post(
        "/queue/bulk",
        data={
            "csrf_token": token,
            "action": "reject",
            "post_ids": ids[3:],
            "reason": "Duplicate",
        },
        follow_redirects=True,
    )
    assert "2 posts rejected." in response.text
    statuses = _statuses(app)
    assert [statuses[i] for i in ids] == ["approved"] * 3 + ["rejected"] * 2


def test_the_post_editor_saves_approves_and_shows_history(app, manager, posts, factory):  # noqa: F811
    team = factory.team("Sales")
    (post_id,) = posts(1)
    page = manager.get(f"/posts/{post_id}")
    assert "Preview in the employee feed" in page.text and "No change yet." in page.text
    data = {
        "csrf_token": csrf_from(page.text),
        "title": "Edited title",
        "linkedin": "Proud!",
        "x": "x" * 257,
        "team_ids": str(team.id),
        "publish_at": "",
        "expires_at": "",
    }
    response = manager.post(f"/posts/{post_id}", data=data)
    assert response.status_code == 400 and "X text is 257 long" in response.text
    assert _statuses(app)[post_id] == "pending"
    data["x"] = "Short and sweet"
    data["then"] = "approve"
    data["expires_at"] = "2030-01-01T12:00"
    response = manager.post(f"/posts/{post_id}", data=data, follow_redirects=True)
    assert "Saved and approved." in response.text
    assert "post.edit" in response.text and "pending → approved" in response.text
    with app.app_context():
        post = db.session.get(Post, post_id)
        assert (post.title, post.share_text_linkedin, post.status) == (
            "Edited title",
            "Proud!",
            "approved",
        )
        assert post.expires_at.isoformat() == "2030-01-01T12:00:00+00:00"
        assert [t.name for t in post.teams] == ["Sales"]


def test_expiry_before_publication_gets_a_message(app, manager, posts):  # noqa: F811
    (post_id,) = posts(1)
    page = manager.get(f"/posts/{post_id}")
    response = manager.post(
        f"/posts/{post_id}",
        data={
            "csrf_token": csrf_from(page.text),
            "title": "T",
            "publish_at": "2030-01-02T00:00",
            "expires_at": "2030-01-01T00:00",
        },
    )
    assert response.status_code == 400 and "must expire after it is published" in response.text
