from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from advocacy.feeds.errors import FeedError, NotAFeedError
from advocacy.feeds.parse import Enclosure, parse_feed

FeedFile = Callable[[str], bytes]
CAFE = "caf\u00e9 \u2013 na\u00efve"  # "cafe - naive" with accents and an en dash


def test_rss20_entries(feed_file: FeedFile) -> None:
    feed = parse_feed(
        feed_file("rss20.xml"), url="https://blog.example.com/feed.xml", content_type=None
    )
    assert feed.version == "rss20"
    assert feed.title == "Acme Engineering & Design"
    assert feed.site_url == "https://blog.example.com/"
    assert feed.warning is None
    assert len(feed.entries) == 3
    first, second, third = feed.entries
    assert first.guid == "acme-post-1001"
    assert first.link == (
        "https://blog.example.com/posts/new-api?utm_source=rss&utm_medium=feed&page=2"
    )
    assert first.title == "Shipping the new <b>API</b> &amp; SDK"
    assert first.author == "Ada Lovelace"
    assert first.published == datetime(2024, 1, 2, 9, 0, tzinfo=UTC)
    assert first.updated is None  # RSS has no separate updated date
    assert first.content_html is not None
    assert 'src="https://blog.example.com/img/inline.png"' in first.content_html
    assert first.summary_html is not None
    assert 'href="https://blog.example.com/docs"' in first.summary_html
    # media:content of medium=image wins over the video before it and over the thumbnail
    assert first.image_url == "https://cdn.example.com/hero.jpg"
    assert second.guid is None
    assert second.link == "https://blog.example.com/jobs/platform"  # relative, resolved
    assert second.image_url == "https://cdn.example.com/jobs-thumb.jpg"
    assert third.image_url == "https://cdn.example.com/office.jpg"
    assert third.enclosures == [
        Enclosure("https://cdn.example.com/office.jpg", "image/jpeg", 34567)
    ]
    assert third.published is None


def test_atom_relative_links_follow_xml_base(feed_file: FeedFile) -> None:
    feed = parse_feed(
        feed_file("atom.xml"),
        url="https://example.org/feed.atom",
        content_type="application/atom+xml",
    )
    assert feed.version == "atom10"
    assert feed.title == "Example <Atom> Blog"
    assert feed.site_url == "https://example.org/blog/"
    first, second = feed.entries
    assert first.link == "https://example.org/blog/posts/first"
    assert first.title == "Relative <em>links</em> resolved"
    assert first.author == "Grace Hopper"
    assert first.published == datetime(2024, 3, 1, 10, 0, tzinfo=UTC)
    assert first.updated == datetime(2024, 3, 2, 10, 0, tzinfo=UTC)
    assert first.content_html is not None
    assert 'href="https://example.org/blog/docs/intro"' in first.content_html
    assert 'src="https://example.org/blog/img/chart.png"' in first.content_html
    assert second.link == "https://example.org/other/second"
    assert second.published is None
    assert second.updated == datetime(2024, 3, 3, 8, 0, tzinfo=UTC)
    # a plain-text summary is escaped, so its literal "<br>" survives as text
    assert second.summary_html == "Plain summary with a literal &lt;br&gt; tag."
    assert second.enclosures == [Enclosure("https://example.org/other/pic.png", "image/png", 2048)]
    assert second.image_url == "https://example.org/other/pic.png"


def test_rss10_rdf(feed_file: FeedFile) -> None:
    feed = parse_feed(feed_file("rss10.rdf"), url="https://rdf.example.net/rss", content_type=None)
    assert feed.version == "rss10"
    assert feed.title == "RDF Site"
    assert [e.link for e in feed.entries] == [
        "https://rdf.example.net/item/1",
        "https://rdf.example.net/item/2",
    ]
    assert feed.entries[0].author == "Tim"
    assert feed.entries[0].updated == datetime(2023, 11, 5, 13, 15, 30, tzinfo=UTC)
    assert feed.entries[0].summary_html == "First description"


def test_podcast_itunes_image_and_audio_enclosure(feed_file: FeedFile) -> None:
    feed = parse_feed(
        feed_file("podcast.xml"), url="https://podcast.example.com/rss", content_type=None
    )
    (episode,) = feed.entries
    assert episode.image_url == "https://podcast.example.com/ep12.jpg"
    assert episode.enclosures == [
        Enclosure("https://media.example.com/ep12.mp3", "audio/mpeg", 48213650)
    ]
    assert episode.published == datetime(2024, 4, 10, 6, 0, tzinfo=UTC)


