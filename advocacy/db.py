"""Engine and session, shared by the web app, the CLI and the worker.

Each app keeps its own engine (several apps can live in one process, as in tests). A
request, command or job gets one session, opened lazily and closed at teardown. Domain
code receives that session as an argument and never looks it up itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker


@dataclass(frozen=True)
class _Bound:
    engine: Engine
    factory: sessionmaker[Session]


class Database:
    def init_app(self, app: Flask) -> None:
        engine = make_engine(app.config["DATABASE_URL"])
        app.extensions["database"] = _Bound(engine, sessionmaker(engine, expire_on_commit=False))
        app.teardown_appcontext(self._close)

    @property
    def _bound(self) -> _Bound:
        return current_app.extensions["database"]

    @property
    def engine(self) -> Engine:
        """The current app's engine."""
        return self._bound.engine

    @property
    def session(self) -> Session:
        """The session of the current app context (a request, a CLI command or a job)."""
        if "db_session" not in g:
            g.db_session = self._bound.factory()
        return g.db_session

    def new_session(self) -> Session:
        return self._bound.factory()

    def _close(self, _exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()


def make_engine(url: str) -> Engine:
    options: dict[str, Any] = {}
    if url.startswith("sqlite"):
        options["connect_args"] = {"check_same_thread": False, "timeout": 30}
    else:
        options["pool_pre_ping"] = True
    engine = create_engine(url, **options)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


db = Database()
