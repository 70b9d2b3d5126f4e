"""Turning newly stored clicks into rollups: bursts, unique visitors, hourly counts.

The rules (DESIGN.md): a visitor's first human click of the UTC day on a link is its
unique click; past the tenth human-looking click from one visitor on one link in one
UTC minute, clicks are a burst and count as bots. Both rules are kept in small tables so
that any batch, in any order, updates the rollups to what a replay of the whole log in
time order gives: a late click with an earlier time moves the unique click to its hour.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select, text, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..models import Click, ClickBurst, ClickDailyVisitor, ClickRollup
from .bots import BURST

BURST_LIMIT = 10
ADVISORY_LOCK = 7_345_112  # any constant shared by every writer of the rollups
CHUNK = 2000


@dataclass(frozen=True, slots=True)
class StoredClick:
    id: int
    link_id: int
    at: datetime
    visitor: str
    bot_reason: str | None  # from the user agent; None: looks like a person


@dataclass(frozen=True, slots=True)
class Applied:
    humans: int
    bots: int


def dialect_insert(session: Session, table: object):  # type: ignore[no-untyped-def]
    """INSERT with ON CONFLICT, for whichever database this session talks to."""
    name = session.get_bind().dialect.name
    return (postgresql.insert if name == "postgresql" else sqlite.insert)(table)


def serialize_writes(session: Session) -> None:
    """One rollup writer at a time: PostgreSQL takes an advisory lock until commit;
    SQLite already lets a single writer hold the database."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK})


def hour_of(at: datetime) -> datetime:
    return at.replace(minute=0, second=0, microsecond=0)


def minute_of(at: datetime) -> datetime:
    return at.replace(second=0, microsecond=0)


def _chunks(items: Sequence, size: int = CHUNK) -> Iterable[Sequence]:  # type: ignore[type-arg]
    for start in range(0, len(items), size):
        yield items[start : start + size]


def apply_clicks(session: Session, clicks: Sequence[StoredClick]) -> Applied:
    """Add ``clicks`` (just inserted into the raw log) to bursts, uniques and rollups."""
    bursts = _label_bursts(session, [c for c in clicks if c.bot_reason is None])
    if bursts:
        for chunk in _chunks(sorted(bursts)):
            session.execute(
                update(Click).where(Click.id.in_(chunk)).values(human=False, reason=BURST)
            )
    humans = [c for c in clicks if c.bot_reason is None and c.id not in bursts]
    deltas: dict[tuple[int, datetime], list[int]] = defaultdict(lambda: [0, 0, 0])
    for click in clicks:
        is_human = click.bot_reason is None and click.id not in bursts
        deltas[(click.link_id, hour_of(click.at))][0 if is_human else 2] += 1
    for (link_id, hour), change in _unique_changes(session, humans).items():
        deltas[(link_id, hour)][1] += change
    _add_to_rollups(session, deltas)
    return Applied(humans=len(humans), bots=len(clicks) - len(humans))


def _label_bursts(session: Session, candidates: Sequence[StoredClick]) -> set[int]:
    """Ids of the clicks past the tenth from one visitor on one link in one minute."""
    groups: dict[tuple[int, str, datetime], list[StoredClick]] = defaultdict(list)
    for click in candidates:
        groups[(click.link_id, click.visitor, minute_of(click.at))].append(click)
    if not groups:
        return set()
    seen: Counter[tuple[int, str, datetime]] = Counter()
    keys = list(groups)
    for chunk in _chunks(keys):
        rows = session.execute(
            select(
                ClickBurst.link_id, ClickBurst.visitor, ClickBurst.minute, ClickBurst.count
            ).where(tuple_(ClickBurst.link_id, ClickBurst.visitor, ClickBurst.minute).in_(chunk))
        )
        for link_id, visitor, minute, count in rows:
            seen[(link_id, visitor, minute)] = count
    burst: set[int] = set()
    for key, group in groups.items():
        group.sort(key=lambda c: (c.at, c.id))
        for position, click in enumerate(group, start=seen[key] + 1):
            if position > BURST_LIMIT:
                burst.add(click.id)
    rows = [
        {"link_id": k[0], "visitor": k[1], "minute": k[2], "count": len(g)}
        for k, g in groups.items()
    ]
    for chunk in _chunks(rows):
        insert = dialect_insert(session, ClickBurst).values(list(chunk))
        session.execute(
            insert.on_conflict_do_update(
                index_elements=["link_id", "visitor", "minute"],
                set_={"count": ClickBurst.count + insert.excluded.count},
            )
        )
    return burst


