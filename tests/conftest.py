"""Real parts for every test: a Redis server, a migrated database, the app, a client.

By default the suite starts its own Redis (the embedded one) and uses a SQLite file.
With ``REDIS_URL`` and ``DATABASE_URL`` set (CI's second pass), it uses those servers.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis
from sqlalchemy import text
from werkzeug.security import generate_password_hash

from advocacy import create_app
from advocacy.config import Settings
from advocacy.db import db
from advocacy.embedded_redis import EmbeddedRedis
from advocacy.migrate import upgrade
from advocacy.models import Base, Membership, Post, PostStatus, Role, Team, User, utcnow

PASSWORD = "correct-horse-battery"
_PASSWORD_HASH = generate_password_hash(PASSWORD)  # hashed once: scrypt is slow on purpose


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if os.environ.get("REDIS_URL"):
        yield os.environ["REDIS_URL"]
        return
    server = EmbeddedRedis(tmp_path_factory.mktemp("redis"), persist=False, echo=False).start()
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("DATABASE_URL") or (
        f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    )
    url = Settings.from_env({"DATABASE_URL": url, "SECRET_KEY": "x"}).database_url
    upgrade(url)
    return url


@pytest.fixture
def settings(tmp_path: Path, redis_url: str, database_url: str) -> Settings:
    return Settings.from_env(
        {
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "SECRET_KEY": "test-secret-key",
            "SHORT_LINK_BASE_URL": "http://go.test",
            "LOGIN_RATE_LIMIT": "5 per minute",
        }
    )


@pytest.fixture
def app(settings: Settings) -> Iterator[Flask]:
    app = create_app(settings, TESTING=True)
    app.extensions["redis"].flushdb()
    yield app
    _empty_database(app)
    app.extensions["redis"].flushdb()
    app.extensions["redis"].close()
    app.extensions["database"].engine.dispose()


def _empty_database(app: Flask) -> None:
    with app.app_context():
        session = db.new_session()
        for table in reversed(Base.metadata.sorted_tables):
            session.execute(table.delete())
        if session.bind is not None and session.bind.dialect.name == "postgresql":
            for table in Base.metadata.sorted_tables:
                session.execute(text(f"ALTER SEQUENCE IF EXISTS {table.name}_id_seq RESTART"))
        session.commit()
        session.close()


@pytest.fixture
def allow_private_feeds(app: Flask) -> None:
    """Feeds on 127.0.0.1 (the tests' HTTP server) are allowed, as FEEDS_ALLOW_PRIVATE=1 does."""
    app.config["SETTINGS"] = dataclasses.replace(app.config["SETTINGS"], feeds_allow_private=True)


@pytest.fixture
def redis(app: Flask) -> Redis:
    return app.extensions["redis"]


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):  # type: ignore[no-untyped-def]
    return app.test_cli_runner()


@pytest.fixture
def session(app: Flask) -> Iterator:  # type: ignore[type-arg]
    with app.app_context():
        yield db.session


class Factory:
    """Rows with sensible defaults, committed, for the test's database."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.count = 0

    def team(self, name: str | None = None) -> Team:
        from advocacy import accounts

        self.count += 1
        with self.app.app_context():
            team = accounts.create_team(db.session, None, name or f"Team {self.count}")
            db.session.commit()
            return team

    def user(
        self, role: Role | str = Role.EMPLOYEE, team: Team | None = None, **fields: object
    ) -> User:
        self.count += 1
        with self.app.app_context():
            user = User(
                email=f"user{self.count}@example.test",
                name=f"User {self.count}",
                role=Role(role).value,
                password_hash=_PASSWORD_HASH,
                active=True,
            )
            for key, value in fields.items():
                setattr(user, key, value)
            db.session.add(user)
            db.session.flush()
            if team is not None:
                db.session.add(Membership(user_id=user.id, team_id=team.id))
            db.session.commit()
            return user

    def token(self, user: User) -> str:
        from advocacy import accounts

        with self.app.app_context():
            token = accounts.create_token(db.session, None, db.session.get(User, user.id))
            db.session.commit()
            return token


@pytest.fixture
def factory(app: Flask) -> Factory:
    return Factory(app)


_CSRF = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)


def csrf_from(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1) or match.group(2)


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD, **extra: str):  # type: ignore[no-untyped-def]
    page = client.get("/login")
    data = {"email": email, "password": password, "csrf_token": csrf_from(page.text), **extra}
    return client.post("/login", data=data)


@pytest.fixture
def sharer(factory) -> User:
    return factory.user(Role.EMPLOYEE, team=factory.team("Field Sales"))


@pytest.fixture
def approved_post(app):
    def make(url: str = "https://blog.example.com/launch?lang=en#intro", **fields) -> Post:
        with app.app_context():
            number = db.session.query(Post).count() + 1
            post = Post(
                url=url,
                canonical_url=f"{url}-{number}",
                title=fields.pop("title", "Big Launch!"),
                status=fields.pop("status", PostStatus.APPROVED.value),
                published_at=utcnow(),
                first_seen_at=utcnow(),
                updated_at=utcnow(),
                **fields,
            )
            db.session.add(post)
            db.session.commit()
            return post

    return make
