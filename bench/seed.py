"""An organisation for the benchmarks: teams, people, posts and their share links.

Made with a seeded random generator, so that two runs (and SQLite and PostgreSQL in one
run) get the same rows. Shapes follow what the product expects: team sizes vary, a few
people share most of the links, a post is shared within days of its publication, LinkedIn
gets most shares, and some people changed teams during the year (membership history).
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import accumulate

from sqlalchemy import insert
from sqlalchemy.orm import Session

from advocacy.models import Membership, Post, PostStatus, Role, Team, User
from advocacy.models.tracking import NETWORKS
from bench.loading import bulk_insert, restart_sequences

NETWORK_WEIGHTS = (50, 15, 10, 10, 15)  # linkedin, x, facebook, email, copy
MOVED_SHARE = 0.05  # of employees changed teams during the year
ALPHABET = string.ascii_letters + string.digits
SHARE_LINK_COLUMNS = ("id", "code", "user_id", "post_id", "team_id", "network", "target_url")
SHARE_LINK_COLUMNS += ("created_at",)


@dataclass(frozen=True, slots=True)
class Link:
    id: int
    code: str
    user_id: int
    created_at: datetime


@dataclass
class Org:
    team_ids: list[int]
    employee_ids: list[int]
    leader_id: int
    links: list[Link]


def seed_org(
    session: Session,
    rng: random.Random,
    *,
    teams: int,
    employees: int,
    posts: int,
    links: int,
    now: datetime,
    days: int = 365,
) -> Org:
    """Rows in every table the metrics read, committed; ``now`` is an aware UTC time."""
    start = now - timedelta(days=days)
    long_ago = start - timedelta(days=35)
    team_ids = list(range(1, teams + 1))
    session.execute(
        insert(Team),
        [
            {"id": t, "name": f"Team {t:03d}", "slug": f"team-{t:03d}", "created_at": long_ago}
            for t in team_ids
        ],
    )
    team_weights = list(accumulate(rng.uniform(0.3, 3.0) for _ in team_ids))
    current_team: dict[int, int] = {}
    users, memberships = [], []
    for n in range(1, employees + 3):
        role = Role.EMPLOYEE if n <= employees else (Role.LEADER, Role.MANAGER)[n - employees - 1]
        users.append(
            {
                "id": n,
                "email": f"person{n}@example.test",
                "name": f"Person {n:05d}",
                "role": role.value,
                "active": True,
                "hide_from_leaderboard": rng.random() < 0.01,
                "created_at": long_ago,
            }
        )
        team = rng.choices(team_ids, cum_weights=team_weights)[0]
        current_team[n] = team
        joined = long_ago
        if role == Role.EMPLOYEE and rng.random() < MOVED_SHARE:
            moved = start + timedelta(days=rng.uniform(0, days))
            first = rng.choice(team_ids)
            memberships.append(_membership(n, first, long_ago, moved))
            joined = moved
        memberships.append(_membership(n, team, joined, None))
    session.execute(insert(User), users)
    for number, row in enumerate(memberships, start=1):
        row["id"] = number
    session.execute(insert(Membership), memberships)
    published = sorted(start + timedelta(days=rng.uniform(0, days)) for _ in range(posts))
    session.execute(
        insert(Post),
        [
            {
                "id": p,
                "url": f"https://newsroom.example.com/{p}",
                "canonical_url": f"https://newsroom.example.com/{p}",
                "title": f"Story {p}: what we shipped",
                "source": "Newsroom",
                "status": PostStatus.APPROVED.value,
                "published_at": at,
                "first_seen_at": at,
                "updated_at": at,
            }
            for p, at in enumerate(published, start=1)
        ],
    )
    shares = _share_links(rng, employees, published, links, now, current_team)
    bulk_insert(session, "share_links", SHARE_LINK_COLUMNS, shares)
    restart_sequences(session)
    session.commit()
    return Org(
        team_ids=team_ids,
        employee_ids=list(range(1, employees + 1)),
        leader_id=employees + 1,
        links=[Link(row[0], row[1], row[2], row[7].replace(tzinfo=UTC)) for row in shares],
    )


def _membership(user_id: int, team_id: int, joined: datetime, left: datetime | None) -> dict:  # type: ignore[type-arg]
    return {"user_id": user_id, "team_id": team_id, "joined_at": joined, "left_at": left}


def _share_links(
    rng: random.Random,
    employees: int,
    published: list[datetime],
    count: int,
    now: datetime,
    current_team: dict[int, int],
) -> list[tuple[object, ...]]:
    """(user, post, network) unique; a few keen sharers; shared within days of publication."""
    keenness = list(accumulate(min(50.0, rng.paretovariate(1.2)) for _ in range(employees)))
    people = list(range(1, employees + 1))
    seen: set[tuple[int, int, str]] = set()
    codes: set[str] = set()
    rows = []
    while len(rows) < count:
        user = rng.choices(people, cum_weights=keenness)[0]
        post = rng.randrange(len(published)) + 1
        network = rng.choices(NETWORKS, NETWORK_WEIGHTS)[0]
        if (user, post, network) in seen:
            continue
        seen.add((user, post, network))
        created = min(published[post - 1] + timedelta(hours=rng.expovariate(1 / 30)), now)
        code = "".join(rng.choices(ALPHABET, k=8))
        while code in codes:
            code = "".join(rng.choices(ALPHABET, k=8))
        codes.add(code)
        target = (
            f"https://newsroom.example.com/{post}?utm_source={network}"
            f"&utm_medium=employee_advocacy&utm_campaign=story-{post}"
        )
        link_id = len(rows) + 1
        naive = created.replace(tzinfo=None)  # as UTCDateTime stores it
        rows.append((link_id, code, user, post, current_team[user], network, target, naive))
    rows.sort(key=lambda r: r[7])  # ids in creation order, as the app gives them
    return [(n, *row[1:]) for n, row in enumerate(rows, start=1)]