def test_json_feed_1_0(feed_file: FeedFile) -> None:
    feed = parse_feed(
        feed_file("jsonfeed10.json"),
        url="https://json.example.com/feed.json",
        content_type="application/feed+json",
    )
    assert feed.version == "json1"
    assert feed.title == "JSON Feed One"
    assert feed.site_url == "https://json.example.com/"
    first, second = feed.entries
    assert first.guid == "https://json.example.com/2024/hello"
    assert first.link == "https://json.example.com/2024/hello"
    assert first.title == "Hello &amp; welcome"
    assert first.summary_html == "A friendly &lt;hello&gt;"
    assert first.author == "Jane Doe"
    assert first.image_url == "https://json.example.com/images/hello.png"
    assert first.published == datetime(2024, 2, 3, 12, 5, 6, tzinfo=UTC)
    assert first.enclosures == [
        Enclosure("https://json.example.com/hello.mp3", "audio/mpeg", 1048576)
    ]
    assert second.guid == "42"  # a numeric id becomes a string
    assert second.title is None
    assert second.content_html == "<p>Just text.</p><p>Second paragraph.</p>"
    assert second.published is None
    assert second.updated == datetime(2024, 2, 4, tzinfo=UTC)


def test_json_feed_1_1(feed_file: FeedFile) -> None:
    feed = parse_feed(
        feed_file("jsonfeed11.json"), url="https://json11.example.com/feed.json", content_type=None
    )
    assert feed.version == "json11"
    first, second = feed.entries
    assert first.link == "https://elsewhere.example.org/article"  # external_url as fallback
    assert first.author == "First Writer, Second Writer"
    assert first.content_html == "<p>Line one<br>line two</p>"
    assert first.image_url == "https://json11.example.com/banner.jpg"
    assert first.updated == datetime(2024, 5, 7, 7, 8, 9, tzinfo=UTC)
    assert second.image_url == "https://json11.example.com/two.png"  # image attachment


def test_json_feed_after_bom_and_whitespace_is_recognised() -> None:
    body = (
        b'\xef\xbb\xbf \n {"version": "https://jsonfeed.org/version/1.1", "title": "T",'
        b' "items": [{"id": "1", "url": "https://x.example/1", "title": "caf\xc3\xa9"}]}'
    )
    feed = parse_feed(body, url="https://x.example/feed.json", content_type="application/json")
    assert feed.version == "json11"
    assert feed.entries[0].title == "café"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'{"title": "no version", "items": []}', "JSON without a JSON Feed version"),
        (b'{"version": "1.1", "items": []}', "JSON without a JSON Feed version"),
        (b"[1, 2]", "not a feed"),
        (b"{oops", "invalid JSON"),
    ],
)
def test_json_that_is_not_a_json_feed(body: bytes, reason: str) -> None:
    with pytest.raises(NotAFeedError, match=reason):
        parse_feed(body, url="https://x.example/data.json", content_type="application/json")


@pytest.mark.parametrize(
    ("name", "content_type", "title"),
    [
        ("windows1252.xml", None, CAFE),
        ("windows1252.xml", "text/xml", CAFE),
        ("latin1.xml", "application/rss+xml", "café naïve"),
        ("undeclared-cp1252.xml", None, CAFE),
        ("undeclared-cp1252.xml", "application/rss+xml; charset=windows-1252", CAFE),
    ],
)
def test_non_utf8_feeds_come_out_as_text(
    feed_file: FeedFile, name: str, content_type: str | None, title: str
) -> None:
    feed = parse_feed(feed_file(name), url="https://fr.example.com/feed", content_type=content_type)
    assert feed.title == f"Le {title}"
    (entry,) = feed.entries
    assert entry.title == title
    assert entry.summary_html == f"<p>Un {title} &eacute;t&eacute;</p>"


@pytest.mark.parametrize(
    "content_type",
    [None, "application/rss+xml", "text/xml", "application/rss+xml; charset=windows-1251"],
)
def test_windows_1251_feed_comes_out_as_cyrillic_text(
    feed_file: FeedFile, content_type: str | None
) -> None:
    body = feed_file("windows1251.xml")
    assert "Привет".encode("cp1251") in body  # real cp1251 bytes, not UTF-8
    feed = parse_feed(body, url="https://ru.example.com/rss", content_type=content_type)
    assert feed.title == "Новости компании"
    (entry,) = feed.entries
    assert entry.title == "Привет, мир"
    assert entry.author == "Иван Петров"
    assert entry.summary_html == (
        "<p>Съешь же ещё этих мягких французских булок, да выпей «чаю» — Ёж № 1</p>"
    )


def test_declared_windows_1251_needs_no_override(feed_file: FeedFile) -> None:
    feed = parse_feed(
        feed_file("windows1251.xml"), url="https://ru.example.com/rss", content_type=None
    )
    assert feed.warning is None


