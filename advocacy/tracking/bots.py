"""Is a click a person? Classification by user agent, with the reason stored.

A person clicks through a browser: in-app browsers (LinkedIn, Facebook, Instagram,
Android WebView) are people; link-preview unfurlers, crawlers, HTTP libraries,
monitors and feed readers are not. crawlerdetect catches most crawlers but flags phones
whose model names contain "bot" or "spider", and misses many non-browsers: the rules
below handle both. Verdicts are cached per distinct user agent.
"""

from __future__ import annotations

import re
from functools import lru_cache

from crawlerdetect import CrawlerDetect

EMPTY = "empty_user_agent"
UNFURLER = "link_preview"
CRAWLER = "crawler"
NOT_A_BROWSER = "not_a_browser"
BURST = "burst"

UNFURLERS = re.compile(
    r"linkedinbot|twitterbot|facebookexternalhit|facebot|meta-external(agent|fetcher)"
    r"|slackbot|slack-imgproxy|discordbot|telegrambot|whatsapp|skypeuripreview|applebot"
    r"|iframely|embedly|pinterest(bot)?/|redditbot|bingpreview|microsoftpreview|cardyb"
    r"|bluesky|mastodon|misskey|pleroma|akkoma|vkshare|google-pagerenderer"
    r"|googleother|kakaotalk-scrap|yahoo! slurp|quora link preview"
    r"|outbrain|nuzzel|flipboardproxy|bitlybot|chatgpt-user|gptbot|claudebot",
    re.IGNORECASE,
)
BROWSER_ENGINE = re.compile(r"AppleWebKit/|Gecko/|Trident/|Presto/|Goanna/")
URL_OR_EMAIL = re.compile(r"https?://|www\.|\+mailto:|[\w.-]+@[\w-]+\.[\w.]+", re.IGNORECASE)
ANDROID_MODEL = re.compile(r"^(Mozilla/5\.0 \(Linux; (?:U; )?Android [^;)]*; )([^;)]*)")
_detector = CrawlerDetect()


@lru_cache(maxsize=65536)
def bot_reason(user_agent: str) -> str | None:
    """None for a person, else why the click is not one."""
    agent = (user_agent or "").strip()
    if not agent:
        return EMPTY
    if UNFURLERS.search(agent):
        return UNFURLER
    if not agent.startswith("Mozilla/5.0 (") or not BROWSER_ENGINE.search(agent):
        return NOT_A_BROWSER
    if "(compatible;" in agent and "MSIE" not in agent:
        return NOT_A_BROWSER
    if URL_OR_EMAIL.search(agent):
        return NOT_A_BROWSER
    if _detector.isCrawler(_without_device_model(agent)):
        return CRAWLER
    return None


def _without_device_model(agent: str) -> str:
    """Android puts the phone's model in the user agent, and some are called "Robot"."""
    return ANDROID_MODEL.sub(r"\1Device", agent, count=1)
