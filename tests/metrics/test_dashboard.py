"""The dashboard, CSV, stats API and "my impact" show the same figures, to the right people."""

from __future__ import annotations

import csv
import io
import re

import pytest

from advocacy.models import Role
from tests.api.test_api_basics import bearer
from tests.conftest import csrf_from, sign_in

WEEK1 = {"from": "2026-10-01", "to": "2026-10-08"}


@pytest.fixture
def leader(app, factory):
    client = app.test_client()
    sign_in(client, factory.user(Role.LEADER).email)
    return client


def test_csv_page_and_api_agree_row_for_row(app, org, leader, factory):
    api_rows = leader.get("/api/v1/stats/teams", query_string=WEEK1).get_json()["items"]
    page = leader.get("/dashboard/", query_string=WEEK1).text
    exported = leader.get("/dashboard/teams.csv", query_string=WEEK1)
    assert exported.headers["Content-Disposition"] == 'attachment; filename="teams.csv"'
    table = list(csv.DictReader(io.StringIO(exported.text)))
    assert (
        [r["team"] for r in table]
        == [r["team"] for r in api_rows]
        == [
            "Bravo",
            "Alpha",
            "Echo",
            "Charlie",
            "Delta",
        ]
    )
    for row, api_row in zip(table, api_rows, strict=True):
        assert row["rank"] == ("" if api_row["rank"] is None else str(api_row["rank"]))
        assert int(row["clicks"]) == api_row["clicks"]
        assert float(row["engagement_rate"]) == api_row["engagement_rate"]
    assert api_rows[0] | {"engagement_rate": 4.8} == api_rows[0]
    for name in ("Bravo", "Alpha", "Echo"):
        assert f"<td>{name}</td>" in page
    assert page.index("<td>Bravo</td>") < page.index("<td>Alpha</td>")  # same order on the page
    for table_name in ("people", "posts", "networks"):
        api = leader.get(f"/api/v1/stats/{table_name}", query_string=WEEK1).get_json()["items"]
        exported = list(
            csv.DictReader(
                io.StringIO(leader.get(f"/dashboard/{table_name}.csv", query_string=WEEK1).text)
            )
        )
        assert len(exported) == len(api), table_name
        key = {"people": "user_id", "posts": "post_id", "networks": "network"}[table_name]
        assert [r[key] for r in exported] == [str(r[key]) for r in api]


def test_a_csv_export_reads_its_rows_in_a_few_statements(app, org, leader):
    """Not one query per row: the people and posts tables are read whole, once."""
    from sqlalchemy import event

    from advocacy.db import db

    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        for table_name in ("people", "posts"):
            statements.clear()
            exported = leader.get(f"/dashboard/{table_name}.csv", query_string=WEEK1).text
            rows = list(csv.DictReader(io.StringIO(exported)))
            assert len(rows) >= 4, table_name
            assert len(statements) <= 6, (table_name, len(statements))
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_the_period_changes_the_ranking(app, org, leader):
    week1 = leader.get("/api/v1/stats/teams", query_string=WEEK1).get_json()["items"]
    early = leader.get(
        "/api/v1/stats/teams", query_string={"from": "2026-10-01", "to": "2026-10-04"}
    )
    assert [r["team"] for r in week1 if r["rank"]] == ["Bravo", "Alpha"]
    assert [r["team"] for r in early.get_json()["items"] if r["rank"]] == ["Alpha"]
    bad = leader.get("/api/v1/stats/teams", query_string={"from": "2026-10-08", "to": "2026-10-01"})
    assert bad.status_code == 400
    assert leader.get("/api/v1/stats/teams?from=yesterday").status_code == 400


