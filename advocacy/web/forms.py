"""WTForms for the pages; labels go through Babel lazily."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    EmailField,
    FileField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..accounts import MIN_PASSWORD_LENGTH
from ..locale import LANGUAGES
from ..models import Role

ROLE_LABELS = {
    Role.EMPLOYEE.value: _l("Employee"),
    Role.MANAGER.value: _l("Comms manager"),
    Role.LEADER.value: _l("Leadership"),
    Role.ADMIN.value: _l("Administrator"),
}


def choices(pairs: Iterable[tuple[object, object]]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


ROLE_CHOICES = choices(ROLE_LABELS.items())


class SignInForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Remember me"))


class ProfileForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    hide_from_leaderboard = BooleanField(_l('Show me as "a colleague" on the people leaderboard'))
    locale = SelectField(
        _l("Language"),
        choices=choices([("", _l("As my browser says")), *LANGUAGES.items()]),
        validators=[Optional()],
    )


class PasswordChangeForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    new = PasswordField(
        _l("New password"), validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH)]
    )


class TokenForm(FlaskForm):
    name = StringField(_l("Token name"), validators=[Optional(), Length(max=80)])


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for buttons that change something."""


class UserCreateForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    team_id = SelectField(_l("Team"), coerce=int)
    password = PasswordField(
        _l("Password"), validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH)]
    )


class UserEditForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)


class MoveForm(FlaskForm):
    team_id = SelectField(_l("Move to team"), coerce=int)


class PasswordResetForm(FlaskForm):
    password = PasswordField(
        _l("New password"), validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH)]
    )


class TeamForm(FlaskForm):
    name = StringField(_l("Team name"), validators=[DataRequired(), Length(max=120)])


class FeedAddForm(FlaskForm):
    url = StringField(_l("Feed or site address"), validators=[DataRequired(), Length(max=2048)])
    title = StringField(_l("Title (optional)"), validators=[Optional(), Length(max=300)])
    team_ids = SelectMultipleField(_l("Default teams (none: all teams)"), coerce=int)


class FeedEditForm(FlaskForm):
    title = StringField(_l("Title"), validators=[Optional(), Length(max=300)])
    interval_minutes = IntegerField(
        _l("Check every (minutes)"), validators=[DataRequired(), NumberRange(min=5, max=1440)]
    )
    enabled = BooleanField(_l("Enabled"))
    team_ids = SelectMultipleField(_l("Default teams (none: all teams)"), coerce=int)


class OpmlForm(FlaskForm):
    file = FileField(_l("OPML file"), validators=[DataRequired()])


class PageUrlForm(FlaskForm):
    url = StringField(_l("Link to the page"), validators=[DataRequired(), Length(max=2048)])


class ManualPostForm(FlaskForm):
    url = StringField(_l("Link"), validators=[DataRequired(), Length(max=2048)])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=500)])
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=5000)])
    image_url = StringField(_l("Image address"), validators=[Optional(), Length(max=2048)])


class RejectForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=500)])


class PostEditForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=500)])
    linkedin = TextAreaField(_l("LinkedIn text"), validators=[Optional()])
    x = TextAreaField(_l("X text"), validators=[Optional()])
    facebook = TextAreaField(_l("Facebook text"), validators=[Optional()])
    email_subject = StringField(_l("Email subject"), validators=[Optional()])
    email_body = TextAreaField(_l("Email body"), validators=[Optional()])
    team_ids = SelectMultipleField(_l("Teams (none: all teams)"), coerce=int)
    publish_at = DateTimeLocalField(
        _l("Publish from (UTC)"), format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )
    expires_at = DateTimeLocalField(
        _l("Expire at (UTC)"), format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )
    pinned = BooleanField(_l("Pin to the top of the feed"))
