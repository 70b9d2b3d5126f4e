"""Figures read from the summaries equal the plain counts of the share links and sums of
the hourly rollups, for periods on whole days, on hours inside days, and unbounded; and
the summaries stay so as shares are made and rollups rebuilt."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from advocacy.db import db
from advocacy.metrics.base import BY_NETWORK, BY_POST, BY_USER, Counts, counts_by, split_days
from advocacy.metrics.period import Period
from advocacy.metrics.posts import post_rows
from advocacy.models import ClickRollup, ShareLink
from tests.metrics.conftest import at

PERIODS = [
    Period(None, None),
    Period(at(1), at(8)),  # whole days
    Period(at(2, 5), at(8, 3)),  # starts and ends inside a day
    Period(at(2, 11), at(2, 20)),  # inside one day
    Period(at(2, 10), at(3, 2)),  # across one midnight, no whole day
    Period(None, at(7, 12)),
    Period(at(4, 13), None),
    Period(at(8), at(8, 1)),  # one hour
]


def plain_counts(period: Period, column) -> dict:  # type: ignore[no-untyped-def]
    shares = select(column, func.count()).group_by(column)
    if period.start:
        shares = shares.where(ShareLink.created_at >= period.start)
    if period.end:
        shares = shares.where(ShareLink.created_at < period.end)
    shared = dict(db.session.execute(shares).all())
    query = (
        select(
            column,
            func.sum(ClickRollup.clicks),
            func.sum(ClickRollup.unique_clicks),
            func.sum(ClickRollup.bot_clicks),
        )
        .join(ShareLink, ShareLink.id == ClickRollup.link_id)
        .group_by(column)
    )
    if period.start:
        query = query.where(ClickRollup.hour >= period.start)
    if period.end:
        query = query.where(ClickRollup.hour < period.end)
    clicked = {key: (int(c), int(u), int(b)) for key, c, u, b in db.session.execute(query)}
    return {
        key: Counts(shared.get(key, 0), *clicked.get(key, (0, 0, 0)))
        for key in shared.keys() | clicked.keys()
    }


@pytest.mark.parametrize("period", PERIODS, ids=lambda p: p.label())
def test_summaries_and_edges_add_up_to_the_links_and_rollups(app, org, period):
    with app.app_context():
        for by in (BY_USER, BY_POST, BY_NETWORK):
            want = plain_counts(period, by.link_column)
            got = {k: v for k, v in counts_by(db.session, period, by).items() if v != Counts()}
            assert got == want, by.link_column


def test_a_period_is_cut_into_whole_days_and_partial_edges():
    assert split_days(Period(at(1), at(8))) == ((date(2026, 10, 1), date(2026, 10, 8)), [])
    assert split_days(Period(at(2, 5), at(8, 3))) == (
        (date(2026, 10, 3), date(2026, 10, 8)),
        [Period(at(2, 5), at(3)), Period(at(8), at(8, 3))],
    )
    assert split_days(Period(at(2, 10), at(3, 2))) == (None, [Period(at(2, 10), at(3, 2))])
    assert split_days(Period(None, None)) == ((None, None), [])


def test_posts_are_read_a_slice_at_a_time_with_their_half_lives(app, org):
    with app.app_context():
        rows = post_rows(db.session, Period(None, None))
        every = list(rows)
        clicked = [r for r in every if r.clicks]
        assert len(clicked) >= 2 and all(r.half_life_hours is not None for r in clicked)
        assert len(rows) == len(every) == 4
        for cut in (slice(0, 1), slice(1, 3), slice(-2, None), slice(None, None, 2)):
            assert rows[cut] == every[cut], cut  # same rows, same half-lives
        assert rows[1] == every[1] and rows[-1] == every[-1]
