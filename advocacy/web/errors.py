"""One place that turns errors into responses: JSON under /api, a page elsewhere."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from ..auth import json_error, wants_json
from ..db import db
from ..errors import DomainError

_PAGE_MESSAGES = {
    400: _l("The request could not be understood."),
    403: _l("You do not have access to this page."),
    404: _l("This page does not exist."),
    405: _l("This page does not accept that kind of request."),
    410: _l("This content has been taken down."),
    429: _l("Too many attempts. Wait a minute and try again."),
    500: _l("Something went wrong on our side."),
}


def _http_error(exc: HTTPException) -> Response | tuple[str, int]:
    status = exc.code or 500
    if wants_json():
        code = (exc.name or "error").lower().replace(" ", "_")
        return json_error(status, code, exc.description or exc.name)
    message = str(_PAGE_MESSAGES.get(status, exc.name or _("Error")))
    return render_template("error.html", status=status, message=message), status


def _csrf_error(exc: CSRFError) -> Response | tuple[str, int]:
    if wants_json():
        return json_error(400, "csrf_failed", exc.description)
    message = _("Your form expired or was sent from elsewhere. Please try again.")
    return render_template("error.html", status=400, message=message), 400


def _domain_error(exc: DomainError) -> Response | tuple[str, int]:
    db.session.rollback()
    if wants_json():
        return json_error(exc.status, exc.code, exc.message)
    return render_template("error.html", status=exc.status, message=exc.message), exc.status


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(DomainError, _domain_error)
