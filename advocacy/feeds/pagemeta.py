"""What a web page says about itself (Open Graph, Twitter Card, <title>), for manual posts."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

from .fetch import FetchPolicy
from .sanitize import absolute_http_url, plain_text, truncate_text

MAX_PAGE_BYTES = 3 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class PageMeta:
    url: str
    title: str
    description: str
    image_url: str | None


class _MetaTags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title = ""
        self.canonical: str | None = None
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (values.get("property") or values.get("name") or "").lower()
            if key and "content" in values:
                self.meta.setdefault(key, values["content"].strip())
        elif tag == "title":
            self._in_title = True
        elif tag == "link" and "canonical" in values.get("rel", "").lower().split():
            self.canonical = self.canonical or values.get("href")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def read_page_meta(html: bytes, url: str) -> PageMeta:
    parser = _MetaTags()
    parser.feed(html.decode("utf-8", errors="replace"))
    meta = parser.meta

    def first(*keys: str) -> str:
        return next((meta[k] for k in keys if meta.get(k)), "")

    title = plain_text(first("og:title", "twitter:title") or parser.title)
    description = plain_text(first("og:description", "twitter:description", "description"))
    image = first("og:image:secure_url", "og:image", "twitter:image", "twitter:image:src")
    return PageMeta(
        url=absolute_http_url(parser.canonical, url) or url,
        title=truncate_text(title, 300),
        description=truncate_text(description, 1000),
        image_url=absolute_http_url(image, url),
    )


def fetch_page_meta(url: str, policy: FetchPolicy) -> PageMeta:
    """Fetch ``url`` under the same guard and limits as feeds, and read its tags."""
    fetched = policy.fetch(url, max_bytes=MAX_PAGE_BYTES)
    return read_page_meta(fetched.body, fetched.final_url)
