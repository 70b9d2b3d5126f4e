"""The building blocks are computed once per session, and forgotten on any write."""

from __future__ import annotations

from advocacy.db import db
from advocacy.metrics.base import shares_by_user
from advocacy.metrics.period import Period
from advocacy.models import ShareLink
from tests.metrics.conftest import at

ALL = Period(None, None)


def test_a_block_is_computed_once_then_forgotten_on_a_write(app, org):
    with app.app_context():
        session = db.session
        first = shares_by_user(session, ALL)
        assert shares_by_user(session, ALL) is first  # the same object: not recomputed
        assert shares_by_user(session, Period(at(1), at(3))) is not first  # other arguments
        ann = org["users"]["Ann"]
        before = first[ann]
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
        assert shares_by_user(session, ALL)[ann] == before + 1
        session.rollback()
        assert shares_by_user(session, ALL)[ann] == before
