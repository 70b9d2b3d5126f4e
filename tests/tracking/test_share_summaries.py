"""Shares are counted in the summaries when they are made, once, and survive rebuilds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from advocacy.db import db
from advocacy.models import (
    Network,
    NetworkClickDay,
    PostClickDay,
    PostClickTotal,
    ShareLink,
    User,
    UserClickDay,
    UserClickTotal,
)
from advocacy.tracking.links import share
from advocacy.tracking.rebuild import rebuild_rollups
from advocacy.tracking.summaries import refill

MONDAY = datetime(2026, 11, 2, 9, tzinfo=UTC)


def summed_shares() -> dict[str, int]:
    return {
        model.__tablename__: db.session.scalar(select(func.coalesce(func.sum(model.shares), 0)))
        for model in (UserClickDay, UserClickTotal, PostClickDay, PostClickTotal, NetworkClickDay)
    }


def shares_per_day() -> set[tuple]:
    return set(
        db.session.execute(select(UserClickDay.user_id, UserClickDay.day, UserClickDay.shares))
    )


def test_a_share_is_counted_once_in_every_summary(app, sharer, approved_post):
    post = approved_post()
    with app.app_context():
        user = db.session.get(User, sharer.id)
        share(db.session, user, post.id, Network.LINKEDIN, MONDAY)
        share(db.session, user, post.id, Network.LINKEDIN, MONDAY)  # reused: not a new share
        share(db.session, user, post.id, Network.X, MONDAY + timedelta(days=1))
        assert summed_shares() == dict.fromkeys(summed_shares(), 2)
        assert shares_per_day() == {
            (user.id, MONDAY.date(), 1),
            (user.id, MONDAY.date() + timedelta(days=1), 1),
        }
        assert db.session.scalar(select(PostClickTotal.shares)) == 2
        assert set(db.session.execute(select(NetworkClickDay.network, NetworkClickDay.shares))) == {
            ("linkedin", 1),
            ("x", 1),
        }


def test_rebuilds_and_refills_keep_the_share_counts(app, sharer, approved_post):
    post = approved_post()
    with app.app_context():
        user = db.session.get(User, sharer.id)
        for day, network in enumerate((Network.LINKEDIN, Network.X, Network.EMAIL)):
            share(db.session, user, post.id, network, MONDAY + timedelta(days=day))
        made = shares_per_day()
        assert len(made) == 3 and db.session.scalar(select(func.count(ShareLink.id))) == 3
        rebuild_rollups(db.session, (MONDAY + timedelta(days=1)).date())  # from the second day
        assert shares_per_day() == made
        assert summed_shares() == dict.fromkeys(summed_shares(), 3)
        rebuild_rollups(db.session)
        assert shares_per_day() == made
        assert summed_shares() == dict.fromkeys(summed_shares(), 3)
        refill(db.session)
        assert shares_per_day() == made
        assert summed_shares() == dict.fromkeys(summed_shares(), 3)


def test_a_rebuild_drops_what_only_the_lost_clicks_had_put_there(app, sharer, approved_post):
    """Rows whose clicks the raw log no longer has are emptied and removed; shares stay."""
    post = approved_post()
    with app.app_context():
        user = db.session.get(User, sharer.id)
        share(db.session, user, post.id, Network.LINKEDIN, MONDAY)
        later = MONDAY.date() + timedelta(days=3)
        db.session.add(UserClickDay(user_id=user.id, day=later, clicks=5, unique_clicks=4))
        total = db.session.get(UserClickTotal, user.id)
        total.clicks, total.unique_clicks = 5, 4
        db.session.commit()
        rebuild_rollups(db.session)  # no raw click to replay
        assert shares_per_day() == {(user.id, MONDAY.date(), 1)}
        total = db.session.get(UserClickTotal, user.id)
        db.session.refresh(total)
        assert (total.shares, total.clicks, total.unique_clicks) == (1, 0, 0)
