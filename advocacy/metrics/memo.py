"""The building blocks of the figures, computed once per database session.

The dashboard's weekly challenges each ask for the same blocks (who was in which team at
the week's end, shares and clicks per user in it); the leaderboards themselves are single
statements (``teams``, ``people``) and do not go through here. A session is one
request or one job; a flush, a commit or a rollback in it forgets them, so a figure is
never read from before a change made in the same session through the ORM. (The summaries'
SQL upserts fire no flush: their callers commit before reading figures.) The results are
shared: callers must not change them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from typing import ParamSpec, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session

P = ParamSpec("P")
T = TypeVar("T")
KEY = "advocacy.metrics.memo"


def per_session(compute: Callable[P, T]) -> Callable[P, T]:
    """Memoize ``compute(session, *hashable_args)`` in ``session.info``."""

    @functools.wraps(compute)
    def memoized(*args: P.args, **kwargs: P.kwargs) -> T:
        session = args[0]
        assert isinstance(session, Session) and not kwargs
        key: Hashable = (compute.__qualname__, *args[1:])
        found = session.info.setdefault(KEY, {})
        if key not in found:
            found[key] = compute(*args, **kwargs)
        return found[key]  # type: ignore[no-any-return]

    return memoized


def _forget(session: Session, *_args: object) -> None:
    session.info.pop(KEY, None)


for _event in ("after_flush", "after_commit", "after_rollback", "after_soft_rollback"):
    event.listen(Session, _event, _forget)