def test_datetimes_are_rounded_down_to_the_hour(app, org, leader):
    rows = leader.get(
        "/api/v1/stats/posts",
        query_string={"from": "2026-10-02T10:59:00Z", "to": "2026-10-02T11:30:00Z"},
    ).get_json()
    assert rows["from"] == "2026-10-02T10:00:00+00:00" and rows["to"] == "2026-10-02T11:00:00+00:00"
    assert {r["title"]: r["clicks"] for r in rows["items"]} == {"Post 1": 10, "Post 4": 50}


def test_an_employee_reads_only_their_own_row(app, org, factory):
    from advocacy.db import db
    from advocacy.models import User

    with app.app_context():
        ann = db.session.get(User, org["users"]["Ann"])
        token = factory.token(ann)
    client = app.test_client()
    rows = client.get("/api/v1/stats/people", query_string=WEEK1, headers=bearer(token)).get_json()
    assert [(r["name"], r["points"], r["rank"]) for r in rows["items"]] == [("Ann", 25, 3)]
    assert client.get("/api/v1/stats/teams", headers=bearer(token)).status_code == 403


def test_my_impact_shows_points_badges_and_rank_in_team(app, org, factory):
    from advocacy.db import db
    from advocacy.models import Membership, User

    with app.app_context():
        ann = db.session.get(User, org["users"]["Ann"])
        ann.password_hash = factory.user().password_hash  # a known password
        db.session.commit()
        email = ann.email
        assert db.session.query(Membership).filter_by(user_id=ann.id).count() == 1
    client = app.test_client()
    sign_in(client, email)
    page = client.get("/me/impact").text
    assert '<dd id="my-shares">3</dd>' in page and '<dd id="my-clicks">14</dd>' in page
    assert '<dd id="my-points">29</dd>' in page  # 3 shares x 5 + 14 clicks (all time)
    assert '<dd id="my-rank">1 / 3</dd>' in page  # first in Alpha
    assert "★ First share" in page and "☆ 10 shares" in page


def test_hiding_my_name_keeps_team_figures(app, org, factory):
    from advocacy.db import db
    from advocacy.models import User

    with app.app_context():
        bob = db.session.get(User, org["users"]["Bob"])
        bob.password_hash = factory.user().password_hash
        db.session.commit()
        email = bob.email
    client = app.test_client()
    sign_in(client, email)
    page = client.get("/account/")
    client.post(
        "/account/profile",
        data={
            "csrf_token": csrf_from(page.text),
            "name": "Bob",
            "locale": "",
            "hide_from_leaderboard": "y",
        },
    )
    leader = app.test_client()
    sign_in(leader, factory.user(Role.LEADER).email)
    people = leader.get("/api/v1/stats/people", query_string=WEEK1).get_json()["items"]
    assert "Bob" not in {p["name"] for p in people} and people[1]["name"] == "a colleague"
    teams = leader.get("/api/v1/stats/teams", query_string=WEEK1).get_json()["items"]
    assert teams[0]["team"] == "Bravo" and teams[0]["clicks"] == 24


def test_a_manager_sets_a_weekly_challenge_and_sees_progress(app, org, factory):
    manager = app.test_client()
    sign_in(manager, factory.user(Role.MANAGER).email)
    page = manager.get("/dashboard/")
    response = manager.post(
        "/dashboard/challenges",
        data={
            "csrf_token": csrf_from(page.text),
            "team_id": org["teams"]["Alpha"],
            "week": "2026-10-01",
            "metric": "shares",
            "goal": "4",
        },
        follow_redirects=True,
    )
    assert "starts on a Monday" in response.text
    from datetime import date

    from advocacy.db import db
    from advocacy.metrics import gamification
    from advocacy.models import TeamChallenge

    with app.app_context():
        challenge = TeamChallenge(
            team_id=org["teams"]["Alpha"], week_start=date(2026, 9, 28), metric="shares", goal=4
        )
        assert gamification.challenge_progress(db.session, challenge) == 6  # Ann 3, Abe 2, Max 1
        challenge.metric = "clicks"
        assert gamification.challenge_progress(db.session, challenge) == 10  # Ann, 2 Oct


