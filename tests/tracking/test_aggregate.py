"""Exact counts from the stream to the rollups, whatever the order and however often."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from advocacy.db import db
from advocacy.models import Click, ClickRollup, ShareLink, utcnow
from advocacy.tracking.aggregate import aggregate_pending_clicks
from advocacy.tracking.rebuild import rebuild_rollups
from advocacy.tracking.redirect import STREAM
from advocacy.tracking.stream import GROUP, ensure_group

CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
LINKEDIN_APP = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Mobile/15E148 [LinkedInApp]/9.29.6648"
)
UNFURLER = "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)"
T0 = datetime(2026, 11, 2, 23, 58, tzinfo=UTC)


def push(redis, code: str, at: datetime, visitor: str, ua: str = CHROME, **extra: str) -> None:
    fields = {
        "code": code,
        "ts": str(int(at.timestamp() * 1000)),
        "visitor": visitor,
        "ua": ua,
        "ref": "",
        **extra,
    }
    redis.xadd(STREAM, fields)


def rollups(app) -> dict[tuple[str, datetime], tuple[int, int, int]]:
    with app.app_context():
        rows = db.session.execute(
            select(
                ShareLink.code,
                ClickRollup.hour,
                ClickRollup.clicks,
                ClickRollup.unique_clicks,
                ClickRollup.bot_clicks,
            ).join(ShareLink, ShareLink.id == ClickRollup.link_id)
        ).all()
    return {(code, hour): (c, u, b) for code, hour, c, u, b in rows if (c, u, b) != (0, 0, 0)}


def aggregate(app, redis, consumer: str = "test"):
    with app.app_context():
        return aggregate_pending_clicks(db.session, redis, consumer, batch_size=7)


def test_a_scripted_scenario_gives_the_hand_computed_figures(app, redis, links):
    a, b = links[0].code, links[1].code
    # Link a, hour 23:00 (day 1): visitor v1 twice, v2 once in LinkedIn's in-app browser,
    # an unfurler, an empty user agent; then 12 clicks from v3 within one minute (a burst).
    push(redis, a, T0, "v1")
    push(redis, a, T0 + timedelta(seconds=5), "v1")
    push(redis, a, T0 + timedelta(seconds=6), "v2", LINKEDIN_APP)
    push(redis, a, T0 + timedelta(seconds=7), "bot", UNFURLER)
    push(redis, a, T0 + timedelta(seconds=8), "who", "")
    for i in range(12):
        push(redis, a, T0 + timedelta(seconds=10 + i), "v3")
    # Past midnight (day 2, hour 00:00): v1 again is a new unique click; link b once.
    push(redis, a, T0 + timedelta(minutes=3), "v1")
    push(redis, b, T0 + timedelta(minutes=3), "v1")
    push(redis, "NoSuchLink", T0, "v9")

    totals = aggregate(app, redis)
    assert (totals.humans, totals.bots, totals.unknown, totals.duplicates) == (15, 4, 1, 0)
    day1, day2 = T0.replace(minute=0), (T0 + timedelta(minutes=3)).replace(minute=0)
    assert rollups(app) == {
        (a, day1): (13, 3, 4),  # 2 (v1) + 1 (v2) + 10 (v3); uniques v1 v2 v3; 2 bots + 2 burst
        (a, day2): (1, 1, 0),
        (b, day2): (1, 1, 0),
    }
    with app.app_context():
        reasons = dict(
            db.session.execute(select(Click.reason, func.count()).group_by(Click.reason)).all()
        )
    assert reasons == {None: 15, "link_preview": 1, "empty_user_agent": 1, "burst": 2}
    assert redis.xlen(STREAM) == 0  # acknowledged and removed


def test_a_redelivered_entry_adds_nothing(app, redis, links):
    ensure_group(redis)
    push(redis, links[0].code, T0, "v1")
    push(redis, links[0].code, T0, "v2")
    first = aggregate(app, redis)
    # The same two events again, as after a crash between commit and acknowledgement.
    with app.app_context():
        ids = list(db.session.scalars(select(Click.event_id)))
    with app.app_context():
        # Replay the stored events under their original ids through the batch writer.
        from advocacy.tracking.aggregate import Totals, store_batch
        from advocacy.tracking.stream import StreamEntry

        totals = Totals()
        entries = [
            StreamEntry(
                i,
                {
                    "code": links[0].code,
                    "ts": str(int(T0.timestamp() * 1000)),
                    "visitor": "v1",
                    "ua": CHROME,
                },
            )
            for i in ids
        ]
        store_batch(db.session, entries, totals)
    assert (first.humans, totals.humans, totals.duplicates) == (2, 0, 2)
    assert rollups(app)[(links[0].code, T0.replace(minute=0))] == (2, 2, 0)


def test_spooled_clicks_are_keyed_by_their_spool_id(app, redis, links):
    for _ in range(2):  # moved twice (a crash after XADD, before the spool row was deleted)
        push(redis, links[0].code, T0, "v1", spool="41")
    totals = aggregate(app, redis)
    assert (totals.humans, totals.duplicates) == (1, 1)


def test_a_late_click_with_an_earlier_time_moves_the_unique_click(app, redis, links):
    code = links[0].code
    push(redis, code, T0.replace(hour=15), "v1")
    aggregate(app, redis)
    push(redis, code, T0.replace(hour=9), "v1")  # spooled earlier, arrives later
    aggregate(app, redis)
    assert rollups(app) == {
        (code, T0.replace(hour=9, minute=0)): (1, 1, 0),
        (code, T0.replace(hour=15, minute=0)): (1, 0, 0),
    }


def test_entries_left_by_a_dead_consumer_are_claimed(app, redis, links):
    ensure_group(redis)
    push(redis, links[0].code, T0, "v1")
    redis.xreadgroup(GROUP, "dead-worker", {STREAM: ">"}, count=10)  # read, never acked
    assert aggregate(app, redis, "alive").counted == 0  # not idle long enough yet
    import advocacy.tracking.stream as stream

    original = stream.CLAIM_AFTER_MS
    stream.CLAIM_AFTER_MS = 0
    try:
        assert aggregate(app, redis, "alive").counted == 1
    finally:
        stream.CLAIM_AFTER_MS = original


def test_rebuild_reproduces_the_rollups_and_applies_new_rules(app, redis, links):
    code = links[0].code
    for i in range(14):
        push(redis, code, T0 + timedelta(seconds=i), f"v{i % 3}")
    push(redis, code, T0 + timedelta(hours=1), "v0")
    aggregate(app, redis)
    before = rollups(app)
    with app.app_context():
        assert rebuild_rollups(db.session) == 15
    assert rollups(app) == before
    with app.app_context():
        assert rebuild_rollups(db.session, (T0 + timedelta(hours=1)).date()) == 1
    assert rollups(app) == before


def test_the_cli_drains_everything_and_prints_the_counts(app, redis, links, runner):
    push(redis, links[0].code, utcnow(), "v1")
    push(redis, links[0].code, utcnow(), "bot", UNFURLER)
    result = runner.invoke(args=["clicks", "aggregate"])
    assert result.exit_code == 0
    assert result.output.startswith("counted 2 clicks: 1 human, 1 bot")
    result = runner.invoke(args=["clicks", "rebuild", "--from", utcnow().strftime("%Y-%m-%d")])
    assert result.exit_code == 0 and "from 2 raw clicks" in result.output
