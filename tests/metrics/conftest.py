"""A small organisation whose every figure was computed by hand (see test_figures.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from advocacy.db import db
from advocacy.models import ClickRollup, Membership, Post, ShareLink, Team, User
from advocacy.tracking import summaries


def at(day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(2026, 10, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def org(app):
    """Teams Alpha, Bravo, Charlie (members, no shares), Delta (no members), Echo (1 share)."""
    with app.app_context():
        s = db.session
        teams = {
            n: Team(name=n, slug=n.lower()) for n in ("Alpha", "Bravo", "Charlie", "Delta", "Echo")
        }
        s.add_all(teams.values())
        users = {}
        for name, team in [
            ("Ann", "Alpha"),
            ("Abe", "Alpha"),
            ("Ada", "Alpha"),
            ("Bob", "Bravo"),
            ("Bea", "Bravo"),
            ("Cy", "Charlie"),
            ("Cat", "Charlie"),
            ("Eve", "Echo"),
            ("Max", None),
        ]:
            users[name] = User(
                email=f"{name.lower()}@x.test",
                name=name,
                role="employee",
                created_at=at(1).replace(month=9),
            )
            s.add(users[name])
            s.flush()
            if team:
                s.add(
                    Membership(
                        user_id=users[name].id,
                        team_id=teams[team].id,
                        joined_at=at(1).replace(month=9),
                    )
                )
        s.flush()
        # Max moves from Alpha to Bravo on 5 October.
        s.add(
            Membership(
                user_id=users["Max"].id,
                team_id=teams["Alpha"].id,
                joined_at=at(1).replace(month=9),
                left_at=at(5),
            )
        )
        s.add(Membership(user_id=users["Max"].id, team_id=teams["Bravo"].id, joined_at=at(5)))
        posts = {}
        for n in range(1, 5):
            posts[n] = Post(
                url=f"https://x.test/{n}",
                canonical_url=f"https://x.test/{n}",
                title=f"Post {n}",
                status="approved",
                published_at=at(1),
            )
            s.add(posts[n])
        s.flush()
        links = {}
        for key, (user, post, network, when) in {
            "ann-1-li": ("Ann", 1, "linkedin", at(2, 9, 30)),
            "ann-1-x": ("Ann", 1, "x", at(2, 9, 31)),
            "ann-2-li": ("Ann", 2, "linkedin", at(2, 9, 32)),
            "abe-1-li": ("Abe", 1, "linkedin", at(3)),
            "abe-2-x": ("Abe", 2, "x", at(3)),
            "bob-1-li": ("Bob", 1, "linkedin", at(4)),
            "bob-1-x": ("Bob", 1, "x", at(4)),
            "bob-2-li": ("Bob", 2, "linkedin", at(4)),
            "bob-2-fb": ("Bob", 2, "facebook", at(4)),
            "bea-3-li": ("Bea", 3, "linkedin", at(10)),
            "max-3-li": ("Max", 3, "linkedin", at(3)),
            "eve-4-li": ("Eve", 4, "linkedin", at(2)),
        }.items():
            links[key] = ShareLink(
                code=key.replace("-", "")[:16].ljust(8, "0"),
                user_id=users[user].id,
                post_id=posts[post].id,
                network=network,
                target_url=posts[post].url,
                created_at=when,
            )
            s.add(links[key])
        s.flush()
        for key, hour, clicks, unique, bots in [
            ("ann-1-li", at(2, 10), 10, 8, 3),
            ("ann-1-li", at(8, 0), 4, 4, 0),
            ("abe-1-li", at(7, 23), 5, 5, 1),
            ("bob-1-li", at(4, 12), 18, 10, 2),
            ("max-3-li", at(6, 9), 6, 6, 0),
            ("eve-4-li", at(2, 10), 50, 40, 0),
        ]:
            s.add(
                ClickRollup(
                    link_id=links[key].id,
                    hour=hour,
                    clicks=clicks,
                    unique_clicks=unique,
                    bot_clicks=bots,
                )
            )
        s.flush()
        summaries.refill(s)  # the rollups are written directly here, not by the aggregator
        s.commit()
        return {
            "teams": {n: t.id for n, t in teams.items()},
            "users": {n: u.id for n, u in users.items()},
            "posts": {n: p.id for n, p in posts.items()},
        }
