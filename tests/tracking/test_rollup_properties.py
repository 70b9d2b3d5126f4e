"""Hypothesis: any click stream, split into any batches in any order, gives the rollups a
plain replay of the rules in time order gives; and a rebuild gives them again. The
per-user, per-post and per-network summaries stay equal to the sums of the rollups."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from advocacy.db import db
from advocacy.models import (
    Click,
    ClickBurst,
    ClickDailyVisitor,
    ClickRollup,
    NetworkClickDay,
    PostClickDay,
    PostClickTotal,
    ShareLink,
    UserClickDay,
    UserClickTotal,
)
from advocacy.tracking import summaries
from advocacy.tracking.aggregate import Totals, store_batch
from advocacy.tracking.rebuild import rebuild_rollups
from advocacy.tracking.stream import StreamEntry
from tests.tracking.test_aggregate import CHROME, UNFURLER, rollups

SUMMARY_MODELS = (UserClickDay, UserClickTotal, PostClickDay, PostClickTotal, NetworkClickDay)
START = datetime(2026, 11, 2, 23, 55, tzinfo=UTC)  # ten minutes that cross midnight

clicks = st.lists(
    st.tuples(
        st.integers(0, 1),  # link
        st.integers(0, 600_000),  # ms after START
        st.sampled_from(["v1", "v2", "v3"]),
        st.sampled_from([CHROME, CHROME, CHROME, UNFURLER, ""]),
    ),
    max_size=60,
)


def expected(stream, codes) -> dict[tuple[str, datetime], tuple[int, int, int]]:
    """The rules of DESIGN.md, applied in time order with nothing clever."""
    counts: dict[tuple[str, datetime], list[int]] = defaultdict(lambda: [0, 0, 0])
    per_minute: Counter = Counter()
    seen_today: set = set()
    for _index, (link, offset, visitor, agent) in sorted(
        enumerate(stream), key=lambda item: (item[1][1], item[0])
    ):
        at = START + timedelta(milliseconds=offset)
        at = at.replace(microsecond=(at.microsecond // 1000) * 1000)
        hour = at.replace(minute=0, second=0, microsecond=0)
        key = (codes[link], hour)
        if agent != CHROME:
            counts[key][2] += 1
            continue
        minute = (link, visitor, at.replace(second=0, microsecond=0))
        per_minute[minute] += 1
        if per_minute[minute] > 10:
            counts[key][2] += 1
            continue
        counts[key][0] += 1
        if (link, visitor, at.date()) not in seen_today:
            seen_today.add((link, visitor, at.date()))
            counts[key][1] += 1
    return {k: tuple(v) for k, v in counts.items()}


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(stream=clicks, batch=st.integers(1, 25), order=st.randoms(use_true_random=False))
def test_batches_in_any_order_match_a_plain_replay(
    app, sharer, approved_post, stream, batch, order
):
    with app.app_context():
        for model in (Click, ClickRollup, ClickBurst, ClickDailyVisitor, *SUMMARY_MODELS):
            db.session.execute(delete(model))
        db.session.commit()
        post = approved_post()
        codes = []
        db.session.execute(delete(ShareLink))
        for n in range(2):
            link = ShareLink(
                code=f"Prop000{n}",
                user_id=sharer.id,
                post_id=post.id,
                network=("linkedin", "x")[n],
                target_url=post.url,
            )
            db.session.add(link)
            db.session.flush()
            summaries.add_share(db.session, link.id)  # as sharing does
            db.session.commit()
            codes.append(link.code)
        entries = [
            StreamEntry(
                f"{1_700_000_000_000 + i}-0",
                {
                    "code": codes[link],
                    "visitor": visitor,
                    "ua": agent,
                    "ts": str(int((START + timedelta(milliseconds=offset)).timestamp() * 1000)),
                },
            )
            for i, (link, offset, visitor, agent) in enumerate(stream)
        ]
        order.shuffle(entries)
        totals = Totals()
        for start in range(0, len(entries), batch):
            store_batch(db.session, entries[start : start + batch], totals)
        assert totals.counted == len(stream)
        kept = summary_rows()
        summaries.refill(db.session)
        assert kept == summary_rows()
    want = expected(stream, codes)
    assert rollups(app) == {k: v for k, v in want.items() if v != (0, 0, 0)}
    with app.app_context():
        rebuild_rollups(db.session)
        assert summary_rows() == kept
    assert rollups(app) == {k: v for k, v in want.items() if v != (0, 0, 0)}


def summary_rows() -> dict[str, set[tuple]]:
    """Every summary table's non-zero rows."""
    return {
        model.__tablename__: {
            tuple(row)
            for row in db.session.execute(select(*model.__table__.columns))
            if tuple(row)[-3:] != (0, 0, 0)
        }
        for model in SUMMARY_MODELS
    }
