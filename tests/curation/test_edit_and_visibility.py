from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from advocacy.curation import states
from advocacy.curation.edit import PostChanges, caption_reused_on, update_post
from advocacy.curation.visibility import visible_post, visible_posts_for
from advocacy.errors import ValidationError
from advocacy.models import AuditEntry, Membership, PostStatus, Team, User
from tests.curation.conftest import NOW


@pytest.fixture
def teams(session):
    sales, eng = Team(name="Sales", slug="sales"), Team(name="Engineering", slug="engineering")
    session.add_all([sales, eng])
    session.commit()
    return sales, eng


def _member(session, team: Team | None, name: str) -> User:
    user = User(email=f"{name}@x.test", name=name, role="employee")
    session.add(user)
    session.flush()
    if team is not None:
        session.add(Membership(user_id=user.id, team_id=team.id, joined_at=NOW - timedelta(days=1)))
    session.commit()
    return user


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (PostChanges(share_text={"x": "a" * 257}), "X text is 257 long"),
        (PostChanges(publish_at=NOW, expires_at=NOW - timedelta(hours=1)), "expire after"),
        (PostChanges(team_ids=[987654]), "no team 987654"),
        (PostChanges(title="   "), "needs a title"),
        (PostChanges(title="New", share_text={"tiktok": "hi"}), "Unknown network"),
    ],
)
def test_invalid_edits_change_nothing(session, make_post, teams, changes, message):
    post = make_post(title="Original", pinned=False)
    with pytest.raises(ValidationError) as refused:
        update_post(session, None, post, changes, NOW)
    assert message in refused.value.message
    session.rollback()
    fresh = session.get(type(post), post.id)
    assert (fresh.title, fresh.share_text_x, fresh.expires_at, fresh.teams) == (
        "Original",
        None,
        None,
        [],
    )
    assert session.scalars(select(AuditEntry)).all() == []


def test_a_valid_edit_applies_everything_and_is_audited(session, make_post, teams):
    sales, _ = teams
    post = make_post()
    changes = PostChanges(
        title="Better title",
        share_text={"linkedin": "Proud of this", "x": "Look"},
        team_ids=[sales.id],
        publish_at=NOW,
        expires_at=NOW + timedelta(days=7),
        pinned=True,
    )
    update_post(session, None, post, changes, NOW)
    session.commit()
    assert (post.title, post.share_text_linkedin, post.share_text_x, post.pinned) == (
        "Better title",
        "Proud of this",
        "Look",
        True,
    )
    assert [t.name for t in post.teams] == ["Sales"]
    entry = session.scalars(select(AuditEntry)).one()
    assert entry.action == "post.edit" and entry.detail["team_ids"] == [sales.id]


def test_visibility_follows_state_window_and_team(session, make_post, teams):
    sales, eng = teams
    seller, engineer, loner = (
        _member(session, sales, "seller"),
        _member(session, eng, "engineer"),
        _member(session, None, "loner"),
    )
    everyone = make_post(PostStatus.APPROVED, title="Everyone")
    for_sales = make_post(PostStatus.APPROVED, title="Sales only")
    for_sales.teams = [sales]
    scheduled = make_post(
        PostStatus.APPROVED,
        title="Scheduled",
        publish_at=NOW + timedelta(hours=1),
        expires_at=NOW + timedelta(hours=2),
    )
    pinned_old = make_post(
        PostStatus.APPROVED, title="Pinned", pinned=True, published_at=NOW - timedelta(days=30)
    )
    for status in (
        PostStatus.PENDING,
        PostStatus.REJECTED,
        PostStatus.ARCHIVED,
        PostStatus.EXPIRED,
    ):
        make_post(status, title=f"Hidden {status.value}")
    session.commit()

    def titles(user, when):
        return [p.title for p in session.scalars(visible_posts_for(user, when))]

    assert titles(seller, NOW) == ["Pinned", "Sales only", "Everyone"]
    assert titles(engineer, NOW) == ["Pinned", "Everyone"]
    assert titles(loner, NOW) == ["Pinned", "Everyone"]
    inside = NOW + timedelta(hours=1)
    assert titles(engineer, inside) == ["Pinned", "Scheduled", "Everyone"]
    assert titles(engineer, NOW + timedelta(hours=2)) == ["Pinned", "Everyone"]  # to is exclusive
    assert visible_post(session, engineer, for_sales.id, NOW) is None
    assert visible_post(session, seller, for_sales.id, NOW).id == for_sales.id
    assert visible_post(session, seller, scheduled.id, NOW) is None
    assert visible_post(session, seller, everyone.id, NOW) is not None
    assert pinned_old.id  # pinned ranks first even when older


def test_the_same_caption_on_another_live_post_is_reported(session, make_post):
    live = make_post(PostStatus.APPROVED, share_text_linkedin="We are hiring!")
    make_post(PostStatus.ARCHIVED, share_text_linkedin="We are hiring!")
    mine = make_post(share_text_linkedin="We are hiring!", share_text_x="unique words")
    assert [(n, p.id) for n, p in caption_reused_on(session, mine, NOW)] == [("linkedin", live.id)]
    states.archive(session, None, live, NOW)
    assert caption_reused_on(session, mine, NOW) == []