def test_the_dashboard_draws_an_accessible_chart(app, org, leader):
    page = leader.get("/dashboard/", query_string=WEEK1).text
    assert "<svg" in page and 'role="img"' in page
    assert "The same figures as a table" in page


def test_post_analytics_for_managers(app, org, factory):
    manager = app.test_client()
    sign_in(manager, factory.user(Role.MANAGER).email)
    page = manager.get(f"/posts/{org['posts'][1]}/analytics").text
    assert '<dd id="post-shares">5</dd>' in page
    assert '<dd id="post-clicks">37</dd>' in page  # all time: 10 + 4 + 5 + 18
    # First share 2 Oct 09:30; half of 37 reached in the hour of 4 Oct 12:00 → 13:00.
    assert '<dd id="half-life">51.5 h</dd>' in page
    assert '<td>Alpha</td><td class="num">19</td>' in page.replace("\n", "")


def test_stats_lists_follow_the_paging_convention(app, org, leader):
    body = leader.get("/api/v1/stats/teams", query_string={**WEEK1, "per_page": 2, "page": 2})
    page = body.get_json()
    assert (page["page"], page["per_page"], page["total"]) == (2, 2, 5)
    assert [r["team"] for r in page["items"]] == ["Echo", "Charlie"]
    assert leader.get("/api/v1/stats/posts?per_page=501").status_code == 400


def test_team_names_are_escaped_in_the_tables_and_the_chart(app, org, leader):
    from sqlalchemy import update

    from advocacy.db import db
    from advocacy.models import Team

    with app.app_context():
        db.session.execute(update(Team).where(Team.name == "Bravo").values(name="B<i>&</i>"))
        db.session.commit()
    page = leader.get("/dashboard/", query_string=WEEK1).text
    assert "<i>" not in page
    escaped = "B&lt;i&gt;&amp;&lt;/i&gt;"
    assert f"<td>{escaped}</td>" in page  # the leaderboard
    chart_table = page[page.index("The same figures as a table") :]
    header = chart_table[: chart_table.index("</thead>")]
    assert f'<th scope="col">{escaped}</th>' in header
    days = re.findall(r"<tr><td>(2026-10-0\d)</td>((?:<td>\d+</td>)*)</tr>", chart_table)
    assert days and [d for d, _ in days] == sorted(d for d, _ in days)
    teams = header.count('<th scope="col">') - 1  # after "Day"
    assert teams >= 2 and {cells.count("<td>") for _, cells in days} == {teams}


def test_concurrent_dashboards_do_not_starve_their_reads_ahead(app, org, factory):
    """Each request reads three tables on pool threads with connections of their own; a
    request waiting for them must not hold one, or a few at once exhaust a small pool."""
    import threading

    from sqlalchemy import create_engine, event
    from sqlalchemy.orm import sessionmaker

    from advocacy.db import _Bound, _sqlite_pragmas

    email = factory.user(Role.LEADER).email
    clients = []
    for _ in range(4):
        client = app.test_client()
        sign_in(client, email)
        clients.append(client)
    url = app.config["DATABASE_URL"]
    sqlite = url.startswith("sqlite")
    engine = create_engine(
        url,
        pool_size=3,
        max_overflow=0,
        pool_timeout=10,
        connect_args={"check_same_thread": False} if sqlite else {},
    )
    if sqlite:
        event.listen(engine, "connect", _sqlite_pragmas)
    app.extensions["database"] = _Bound(engine, sessionmaker(engine, expire_on_commit=False))
    statuses: list[object] = []

    def read(client) -> None:  # type: ignore[no-untyped-def]
        try:
            statuses.append(client.get("/dashboard/", query_string=WEEK1).status_code)
        except Exception as exc:  # a pool timeout is what this test is about
            statuses.append(type(exc).__name__)

    threads = [threading.Thread(target=read, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    engine.dispose()
    assert statuses == [200] * 4
