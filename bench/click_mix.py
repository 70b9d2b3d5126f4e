"""Clicks as the redirect records them, in a realistic mix, and what counting them must give.

About 90 % come from browsers (desktop, phones, in-app browsers of LinkedIn, Facebook and
Instagram), with many distinct user agents (versions and phone models vary: one distinct
agent per ~50 clicks), the popular ones much more frequent; the rest are link-preview
unfurlers, crawlers, HTTP libraries and empty agents. Visitors come back (to the same
link the same day, or to other links); links' popularity is skewed; about 1 % of clicks
are bursts (one visitor hammering one link within a minute). Clicks are in time order over
the ``hours`` before ``end``, as the stream receives them.

The expected totals are computed here, independently of the aggregator, from DESIGN.md's
rules: a click is a bot if ``bot_reason`` says so (the classification itself is not under
test) or if it is past the tenth human-looking click of its visitor on its link in its
UTC minute; a unique click is a distinct (link, UTC day, visitor) among human clicks.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import accumulate

from advocacy.tracking.bots import bot_reason

Row = tuple[str, int, str, str, str]  # code, ts (ms), visitor, ua, ref: Click.fields()
BURST_LIMIT = 10
CLICKS_PER_DISTINCT_AGENT = 50
REFERRERS = ("www.linkedin.com", "t.co", "lnkd.in", "m.facebook.com", "", "", "mail.google.com")

ANDROID_MODELS = (
    "SM-S918B",
    "SM-A546B",
    "Pixel 8",
    "Pixel 7a",
    "Redmi Note 12",
    "2201117TG",
    "CPH2451",
    "moto g(60)",
    "RMX3360",
    "V2111",
    "M2101K6G",
    "SM-G991B",
    "22101316G",
    "Nokia G21",
)


def _browser(rng: random.Random) -> str:
    chrome = f"{rng.randint(118, 131)}.0.{rng.randint(5990, 6800)}.{rng.randint(50, 220)}"
    ios = f"{rng.randint(15, 18)}_{rng.randint(0, 7)}"
    android = rng.randint(10, 15)
    model = rng.choice(ANDROID_MODELS)
    kind = rng.choices(range(9), (22, 10, 5, 6, 20, 18, 9, 5, 5))[0]
    return (
        f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        f"Chrome/{chrome} Safari/537.36",
        f"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like "
        f"Gecko) Chrome/{chrome} Safari/537.36",
        f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        f"Chrome/{chrome} Safari/537.36 Edg/{chrome}",
        f"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:{rng.randint(115, 133)}.0) "
        f"Gecko/20100101 Firefox/{rng.randint(115, 133)}.0",
        f"Mozilla/5.0 (iPhone; CPU iPhone OS {ios} like Mac OS X) AppleWebKit/605.1.15 "
        f"(KHTML, like Gecko) Version/{ios.replace('_', '.')} Mobile/15E148 Safari/604.1",
        f"Mozilla/5.0 (Linux; Android {android}; {model}) AppleWebKit/537.36 (KHTML, like "
        f"Gecko) Chrome/{chrome} Mobile Safari/537.36",
        f"Mozilla/5.0 (iPhone; CPU iPhone OS {ios} like Mac OS X) AppleWebKit/605.1.15 "
        f"(KHTML, like Gecko) Mobile/15E148 [LinkedInApp]/9.{rng.randint(20, 31)}."
        f"{rng.randint(100, 9999)}",
        f"Mozilla/5.0 (iPhone; CPU iPhone OS {ios} like Mac OS X) AppleWebKit/605.1.15 "
        f"(KHTML, like Gecko) Mobile/21F90 [FBAN/FBIOS;FBAV/{rng.randint(440, 490)}.0.0."
        f"{rng.randint(10, 60)}.{rng.randint(10, 120)};FBBV/{rng.randint(600000000, 699999999)}]",
        f"Mozilla/5.0 (Linux; Android {android}; {model} Build/AP2A.{rng.randint(240000, 241231)}"
        f".005; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/{chrome} Mobile "
        f"Safari/537.36 Instagram {rng.randint(300, 360)}.0.0.{rng.randint(10, 60)}."
        f"{rng.randint(100, 130)}",
    )[kind]


def _bot(rng: random.Random) -> str:
    return rng.choice(
        (
            "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
            "Twitterbot/1.0",
            "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
            "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
            "WhatsApp/2.23.20.0",
            "TelegramBot (like TwitterBot)",
            "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
            f"curl/8.{rng.randint(0, 11)}.{rng.randint(0, 1)}",
            f"python-requests/2.{rng.randint(25, 32)}.{rng.randint(0, 3)}",
            "Go-http-client/1.1",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            f"HeadlessChrome/{rng.randint(110, 131)}.0.0.0 Safari/537.36",
        )
    )


def agent_pool(rng: random.Random, size: int) -> tuple[list[str], list[str]]:
    """(browsers, bots): distinct user agents, most popular first."""
    browsers: dict[str, None] = {}
    while len(browsers) < size * 0.97:
        browsers[_browser(rng)] = None
    bots: dict[str, None] = {"": None}
    for _ in range(max(30, size // 30)):
        bots[_bot(rng)] = None
    return list(browsers), list(bots)


@dataclass
class Mix:
    rows: list[Row]
    humans: int
    bots: int
    uniques: int
    distinct_agents: int
    reasons: Counter[str]


def make_clicks(
    rng: random.Random, codes: list[str], count: int, end: datetime, hours: int = 72
) -> Mix:
    """``count`` clicks on ``codes`` in time order, and the totals counting must give."""
    browsers, bots = agent_pool(rng, max(500, count // CLICKS_PER_DISTINCT_AGENT))
    browser_weights = list(accumulate(1 / (n + 10) for n in range(len(browsers))))
    link_weights = list(accumulate(1 / (n + 5) for n in range(len(codes))))
    start_ms = int((end - timedelta(hours=hours)).timestamp() * 1000)
    span_ms = hours * 3600 * 1000
    visitors = [(f"{rng.getrandbits(128):032x}", "") for _ in range(max(1, count // 3))]
    events: list[Row] = []
    while len(events) < count:
        roll = rng.random()
        code = rng.choices(codes, cum_weights=link_weights)[0]
        at = start_ms + rng.randrange(span_ms)
        ref = rng.choice(REFERRERS)
        if roll < 0.08:  # unfurlers, crawlers, libraries, empty agents: a visitor each
            events.append((code, at, f"{rng.getrandbits(128):032x}", rng.choice(bots), ref))
            continue
        slot = rng.randrange(len(visitors))
        visitor, agent = visitors[slot]
        if not agent:
            agent = rng.choices(browsers, cum_weights=browser_weights)[0]
            visitors[slot] = (visitor, agent)
        if roll < 0.082:  # a burst: 11 to 40 clicks within one minute
            minute = at - at % 60_000
            burst = rng.randint(11, 40)
            events += [
                (code, minute + rng.randrange(60_000), visitor, agent, ref) for _ in range(burst)
            ]
            continue
        events.append((code, at, visitor, agent, ref))
        if roll > 0.85:  # comes back to the same link a little later
            later = min(at + rng.randrange(6 * 3600 * 1000), start_ms + span_ms - 1)
            events.append((code, later, visitor, agent, ref))
    rows = sorted(events[:count], key=lambda row: row[1])
    return _expect(rows, len(browsers) + len(bots))


def _expect(rows: list[Row], distinct_agents: int) -> Mix:
    verdicts: dict[str, str | None] = {}
    per_minute: Counter[tuple[str, str, int]] = Counter()
    uniques: set[tuple[str, int, str]] = set()
    reasons: Counter[str] = Counter()
    humans = 0
    for code, at, visitor, agent, _ref in rows:  # in time order, as the rules read them
        if agent not in verdicts:
            verdicts[agent] = bot_reason(agent)
        reason = verdicts[agent]
        if reason is None:
            key = (code, visitor, at // 60_000)
            per_minute[key] += 1
            if per_minute[key] > BURST_LIMIT:
                reason = "burst"
        if reason is None:
            humans += 1
            uniques.add((code, at // 86_400_000, visitor))
        else:
            reasons[reason] += 1
    return Mix(rows, humans, len(rows) - humans, len(uniques), distinct_agents, reasons)


def history_rows(
    rng: random.Random, link_ids: list[int], count: int, end: datetime, days: int = 365
) -> Iterator[tuple[object, ...]]:
    """Raw click rows for the ``clicks`` table, spread over ``days`` before ``end``: what a
    year of counting leaves behind (event ids of their own, never a stream entry's)."""
    browsers, bots = agent_pool(rng, 2000)
    verdicts = {agent: bot_reason(agent) for agent in browsers + bots}
    start = end - timedelta(days=days)
    span = days * 86_400
    weights = list(accumulate(1 / (n + 5) for n in range(len(link_ids))))
    picks = rng.choices(link_ids, cum_weights=weights, k=count)
    for n, link_id in enumerate(picks):
        agent = rng.choice(bots) if rng.random() < 0.08 else rng.choice(browsers)
        reason = verdicts[agent]
        at = (start + timedelta(seconds=rng.random() * span)).astimezone(UTC)
        yield (
            f"h-{n}",
            link_id,
            at.replace(tzinfo=None),
            f"{rng.getrandbits(128):032x}",
            reason is None,
            reason,
            agent,
            rng.choice(REFERRERS),
        )
