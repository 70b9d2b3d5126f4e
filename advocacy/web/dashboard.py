"""Leadership's dashboard: the leaderboards over a period, a chart, and CSV of every table."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from functools import partial
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy.orm import Session

from ..auth import acting_user, allow
from ..config import Settings
from ..db import db
from ..errors import DomainError
from ..metrics import gamification, report
from ..metrics.charts import Series, line_chart_and_table
from ..metrics.period import PRESETS, Period, period_from, preset
from ..metrics.read_ahead import read_ahead
from ..metrics.teams import daily_clicks_by_team
from ..models import Role, utcnow
from .downloads import attachment
from .forms import EmptyForm

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")
CHART_TEAMS = 5
TOP = 10


def chosen_period() -> tuple[Period, str]:
    """?period=7d|30d|quarter|all, or ?from=&to= (custom); default: the last 30 days."""
    if request.args.get("from") or request.args.get("to"):
        return period_from(request.args.get("from"), request.args.get("to")), "custom"
    name = request.args.get("period", "30d")
    return preset(name, utcnow()), name


def period_args() -> dict[str, str]:
    return {k: v for k, v in request.args.items() if k in ("period", "from", "to") and v}


def _chart(period: Period, teams: list[dict]) -> tuple[Markup, list[list[str]]]:  # type: ignore[type-arg]
    top = [t for t in sorted(teams, key=lambda t: -t["clicks"]) if t["clicks"]][:CHART_TEAMS]
    days = daily_clicks_by_team(db.session, period, [t["team_id"] for t in top])
    # the chart and its table give every day from the first to the last, 0 when missing
    series = [Series(t["team"], sorted(days[t["team_id"]].items())) for t in top]
    svg, table = line_chart_and_table(
        series,
        title=_("Human clicks per day, top teams"),
        description=_("One line per team; the table below gives the same figures."),
    )
    return Markup(svg), table


def _rows(
    table: str, period: Period, settings: Settings, limit: int | None, session: Session
) -> list[dict[str, Any]]:
    return list(report.rows(session, table, period, settings)[:limit])


@bp.get("/")
@allow(Role.LEADER, Role.MANAGER)
def index() -> str:
    period, name = chosen_period()
    settings = current_app.config["SETTINGS"]
    # people, posts and networks are read on their own connections meanwhile
    shown = {"people": TOP, "posts": TOP, "networks": None}
    ahead = {
        table: read_ahead(db.new_session(), partial(_rows, table, period, settings, limit))
        for table, limit in shown.items()
    }
    tables = {"teams": _rows("teams", period, settings, None, db.session)}
    chart, chart_rows = _chart(period, tables["teams"])
    this_week = date.today() - timedelta(days=date.today().weekday())
    challenges = [
        (c, gamification.challenge_progress(db.session, c))
        for c in gamification.challenges_of_week(db.session, this_week)
    ]
    # give the request's connection back before waiting: the reads ahead may need one from
    # the same pool, which concurrent requests would otherwise hold while they wait too
    db.session.commit()
    tables.update((table, future.result()) for table, future in ahead.items())
    return render_template(
        "dashboard/index.html",
        tables=tables,
        columns=report.COLUMNS,
        period=period,
        period_name=name,
        presets=PRESETS,
        args=period_args(),
        chart=chart,
        chart_rows=chart_rows,
        top=TOP,
        min_shares=settings.leaderboard_min_shares,
        challenges=challenges,
        team_choices=sorted(
            ((t["team"], t["team_id"]) for t in tables["teams"]), key=lambda c: c[0].lower()
        ),
        week=this_week,
        button_form=EmptyForm(formdata=None),
    )


@bp.get("/<table>.csv")
@allow(Role.LEADER, Role.MANAGER)
def export(table: str) -> Response:
    if table not in report.TABLES:
        abort(404)
    period, _name = chosen_period()
    rows = report.rows(db.session, table, period, current_app.config["SETTINGS"])
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(report.COLUMNS[table])
    for row in rows:
        writer.writerow(["" if row[c] is None else row[c] for c in report.COLUMNS[table]])
    return attachment(out.getvalue(), "text/csv", f"{table}.csv")


@bp.post("/challenges")
@allow(Role.MANAGER)
def set_challenge() -> Response:
    try:
        week = date.fromisoformat(request.form.get("week", ""))
        gamification.set_challenge(
            db.session,
            acting_user(),
            int(request.form.get("team_id", "0")),
            week,
            request.form.get("metric", ""),
            int(request.form.get("goal", "0") or 0),
        )
    except ValueError:
        flash(_("Choose a team, a week, what to count and a goal."), "error")
        return redirect(url_for("dashboard.index"))
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("dashboard.index"))
    db.session.commit()
    flash(_("The challenge is set."), "info")
    return redirect(url_for("dashboard.index"))
