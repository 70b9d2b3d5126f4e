"""``flask --app advocacy ...`` commands: database, users, tokens, demo."""

from __future__ import annotations

from datetime import datetime

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from . import accounts, migrate
from .db import db
from .demo import DEMO_PASSWORD, DEMO_USERS, seed_demo
from .errors import DomainError
from .jobs import consumer_name
from .models import User
from .models.accounts import user_by_email
from .redis_client import get_redis
from .tracking.aggregate import aggregate_pending_clicks
from .tracking.rebuild import rebuild_rollups

db_cli = AppGroup("db", help="Database schema.")
users_cli = AppGroup("users", help="User accounts.")
tokens_cli = AppGroup("tokens", help="API tokens.")
clicks_cli = AppGroup("clicks", help="Click counting.")


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Bring the database to the current schema."""
    migrate.upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo("database is at revision " + revision, err=True)


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, help="employee, manager, leader or admin")
@click.option("--team", "team_name", help="team name; created if missing")
@click.option("--password", help="omit to create an account that signs in with tokens only")
def users_create(
    email: str, name: str, role: str, team_name: str | None, password: str | None
) -> None:
    """Create a user (and the team, if it does not exist yet)."""
    session = db.session
    try:
        team = accounts.ensure_team(session, None, team_name) if team_name else None
        user = accounts.create_user(
            session, None, email=email, name=name, role=role, team=team, password=password
        )
    except DomainError as exc:
        session.rollback()
        raise click.ClickException(exc.message) from exc
    session.commit()
    click.echo(f"created user {user.id} {user.email} ({user.role})", err=True)


@tokens_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", default="command line")
def tokens_create(email: str, name: str) -> None:
    """Print a new API token for a user on stdout (and nothing else)."""
    session = db.session
    user = user_by_email(session, email)
    if user is None:
        raise click.ClickException(f"There is no user with the email {email}.")
    token = accounts.create_token(session, None, user, name)
    session.commit()
    click.echo(token)


@clicks_cli.command("aggregate")
def clicks_aggregate() -> None:
    """Count every pending click now; print how many, human and bot."""
    totals = aggregate_pending_clicks(db.session, get_redis(), consumer_name())
    click.echo(
        f"counted {totals.counted} clicks: {totals.humans} human, {totals.bots} bot"
        f" ({totals.duplicates} already counted, {totals.unknown} unknown links)"
    )


@clicks_cli.command("rebuild")
@click.option(
    "--from",
    "since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="first UTC day to rebuild (default: all time)",
)
def clicks_rebuild(since: datetime | None) -> None:
    """Recompute the rollups from the raw click log, with today's bot rules."""
    replayed = rebuild_rollups(db.session, since.date() if since else None)
    click.echo(f"rebuilt the rollups from {replayed} raw clicks")


@click.command("demo")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="only when the database has no user yet")
def demo(if_empty: bool) -> None:
    """Seed the demo organisation (safe to run again)."""
    if if_empty and db.session.scalar(select(User.id).limit(1)) is not None:
        click.echo("users exist already; demo organisation not seeded", err=True)
        return
    added = seed_demo(db.session)
    click.echo(f"demo organisation ready ({added} rows added)", err=True)
    for user in DEMO_USERS:
        click.echo(f"  {user.role:<9} {user.email}  password: {DEMO_PASSWORD}", err=True)


def init_app(app: Flask) -> None:
    for command in (db_cli, users_cli, tokens_cli, clicks_cli, demo):
        app.cli.add_command(command)
