"""Find the feeds a web page advertises with ``<link rel="alternate">``."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin

from advocacy.feeds.sanitize import absolute_http_url

FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/feed+json", "application/json"}
)


class _FeedLinks(HTMLParser):
    def __init__(self, base_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base_url = base_url
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "base" and values.get("href"):
            # <base href> changes what every later relative URL is relative to.
            self.base_url = urljoin(self.base_url, values["href"].strip())
        if tag != "link":
            return
        rels = values.get("rel", "").lower().split()
        mime = values.get("type", "").split(";", 1)[0].strip().lower()
        if "alternate" in rels and mime in FEED_TYPES:
            url = absolute_http_url(values.get("href"), self.base_url)
            if url and url not in self.links:
                self.links.append(url)


def discover_feed_links(html: bytes, base_url: str) -> list[str]:
    """Absolute http(s) URLs of the advertised feeds, in document order, without duplicates."""
    # Feed URLs are ASCII in practice; a wrong guess at the page's charset cannot hurt them.
    parser = _FeedLinks(base_url)
    parser.feed(html.decode("utf-8", errors="replace"))
    parser.close()
    return parser.links
