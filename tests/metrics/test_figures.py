"""Every metric against hand-computed figures (DESIGN.md's definitions)."""

from __future__ import annotations

from datetime import UTC, datetime

from advocacy.db import db
from advocacy.metrics.people import PointsRule, people_rows
from advocacy.metrics.period import Period
from advocacy.metrics.posts import half_life_hours, network_rows, post_rows
from advocacy.metrics.teams import TeamRow, rank_teams, team_rows
from advocacy.models import User
from tests.metrics.conftest import at

WEEK1 = Period(at(1), at(8))  # 1 to 7 October; the 8th is outside (to is exclusive)
WEEK2 = Period(at(8), at(15))


def by_team(rows):
    return {r.team: r for r in rows}


def test_team_figures_for_the_first_week(app, org):
    with app.app_context():
        rows = team_rows(db.session, WEEK1, min_shares=5)
    teams = by_team(rows)
    alpha, bravo = teams["Alpha"], teams["Bravo"]
    # Max moved to Bravo on the 5th: at the end of the week he is Bravo's, with his share.
    assert (alpha.members, alpha.shares, alpha.active_sharers) == (3, 5, 2)
    assert (alpha.clicks, alpha.unique_clicks, alpha.bot_clicks) == (15, 13, 4)
    assert (bravo.members, bravo.shares, bravo.active_sharers) == (3, 5, 2)
    assert (bravo.clicks, bravo.unique_clicks, bravo.bot_clicks) == (24, 16, 2)
    assert alpha.participation_rate == bravo.participation_rate == 2 / 3
    assert (alpha.engagement_rate, bravo.engagement_rate) == (3.0, 4.8)
    assert (teams["Charlie"].members, teams["Charlie"].shares) == (2, 0)
    assert (teams["Delta"].members, teams["Delta"].participation_rate) == (0, 0.0)
    assert teams["Echo"].engagement_rate == 50.0  # high, but only one share
    assert [(r.team, r.rank) for r in rows] == [
        ("Bravo", 1),
        ("Alpha", 2),
        ("Echo", None),
        ("Charlie", None),
        ("Delta", None),
    ]
    assert teams["Echo"].unranked_reason == "fewer than 5 shares in the period"


def test_the_second_week_and_midnight_boundaries(app, org):
    with app.app_context():
        teams = by_team(team_rows(db.session, WEEK2, min_shares=1))
    assert (teams["Alpha"].shares, teams["Alpha"].clicks) == (0, 4)  # 8 Oct 00:00 is in week 2
    assert (teams["Bravo"].shares, teams["Bravo"].clicks, teams["Bravo"].rank) == (1, 0, 1)
    assert teams["Alpha"].rank is None


def test_members_are_counted_as_they_were_at_the_end_of_the_period(app, org):
    with app.app_context():
        before_move = by_team(team_rows(db.session, Period(at(1), at(4)), min_shares=5))
    assert (before_move["Alpha"].members, before_move["Bravo"].members) == (4, 2)
    assert before_move["Alpha"].shares == 6  # Ann 3, Abe 2, Max 1: Max was Alpha's then


def test_deactivated_users_and_users_created_later_are_not_members(app, org):
    """At the end of a period, a member is in the team, not deactivated, and created."""
    with app.app_context():
        s = db.session
        abe = s.get(User, org["users"]["Abe"])
        abe.active, abe.deactivated_at = False, at(6)
        s.get(User, org["users"]["Cy"]).created_at = at(10)  # after week 1, joined before
        s.commit()
        week1 = by_team(team_rows(s, WEEK1, min_shares=5))
        before = by_team(team_rows(s, Period(at(1), at(4)), min_shares=5))
        all_time = by_team(team_rows(s, Period(None, None), min_shares=5))
        people = people_rows(s, WEEK1, PointsRule())
        names = {p.name for p in people}
        count = len(people)
    # Week 1 ends on the 8th: Abe (deactivated on the 6th) and Cy (created on the 10th) are out
    assert (week1["Alpha"].members, week1["Alpha"].shares, week1["Alpha"].clicks) == (2, 3, 10)
    assert week1["Charlie"].members == 1
    assert "Abe" not in names and "Cy" not in names and "Ann" in names
    assert count == len(names) == 7  # the nine users in a team, less Abe and Cy
    # On the 4th Abe was a member still, with his two shares
    assert (before["Alpha"].members, before["Alpha"].shares) == (4, 6)
    # Now: Abe is inactive; Cy exists
    assert (all_time["Alpha"].members, all_time["Alpha"].clicks) == (2, 14)
    assert all_time["Charlie"].members == 2


def test_all_time(app, org):
    with app.app_context():
        teams = by_team(team_rows(db.session, Period(None, None), min_shares=5))
    assert (teams["Alpha"].clicks, teams["Bravo"].shares, teams["Bravo"].clicks) == (19, 6, 24)


def test_ties_break_by_clicks_then_by_name():
    def row(name: str, clicks: int, shares: int) -> TeamRow:
        return TeamRow(0, name, 1, shares, 1, clicks, 0, 0, 1.0, clicks / shares, None, None)

    ranked = rank_teams([row("Zed", 10, 5), row("Amy", 10, 5), row("Big", 20, 10)], 5)
    assert [(r.team, r.rank) for r in ranked] == [("Big", 1), ("Amy", 2), ("Zed", 3)]