def _unique_changes(
    session: Session, humans: Sequence[StoredClick]
) -> dict[tuple[int, datetime], int]:
    """Where unique clicks appear (+1) or move away from (-1), per (link, hour)."""
    firsts: dict[tuple[int, date, str], datetime] = {}
    for click in humans:
        key = (click.link_id, click.at.date(), click.visitor)
        if key not in firsts or click.at < firsts[key]:
            firsts[key] = click.at
    if not firsts:
        return {}
    known: dict[tuple[int, date, str], datetime] = {}
    keys = list(firsts)
    for chunk in _chunks(keys):
        rows = session.execute(
            select(
                ClickDailyVisitor.link_id,
                ClickDailyVisitor.day,
                ClickDailyVisitor.visitor,
                ClickDailyVisitor.first_at,
            ).where(
                tuple_(
                    ClickDailyVisitor.link_id, ClickDailyVisitor.day, ClickDailyVisitor.visitor
                ).in_(chunk)
            )
        )
        for link_id, day, visitor, first_at in rows:
            known[(link_id, day, visitor)] = first_at
    changes: Counter[tuple[int, datetime]] = Counter()
    new_rows, moved = [], []
    for key, first in firsts.items():
        before = known.get(key)
        if before is None:
            new_rows.append(
                {"link_id": key[0], "day": key[1], "visitor": key[2], "first_at": first}
            )
            changes[(key[0], hour_of(first))] += 1
        elif first < before:
            moved.append((key, first))
            changes[(key[0], hour_of(before))] -= 1
            changes[(key[0], hour_of(first))] += 1
    for chunk in _chunks(new_rows):
        session.execute(dialect_insert(session, ClickDailyVisitor).values(list(chunk)))
    for (link_id, day, visitor), first in moved:
        session.execute(
            update(ClickDailyVisitor)
            .where(
                ClickDailyVisitor.link_id == link_id,
                ClickDailyVisitor.day == day,
                ClickDailyVisitor.visitor == visitor,
            )
            .values(first_at=first)
        )
    return {key: change for key, change in changes.items() if change}


def _add_to_rollups(session: Session, deltas: dict[tuple[int, datetime], list[int]]) -> None:
    rows = [
        {"link_id": link_id, "hour": hour, "clicks": c, "unique_clicks": u, "bot_clicks": b}
        for (link_id, hour), (c, u, b) in deltas.items()
    ]
    for chunk in _chunks(rows):
        insert = dialect_insert(session, ClickRollup).values(list(chunk))
        session.execute(
            insert.on_conflict_do_update(
                index_elements=["link_id", "hour"],
                set_={
                    "clicks": ClickRollup.clicks + insert.excluded.clicks,
                    "unique_clicks": ClickRollup.unique_clicks + insert.excluded.unique_clicks,
                    "bot_clicks": ClickRollup.bot_clicks + insert.excluded.bot_clicks,
                },
            )
        )


def clicks_by_link(session: Session, link_ids: Sequence[int]) -> dict[int, int]:
    """Human clicks so far on each link (from the rollups)."""
    found: dict[int, int] = {}
    for chunk in _chunks(list(link_ids)):
        rows = session.execute(
            select(ClickRollup.link_id, func.sum(ClickRollup.clicks))
            .where(ClickRollup.link_id.in_(chunk))
            .group_by(ClickRollup.link_id)
        )
        found.update((link_id, int(total or 0)) for link_id, total in rows)
    return found
