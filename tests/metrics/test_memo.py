"""The building blocks are computed once per session, and forgotten on any write."""

from __future__ import annotations

from sqlalchemy import select

from advocacy.db import db
from advocacy.metrics.base import counts_by_user
from advocacy.metrics.period import Period
from advocacy.models import ShareLink
from advocacy.tracking import summaries
from tests.metrics.conftest import at

ALL = Period(None, None)


def test_a_block_is_computed_once_then_forgotten_on_a_write(app, org):
    with app.app_context():
        session = db.session
        first = counts_by_user(session, ALL)
        assert counts_by_user(session, ALL) is first  # the same object: not recomputed
        assert counts_by_user(session, Period(at(1), at(3))) is not first  # other arguments
        ann = org["users"]["Ann"]
        before = first[ann].shares
        link = session.get(ShareLink, session.query(ShareLink.id).first()[0])
        session.add(
            ShareLink(
                code="MemoTest1",
                user_id=ann,
                post_id=link.post_id,
                network="email",
                target_url=link.target_url,
            )
        )
        session.flush()
        summaries.add_share(
            session, session.scalar(select(ShareLink.id).filter_by(code="MemoTest1"))
        )
        assert counts_by_user(session, ALL)[ann].shares == before + 1
        session.rollback()
        assert counts_by_user(session, ALL)[ann].shares == before
