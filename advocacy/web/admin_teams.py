"""Admin pages for teams: list with member counts, create, rename."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from .. import accounts
from ..auth import acting_user, allow
from ..db import db
from ..errors import DomainError
from ..models import Role
from .forms import TeamForm

bp = Blueprint("admin_teams", __name__, url_prefix="/admin/teams")


def _page(form: TeamForm, status: int = 200) -> tuple[str, int]:
    teams = accounts.list_teams(db.session)
    counts = accounts.member_counts(db.session)
    return render_template("admin/teams.html", teams=teams, counts=counts, form=form), status


@bp.get("/")
@allow(Role.ADMIN)
def index() -> tuple[str, int]:
    return _page(TeamForm(formdata=None))


@bp.post("/")
@allow(Role.ADMIN)
def create() -> Response | tuple[str, int]:
    form = TeamForm()
    if form.validate():
        try:
            accounts.create_team(db.session, acting_user(), form.name.data)
        except DomainError as exc:
            db.session.rollback()
            form.name.errors = [exc.message]
        else:
            db.session.commit()
            flash(_("Team %(name)s is created.", name=form.name.data), "info")
            return redirect(url_for("admin_teams.index"))
    return _page(form, 400)


@bp.post("/<int:team_id>")
@allow(Role.ADMIN)
def rename(team_id: int) -> Response | tuple[str, int]:
    team = accounts.get_team(db.session, team_id)
    form = TeamForm()
    if form.validate():
        try:
            accounts.rename_team(db.session, acting_user(), team, form.name.data)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
            return _page(TeamForm(formdata=None), 400)
        db.session.commit()
        flash(_("Saved."), "info")
        return redirect(url_for("admin_teams.index"))
    flash(_("A team name must not be empty."), "error")
    return _page(TeamForm(formdata=None), 400)
