"""A benchmark's database: migrated, filled fast with the driver's bulk path, emptied after.

Millions of rows go in through ``executemany`` on SQLite and ``COPY`` on PostgreSQL, not the
ORM: the set-up is not what is measured, and it must not take longer than the measuring.
Values are written the way the models store them (UTCDateTime: naive UTC; on SQLite the
text form SQLAlchemy writes, ``YYYY-MM-DD HH:MM:SS.ffffff``), so the app reads them back
as it reads its own rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack
from datetime import date, datetime
from itertools import islice
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from advocacy import create_app
from advocacy.config import Settings
from advocacy.db import db
from advocacy.migrate import upgrade
from advocacy.models import (
    Base,
    Click,
    ClickBurst,
    ClickDailyVisitor,
    ClickRollup,
    NetworkClickDay,
    Post,
    PostClickDay,
    PostClickTotal,
    ShareLink,
    Team,
    User,
    UserClickDay,
    UserClickTotal,
)
from bench.rig import BenchError

CHUNK = 20_000
SERIAL_TABLES = ("teams", "users", "memberships", "posts", "share_links")
FILLED = (Team, User, Post, ShareLink, Click, ClickRollup)
CLICK_TABLES = (
    Click,
    ClickRollup,
    ClickDailyVisitor,
    ClickBurst,
    UserClickDay,
    UserClickTotal,
    PostClickDay,
    PostClickTotal,
    NetworkClickDay,
)


def dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def refuse_a_database_in_use(session: Session) -> None:
    """A database given by DATABASE_URL must hold none of what the benchmarks write."""
    in_use = [
        m.__tablename__ for m in FILLED if session.scalar(select(func.count()).select_from(m))
    ]
    session.rollback()
    if in_use:
        raise BenchError(f"DATABASE_URL has rows in {in_use}: point it at an empty database")


def empty_tables(session: Session, models: Iterable[type[Base]] | None = None) -> None:
    """Every app table (or ``models``) emptied; on PostgreSQL their sequences restart."""
    session.rollback()
    tables = [m.__table__ for m in models] if models else list(Base.metadata.sorted_tables)
    if dialect(session) == "postgresql":
        names = ", ".join(t.name for t in tables)
        session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in reversed(tables):
            session.execute(table.delete())
    session.commit()


def settle(session: Session) -> None:
    """After a bulk load: PostgreSQL's planner statistics and visibility map (what
    autovacuum would soon do in production; index-only scans need the map); SQLite's
    write-ahead log folded back into the database file."""
    session.commit()
    if dialect(session) == "postgresql":
        with session.get_bind().connect() as connection:
            vacuum = connection.execution_options(isolation_level="AUTOCOMMIT")
            names = ", ".join(t.name for t in Base.metadata.sorted_tables)
            vacuum.execute(text(f"VACUUM ANALYZE {names}"))  # not the shared catalogs
    else:
        session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        session.commit()


def bulk_insert(
    session: Session, table: str, columns: Sequence[str], rows: Iterable[Sequence[object]]
) -> int:
    """Insert ``rows`` (tuples in ``columns`` order) in the session's transaction; count them."""
    raw = session.connection().connection.driver_connection
    names = ", ".join(columns)
    count = 0
    if dialect(session) == "postgresql":
        with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})"
    cursor = raw.cursor()
    for chunk in _chunks(map(_sqlite_row, rows)):
        cursor.executemany(sql, chunk)
        count += len(chunk)
    cursor.close()
    return count


def _sqlite_row(row: Sequence[object]) -> tuple[object, ...]:
    return tuple(
        v.isoformat(" ", "microseconds")
        if v.__class__ is datetime
        else v.isoformat()
        if v.__class__ is date
        else v
        for v in row
    )


def _chunks(rows: Iterable[tuple[object, ...]]) -> Iterator[list[tuple[object, ...]]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, CHUNK)):
        yield chunk


def restart_sequences(session: Session) -> None:
    """After rows inserted with explicit ids, PostgreSQL's sequences start past them."""
    if dialect(session) != "postgresql":
        return
    for table in SERIAL_TABLES:
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
            )
        )


def hour_sql(session: Session, column: str) -> str:
    """SQL (for ``text()``) for ``column``, a UTCDateTime, truncated to its hour, stored form."""
    if dialect(session) == "postgresql":
        return f"date_trunc('hour', {column})"
    return f"substr({column}, 1, 13) || '\\:00\\:00.000000'"  # colons escaped for text()


def minute_sql(session: Session, column: str) -> str:
    if dialect(session) == "postgresql":
        return f"date_trunc('minute', {column})"
    return f"substr({column}, 1, 16) || '\\:00.000000'"


def day_sql(session: Session, column: str) -> str:
    if dialect(session) == "postgresql":
        return f"CAST({column} AS date)"
    return f"substr({column}, 1, 10)"


def bench_app(
    stack: ExitStack, tmp: Path, database_url: str | None, redis_url: str
) -> tuple[Flask, Settings, dict[str, str]]:
    """The app a benchmark measures, with its environment: a SQLite file in ``tmp`` or the
    given PostgreSQL database (which must be empty, and is emptied when ``stack`` closes),
    migrated; its app context pushed until then."""
    env = {
        "INSTANCE_PATH": str(tmp / "instance"),
        "DATABASE_URL": database_url or sqlite_url(tmp),
        "REDIS_URL": redis_url,
        "SECRET_KEY": "benchmark",
        "LOG_LEVEL": "WARNING",
    }
    settings = Settings.from_env(env)
    upgrade(settings.database_url)
    app = create_app(settings)
    stack.enter_context(app.app_context())
    stack.callback(lambda: db.engine.dispose())
    if database_url:
        refuse_a_database_in_use(db.session)
        stack.callback(lambda: empty_tables(db.session))
    return app, settings, env


def database_name(url: str) -> str:
    return url.split(":", 1)[0].split("+", 1)[0]


def sqlite_url(directory: Path) -> str:
    return f"sqlite:///{directory / 'bench.db'}"