def test_people_ranked_by_points_and_hidden_names(app, org):
    from advocacy.models import User

    with app.app_context():
        db.session.get(User, org["users"]["Bob"]).hide_from_leaderboard = True
        db.session.commit()
        rows = people_rows(db.session, WEEK1, PointsRule())
    ranked = [(r.name, r.shares, r.clicks, r.points, r.rank) for r in rows]
    assert ranked[:5] == [
        ("Eve", 1, 50, 55, 1),
        ("a colleague", 4, 18, 38, 2),
        ("Ann", 3, 10, 25, 3),
        ("Abe", 2, 5, 15, 4),
        ("Max", 1, 6, 11, 5),
    ]
    assert [r.rank for r in rows] == list(range(1, len(rows) + 1))
    assert {r.name for r in rows[5:]} == {"Ada", "Bea", "Cat", "Cy"}
    assert all(r.points == 0 for r in rows[5:])


def test_a_slice_of_the_ranked_people_reads_the_same_rows_as_the_whole_list(app, org):
    with app.app_context():
        rows = people_rows(db.session, WEEK1, PointsRule())
        whole = list(rows)
        assert len(whole) == len(rows) == 9
        for cut in (slice(0, 3), slice(2, 5), slice(7, None), slice(-3, None), slice(None, -7),
                    slice(1, 8, 2), slice(20, 30), slice(None), slice(None, None, -1),
                    slice(None, -3, -1), slice(5, 2, -1), slice(7, 0, -3), slice(2, 5, -1),
                    slice(-20, 3)):  # fmt: skip
            assert rows[cut] == whole[cut], cut
        assert rows[0] == whole[0] and rows[-1] == whole[-1]
        assert list(reversed(rows)) == whole[::-1]


def test_bot_clicks_never_earn_points(app, org):
    with app.app_context():
        rows = {r.user_id: r for r in people_rows(db.session, WEEK1, PointsRule(5, 1))}
    ann = rows[org["users"]["Ann"]]
    assert ann.points == 5 * 3 + 10  # her 3 bot clicks are worth nothing


def test_posts_with_half_life_and_networks(app, org):
    with app.app_context():
        posts = {r.title: r for r in post_rows(db.session, WEEK1)}
        networks = {r.network: r for r in network_rows(db.session, WEEK1)}
    p1 = posts["Post 1"]
    assert (p1.shares, p1.clicks, p1.unique_clicks, p1.bot_clicks) == (5, 33, 23, 6)
    # First share 2 Oct 09:30; half of 33 reached in the hour of 4 Oct 12:00 → 13:00.
    assert p1.half_life_hours == 51.5
    assert (posts["Post 2"].shares, posts["Post 2"].clicks, posts["Post 2"].half_life_hours) == (
        4,
        0,
        None,
    )
    assert next(iter(posts)) == "Post 4"  # most clicked first
    assert (networks["linkedin"].shares, networks["linkedin"].clicks) == (7, 89)
    assert (networks["x"].shares, networks["facebook"].shares, networks["email"].shares) == (
        3,
        1,
        0,
    )


def test_half_life_on_constructed_histories():
    first = datetime(2026, 1, 1, 8, 15, tzinfo=UTC)

    def hour(h: int) -> datetime:
        return datetime(2026, 1, 1, h, tzinfo=UTC)

    assert half_life_hours(first, []) is None
    assert half_life_hours(first, [(hour(8), 10)]) == 0.8  # within the first hour: 45 minutes
    assert half_life_hours(first, [(hour(9), 1), (hour(20), 1)]) == 1.8
    assert half_life_hours(first, [(hour(9), 1), (hour(10), 1), (hour(20), 2)]) == 2.8
    assert half_life_hours(first, [(hour(20), 3), (hour(9), 1)]) == 12.8  # order does not matter


def test_half_lives_from_the_database_follow_the_definition(app, org):
    """The window query of ``half_lives`` against ``half_life_hours`` on each post's hours."""
    from sqlalchemy import func, select

    from advocacy.metrics.base import in_period
    from advocacy.metrics.posts import half_lives
    from advocacy.models import ClickRollup, Post, ShareLink

    with app.app_context():
        session = db.session
        post_ids = list(session.scalars(select(Post.id)))
        whole_days = (WEEK1, WEEK2, Period(at(2), at(5)), Period(None, None))
        for period in (*whole_days, Period(at(2, 5), at(8, 3))):  # the last has partial days
            got = half_lives(session, period, post_ids)
            for post_id in post_ids:
                first_share = session.scalar(
                    select(func.min(ShareLink.created_at)).where(ShareLink.post_id == post_id)
                )
                hourly = session.execute(
                    select(ClickRollup.hour, func.sum(ClickRollup.clicks))
                    .join(ShareLink, ShareLink.id == ClickRollup.link_id)
                    .where(ShareLink.post_id == post_id, in_period(ClickRollup.hour, period))
                    .group_by(ClickRollup.hour)
                ).all()
                if first_share is None:
                    assert post_id not in got
                else:
                    assert got[post_id] == half_life_hours(first_share, list(hourly)), period
        assert any(value is not None for value in got.values())  # clicks were there to find
