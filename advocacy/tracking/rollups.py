"""Turning a batch of clicks into raw rows, bursts, unique visitors and hourly rollups.

The rules (DESIGN.md): a visitor's first human click of the UTC day on a link is its
unique click; past the tenth human-looking click from one visitor on one link in one
UTC minute, clicks are a burst and count as bots. Both rules are kept in small tables so
that any batch, in any order, updates the rollups to what a replay of the whole log in
time order gives: a late click with an earlier time moves the unique click to its hour.

A batch is set-based: its clicks go into a temporary table (``click_stage``) with their
time as integer milliseconds, minutes, hours and days, and every rule is one SQL
statement over it, so the cost per click is a few index probes, not Python per click.
The callers hold the write lock (``write_lock.serialize_writes``) and commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Integer,
    MetaData,
    String,
    Table,
    func,
    select,
    text,
)
from sqlalchemy.orm import Session

from ..models import ClickRollup
from ..models.base import UTCDateTime
from . import summaries
from .bots import BURST
from .dialect_sql import DialectSql
from .redirect import millis

BURST_LIMIT = 10
CHUNK = 2000
MS_PER_MINUTE, MS_PER_HOUR, MS_PER_DAY = 60_000, 3_600_000, 86_400_000

_temporary = MetaData()
STAGE = Table(
    "click_stage",
    _temporary,
    Column("seq", Integer, primary_key=True),  # arrival order: ties in time keep it
    Column("click_id", BigInteger),  # a replayed raw row (rebuild); None for a new click
    Column("event_id", String(40)),
    Column("code", String(16)),
    Column("link_id", Integer),
    Column("at_ms", BigInteger),
    Column("minute", BigInteger),
    Column("hour", BigInteger),
    Column("day", Integer),
    Column("visitor", String(64)),
    Column("human", Boolean),
    Column("reason", String(32)),
    Column("user_agent", String(512)),
    Column("referrer_host", String(255)),
    prefixes=["TEMPORARY"],
)
FIRSTS = Table(  # the batch's first human click per (link, day, visitor)
    "click_stage_firsts",
    _temporary,
    Column("link_id", Integer, primary_key=True),
    Column("day", Integer, primary_key=True),
    Column("visitor", String(64), primary_key=True),
    Column("first_ms", BigInteger),
    Column("first_hour", BigInteger),
    prefixes=["TEMPORARY"],
)
DELTAS = Table(  # what the batch adds to each (link, hour) rollup
    "click_stage_deltas",
    _temporary,
    Column("link_id", Integer),
    Column("hour", BigInteger),
    Column("clicks", Integer),
    Column("unique_clicks", Integer),
    Column("bot_clicks", Integer),
    prefixes=["TEMPORARY"],
)


@dataclass(frozen=True, slots=True)
class Applied:
    humans: int
    bots: int


StagedClick = tuple[object, ...]  # a row of click_stage, in STAGE's column order
EVENT_ID = list(STAGE.columns.keys()).index("event_id")  # its place in a StagedClick


def stage_row(
    seq: int,
    at_ms: int,
    visitor: str,
    reason: str | None,
    *,
    click_id: int | None = None,
    event_id: str | None = None,
    code: str | None = None,
    link_id: int | None = None,
    user_agent: str = "",
    referrer_host: str = "",
) -> StagedClick:
    """One row of ``click_stage``: the time cut into minute, hour and day numbers."""
    return (
        seq,
        click_id,
        event_id,
        code,
        link_id,
        at_ms,
        at_ms // MS_PER_MINUTE,
        at_ms // MS_PER_HOUR,
        at_ms // MS_PER_DAY,
        visitor,
        reason is None,
        reason,
        user_agent,
        referrer_host,
    )


def stage(session: Session, rows: Sequence[StagedClick]) -> None:
    """Empty the batch tables (created on first use per connection) and load ``rows``.

    The rows go straight to the driver (COPY on PostgreSQL, executemany on SQLite): this is
    the one step per click, and SQLAlchemy's per-parameter processing would cost more than
    the insert itself.
    """
    connection = session.connection()
    postgres = DialectSql.of(session).postgresql
    for table in (STAGE, FIRSTS, DELTAS):
        table.create(connection, checkfirst=True)
        session.execute(text(f"TRUNCATE {table.name}") if postgres else table.delete())
    if rows:
        names = ", ".join(column.name for column in STAGE.columns)
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            if postgres:  # COPY: several times faster than any INSERT
                with cursor.copy(f"COPY click_stage ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" * len(STAGE.columns))
                cursor.executemany(f"INSERT INTO click_stage ({names}) VALUES ({marks})", rows)
        finally:
            cursor.close()
    if postgres:
        session.execute(text("ANALYZE click_stage"))  # temporary tables are never auto-analyzed


def resolve_codes(session: Session) -> int:
    """Give staged clicks their link id from the code; drop unknown codes; return how many."""
    session.execute(
        text(
            "UPDATE click_stage SET link_id ="
            " (SELECT id FROM share_links WHERE share_links.code = click_stage.code)"
        )
    )
    return session.execute(text("DELETE FROM click_stage WHERE link_id IS NULL")).rowcount


def drop_known_events(session: Session) -> int:
    """Drop staged clicks whose stream entry is already in the raw log (a redelivery)."""
    return session.execute(
        text(
            "DELETE FROM click_stage WHERE EXISTS"
            " (SELECT 1 FROM clicks WHERE clicks.event_id = click_stage.event_id)"
        )
    ).rowcount


def roll_up(session: Session, *, replay: bool) -> Applied:
    """Apply the staged clicks: bursts, raw rows, unique visitors, hourly rollups and the
    summaries per user, post and network.

    New clicks (``replay=False``) are inserted into the raw log; replayed ones (rebuild)
    already are, and only get today's verdict written back.
    """
    sql = DialectSql.of(session)
    _label_bursts(session, sql)
    if replay:
        session.execute(
            text(
                "UPDATE clicks SET human = s.human, reason = s.reason"
                " FROM click_stage AS s WHERE clicks.id = s.click_id"
            )
        )
    else:
        session.execute(
            text(
                "INSERT INTO clicks"
                " (event_id, link_id, at, visitor, human, reason, user_agent, referrer_host)"
                f" SELECT event_id, link_id, {sql.timestamp('at_ms')}, visitor, human, reason,"
                " user_agent, referrer_host FROM click_stage ORDER BY seq"
            )
        )
    session.execute(
        text(
            "INSERT INTO click_stage_deltas (link_id, hour, clicks, unique_clicks, bot_clicks)"
            f" SELECT link_id, hour, {sql.count_if('human')}, 0, {sql.count_if('NOT human')}"
            " FROM click_stage GROUP BY link_id, hour"
        )
    )
    _count_uniques(session, sql)
    _add_to_rollups(session, sql)
    summaries.add_deltas(session, sql)
    humans, total = session.execute(
        text(f"SELECT {sql.count_if('human')}, COUNT(*) FROM click_stage")
    ).one()
    return Applied(humans=int(humans or 0), bots=int(total) - int(humans or 0))


def _label_bursts(session: Session, sql: DialectSql) -> None:
    """Past the tenth human-looking click of a visitor on a link in a minute (counting
    what earlier batches saw in ``click_bursts``), clicks are a burst."""
    minute = sql.timestamp(f"s.minute * {MS_PER_MINUTE}")
    session.execute(
        text(
            "UPDATE click_stage SET human = FALSE, reason = :burst WHERE seq IN ("
            " SELECT seq FROM ("
            "  SELECT s.seq, COALESCE(b.count, 0) + ROW_NUMBER() OVER ("
            "   PARTITION BY s.link_id, s.visitor, s.minute ORDER BY s.at_ms, s.seq) AS place"
            "  FROM click_stage AS s LEFT JOIN click_bursts AS b"
            f"   ON b.link_id = s.link_id AND b.visitor = s.visitor AND b.minute = {minute}"
            "  WHERE s.human"
            " ) AS ranked WHERE place > :limit)"
        ),
        {"burst": BURST, "limit": BURST_LIMIT},
    )
    session.execute(
        text(
            "INSERT INTO click_bursts (link_id, visitor, minute, count)"
            f" SELECT s.link_id, s.visitor, {minute}, COUNT(*) FROM click_stage AS s"
            " WHERE s.human OR s.reason = :burst GROUP BY s.link_id, s.visitor, s.minute"
            " ON CONFLICT (link_id, visitor, minute)"
            " DO UPDATE SET count = click_bursts.count + excluded.count"
        ),
        {"burst": BURST},
    )


def _count_uniques(session: Session, sql: DialectSql) -> None:
    """A unique click appears at the hour of each new (link, day, visitor), or moves to
    an earlier hour when a late click is earlier than the one known."""
    session.execute(
        text(
            "INSERT INTO click_stage_firsts (link_id, day, visitor, first_ms, first_hour)"
            " SELECT link_id, day, visitor, MIN(at_ms), MIN(hour) FROM click_stage"
            " WHERE human GROUP BY link_id, day, visitor"
        )
    )
    known = (
        "SELECT 1 FROM click_daily_visitors AS d WHERE d.link_id = f.link_id"
        f" AND d.day = {sql.date('f.day')} AND d.visitor = f.visitor"
    )
    session.execute(
        text(
            "INSERT INTO click_stage_deltas (link_id, hour, clicks, unique_clicks, bot_clicks)"
            f" SELECT f.link_id, f.first_hour, 0, 1, 0 FROM click_stage_firsts AS f"
            f" WHERE NOT EXISTS ({known})"
        )
    )
    _move_earlier_firsts(session, sql)
    session.execute(
        text(
            "INSERT INTO click_daily_visitors (link_id, day, visitor, first_at)"
            f" SELECT f.link_id, {sql.date('f.day')}, f.visitor, {sql.timestamp('f.first_ms')}"
            f" FROM click_stage_firsts AS f WHERE NOT EXISTS ({known})"
        )
    )


def _move_earlier_firsts(session: Session, sql: DialectSql) -> None:
    """Rare (a late click earlier than the known first): handled row by row."""
    earlier = session.execute(
        text(
            "SELECT f.link_id, f.visitor, f.first_ms, f.first_hour, d.day, d.first_at"
            " FROM click_stage_firsts AS f JOIN click_daily_visitors AS d"
            f" ON d.link_id = f.link_id AND d.day = {sql.date('f.day')}"
            f" AND d.visitor = f.visitor WHERE d.first_at > {sql.timestamp('f.first_ms')}"
        ).columns(first_at=UTCDateTime())
    ).all()
    if not earlier:
        return
    deltas = []
    for row in earlier:
        old_hour = millis(row.first_at) // MS_PER_HOUR
        deltas.append({"link_id": row.link_id, "hour": old_hour, "unique_clicks": -1})
        deltas.append({"link_id": row.link_id, "hour": row.first_hour, "unique_clicks": 1})
    session.execute(DELTAS.insert().values(clicks=0, bot_clicks=0), deltas)
    session.execute(
        text(
            f"UPDATE click_daily_visitors SET first_at = {sql.timestamp(':first_ms')}"
            " WHERE link_id = :link_id AND day = :day AND visitor = :visitor"
        ),
        [
            {"first_ms": r.first_ms, "link_id": r.link_id, "day": r.day, "visitor": r.visitor}
            for r in earlier
        ],
    )


def _add_to_rollups(session: Session, sql: DialectSql) -> None:
    session.execute(
        text(
            "INSERT INTO click_rollups (link_id, hour, clicks, unique_clicks, bot_clicks)"
            f" SELECT link_id, {sql.timestamp(f'hour * {MS_PER_HOUR}')}, SUM(clicks),"
            " SUM(unique_clicks), SUM(bot_clicks) FROM click_stage_deltas WHERE TRUE"
            " GROUP BY link_id, hour"
            " ON CONFLICT (link_id, hour) DO UPDATE SET"
            " clicks = click_rollups.clicks + excluded.clicks,"
            " unique_clicks = click_rollups.unique_clicks + excluded.unique_clicks,"
            " bot_clicks = click_rollups.bot_clicks + excluded.bot_clicks"
        )
    )


def _chunks(items: Sequence, size: int = CHUNK) -> Iterable[Sequence]:  # type: ignore[type-arg]
    for start in range(0, len(items), size):
        yield items[start : start + size]


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
