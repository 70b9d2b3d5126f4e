"""Post analytics for managers, and "my impact" for everyone."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, current_app, render_template
from markupsafe import Markup

from .. import accounts
from ..auth import SIGNED_IN, acting_user, allow
from ..curation.queue import get_post
from ..db import db
from ..metrics import gamification
from ..metrics.charts import Series, line_chart_svg
from ..metrics.people import people_rows
from ..metrics.period import Period
from ..metrics.post_analytics import post_life
from ..metrics.report import points_rule
from ..models import Role
from ..tracking.links import links_of
from ..tracking.rollups import clicks_by_link

bp = Blueprint("analytics", __name__)


@bp.get("/posts/<int:post_id>/analytics")
@allow(Role.MANAGER)
def post(post_id: int) -> str:
    item = get_post(db.session, post_id)
    life = post_life(db.session, post_id)
    chart = Markup(
        line_chart_svg(
            [Series(item.title, life.per_day)] if life.per_day else [],
            title=f"Clicks per day: {item.title}",
            description="Human clicks per UTC day since the first share.",
        )
    )
    team_names = {t.id: t.name for t in accounts.list_teams(db.session)}
    return render_template(
        "analytics/post.html", post=item, life=life, chart=chart, team_names=team_names
    )


@bp.get("/me/impact")
@allow(SIGNED_IN)
def impact() -> str:
    user = acting_user()
    everything = Period(None, None)
    rule = points_rule(current_app.config["SETTINGS"])
    team = user.team
    team_rows = people_rows(db.session, everything, rule, team.id if team else None)
    mine = team_rows.of_user(user.id)
    links = links_of(db.session, user.id)
    clicks = clicks_by_link(db.session, [link.id for link in links])
    this_week = date.today() - timedelta(days=date.today().weekday())
    challenge = next(
        (
            c
            for c in gamification.challenges_of_week(db.session, this_week)
            if team and c.team_id == team.id
        ),
        None,
    )
    progress = gamification.challenge_progress(db.session, challenge) if challenge else None
    return render_template(
        "analytics/impact.html",
        mine=mine,
        team=team,
        team_size=len(team_rows),
        badges=gamification.badges_for(db.session, user.id),
        links=links,
        clicks=clicks,
        challenge=challenge,
        progress=progress,
        rule=rule,
    )
