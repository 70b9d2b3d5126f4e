"""Engine and session, shared by the web app, the CLI and the worker.

A request (or a job) gets one session, opened lazily and closed at teardown. Domain
code receives that session as an argument and never looks it up itself.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker


class Database:
    def __init__(self) -> None:
        self.engine: Engine | None = None
        self._factory: sessionmaker[Session] | None = None

    def init_app(self, app: Flask) -> None:
        self.engine = make_engine(app.config["DATABASE_URL"])
        self._factory = sessionmaker(self.engine, expire_on_commit=False)
        app.extensions["database"] = self
        app.teardown_appcontext(self._close)

    @property
    def session(self) -> Session:
        """The session of the current app context (a request, a CLI command or a job)."""
        if "db_session" not in g:
            assert self._factory is not None, "Database.init_app was not called"
            g.db_session = self._factory()
        return g.db_session

    def new_session(self) -> Session:
        assert self._factory is not None, "Database.init_app was not called"
        return self._factory()

    def _close(self, _exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()


def make_engine(url: str) -> Engine:
    options: dict[str, Any] = {"future": True}
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