def test_latin1_feed_without_content_type_keeps_its_accents(feed_file: FeedFile) -> None:
    body = feed_file("latin1.xml")
    assert "café naïve".encode("latin-1") in body
    feed = parse_feed(body, url="https://fr.example.com/feed", content_type=None)
    assert feed.warning is None
    assert feed.title == "Le café naïve"
    (entry,) = feed.entries
    assert entry.title == "café naïve"
    assert entry.summary_html == "<p>Un café naïve &eacute;t&eacute;</p>"


# --- choosing one image per entry (tests/feeds/files/media.xml) ---------------------------

MEDIA_FEED_URL = "https://media.example.com/feed.xml"


@pytest.mark.parametrize(
    ("guid", "image_url"),
    [
        # an image media:content (by MIME type) after a video one, relative to the feed
        ("media-content-type-image", "https://media.example.com/img/content-1.jpg"),
        ("media-content-medium-image", "https://cdn.example.com/photo-2"),
        ("thumbnail-beats-enclosure", "https://media.example.com/thumb/3.jpg"),
        ("thumbnail-in-media-group", "https://media.example.com/thumb/4.jpg"),
        ("image-enclosure-beats-itunes", "https://media.example.com/enclosure/5.jpg"),
        ("itunes-image-beats-inline", "https://media.example.com/itunes/6.jpg"),
        # inline images are normalize's job; the channel's itunes:image is not the entry's
        ("inline-image-only", None),
        ("no-image", None),
    ],
)
def test_entry_image_follows_the_media_priority(
    feed_file: FeedFile, guid: str, image_url: str | None
) -> None:
    feed = parse_feed(feed_file("media.xml"), url=MEDIA_FEED_URL, content_type=None)
    (entry,) = [e for e in feed.entries if e.guid == guid]
    assert entry.image_url == image_url


def test_malformed_feed_with_entries_is_kept_with_a_warning(feed_file: FeedFile) -> None:
    feed = parse_feed(
        feed_file("bozo.xml"), url="https://sloppy.example.com/rss", content_type=None
    )
    assert feed.warning is not None
    assert "not well-formed" in feed.warning
    assert [e.link for e in feed.entries] == [
        "https://sloppy.example.com/fish",
        "https://sloppy.example.com/second",
    ]
    assert feed.entries[0].title == "Fish &amp; Chips\xa0recipe"


def test_malformed_feed_without_entries_is_an_error() -> None:
    body = b"<?xml version='1.0'?><rss version='2.0'><channel><title>a & b</title></channel></rss>"
    with pytest.raises(FeedError, match="could not be read: SAXParseException"):
        parse_feed(body, url="https://x.example/rss", content_type=None)


def test_html_page_is_not_a_feed(feed_file: FeedFile) -> None:
    with pytest.raises(NotAFeedError) as caught:
        parse_feed(
            feed_file("page.html"), url="https://www.example.com/blog/", content_type="text/html"
        )
    assert caught.value.message == (
        "https://www.example.com/blog/ is not a feed (it looks like an HTML page or unknown format)"
    )


@pytest.mark.parametrize("body", [b"", b"   ", b"plain text"])
def test_empty_or_text_body_is_not_a_feed(body: bytes) -> None:
    with pytest.raises(NotAFeedError, match="is not a feed"):
        parse_feed(body, url="https://x.example/feed", content_type=None)


def test_body_that_names_a_file_is_never_opened() -> None:
    # feedparser tries str and bytes alike as a file name before parsing them; a hostile
    # server answering "/dev/zero" must not make us read it.
    path = Path(__file__).parent / "files" / "rss20.xml"
    with pytest.raises(NotAFeedError):
        parse_feed(str(path).encode(), url="https://x.example/feed", content_type=None)


def test_empty_but_valid_feed_has_no_entries() -> None:
    body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>'
    feed = parse_feed(body, url="https://x.example/rss", content_type="application/rss+xml")
    assert feed.version == "rss20"
    assert feed.title == "Quiet"
    assert feed.entries == []


def test_rss_ttl_is_read_in_seconds_and_nonsense_ignored():
    def feed(ttl: str) -> bytes:
        return (
            "<?xml version='1.0'?><rss version='2.0'><channel><title>T</title>"
            f"<link>https://example.com/</link><ttl>{ttl}</ttl>"
            "<item><title>A</title><link>https://example.com/a</link></item>"
            "</channel></rss>"
        ).encode()

    assert (
        parse_feed(feed("60"), url="https://example.com/f", content_type=None).ttl_seconds == 3600
    )
    for bad in ("", "-5", "soon", "0"):
        parsed = parse_feed(feed(bad), url="https://example.com/f", content_type=None)
        assert parsed.ttl_seconds is None, bad
