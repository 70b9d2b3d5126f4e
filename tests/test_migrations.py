"""The migrations build the schema the models describe, on SQLite and on PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from advocacy.db import make_engine
from advocacy.migrate import downgrade, upgrade
from advocacy.models import (
    Base,
    ClickRollup,
    NetworkClickDay,
    Post,
    PostClickTotal,
    PostStatus,
    Role,
    ShareLink,
    User,
    UserClickDay,
)


@pytest.fixture
def empty_database(database_url: str, tmp_path) -> Iterator[str]:
    """A brand-new database of the same kind as the suite's."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    name = f"advocacy_migrate_{uuid.uuid4().hex[:8]}"
    admin = create_engine(
        make_url(database_url).set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(database_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def test_upgrade_from_empty_matches_the_models(empty_database):
    upgrade(empty_database)
    engine = make_engine(empty_database)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
        tables = set(inspect(connection).get_table_names())
    engine.dispose()
    assert diff == []
    assert {t.name for t in Base.metadata.sorted_tables} <= tables


def test_downgrade_to_base_and_back(empty_database):
    upgrade(empty_database)
    downgrade(empty_database, "base")
    engine = make_engine(empty_database)
    with engine.connect() as connection:
        assert set(inspect(connection).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    upgrade(empty_database)


def test_the_summaries_migrations_sum_the_rollups_and_shares_already_there(empty_database):
    """0007 fills the new summary tables from the hourly rollups a database already has, and
    0009 counts its share links there."""
    upgrade(empty_database)
    engine = make_engine(empty_database)
    hour = datetime(2026, 10, 2, 22, tzinfo=UTC)
    with Session(engine) as session:
        user = User(email="a@x.test", name="A", role=Role.EMPLOYEE.value)
        post = Post(
            url="https://blog.example.com/a",
            canonical_url="https://blog.example.com/a",
            title="A",
            status=PostStatus.APPROVED.value,
            published_at=hour,
            first_seen_at=hour,
            updated_at=hour,
        )
        session.add_all([user, post])
        session.flush()
        links = [
            ShareLink(code=f"Migr{n}xyz", user_id=user.id, post_id=post.id, network=network,
                      target_url=post.url, created_at=hour)
            for n, network in enumerate(("linkedin", "x"))
        ]  # fmt: skip
        session.add_all(links)
        session.flush()
        for link, offset, clicks in ((links[0], 0, 5), (links[0], 3, 2), (links[1], 1, 7)):
            session.add(
                ClickRollup(
                    link_id=link.id,
                    hour=hour + timedelta(hours=offset),
                    clicks=clicks,
                    unique_clicks=clicks - 1,
                    bot_clicks=1,
                )
            )
        session.commit()
    downgrade(empty_database, "0006")
    upgrade(empty_database)
    with Session(engine) as session:
        days = session.execute(
            select(UserClickDay.day, UserClickDay.shares, UserClickDay.clicks)
        ).all()
        networks = session.execute(
            select(
                NetworkClickDay.network,
                NetworkClickDay.day,
                NetworkClickDay.shares,
                NetworkClickDay.clicks,
            )
        ).all()
        totals = session.execute(
            select(PostClickTotal.shares, PostClickTotal.clicks, PostClickTotal.bot_clicks)
        ).all()
    engine.dispose()
    assert sorted(days) == [(date(2026, 10, 2), 2, 12), (date(2026, 10, 3), 0, 2)]
    assert sorted(networks) == [
        ("linkedin", date(2026, 10, 2), 1, 5),
        ("linkedin", date(2026, 10, 3), 0, 2),
        ("x", date(2026, 10, 2), 1, 7),
    ]
    assert totals == [(2, 14, 3)]
