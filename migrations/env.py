"""Alembic environment: the URL comes from the app's settings, the schema from the models."""

from __future__ import annotations

from alembic import context
from sqlalchemy import pool

from advocacy.config import Settings
from advocacy.db import make_engine
from advocacy.models import Base

config = context.config
url = config.get_main_option("sqlalchemy.url") or Settings.from_env().database_url


def run_offline() -> None:
    context.configure(url=url, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    engine = make_engine(url)
    engine.pool = pool.NullPool(engine.pool._creator)  # one short-lived connection
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
