import hashlib
import re
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import unquote_plus, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advocacy.feeds.normalize import (
    MAX_KEY_LENGTH,
    TRACKING_PARAMS,
    canonical_url,
    dedupe_key,
    normalize_entry,
)
from advocacy.feeds.parse import Enclosure, ParsedEntry, parse_feed

FEED_URL = "https://blog.example.com/feed.xml"


def entry(**fields: object) -> ParsedEntry:
    values: dict[str, object] = {
        "guid": None,
        "link": "https://blog.example.com/post",
        "title": "A post",
        "summary_html": None,
        "content_html": None,
        "author": None,
        "published": None,
        "updated": None,
        "image_url": None,
        "enclosures": [],
    }
    values.update(fields)
    return ParsedEntry(**values)  # type: ignore[arg-type]


# --- canonical_url ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://blog.example.com/p?utm_source=rss&utm_medium=feed&page=2",
            "https://blog.example.com/p?page=2",
        ),
        (
            "https://x.example/p?a=1&fbclid=AbC&gclid=1&dclid=2&msclkid=3&mc_cid=4&mc_eid=5"
            "&igshid=6&_hsenc=7&_hsmi=8&yclid=9&ref_src=twsrc&b=2",
            "https://x.example/p?a=1&b=2",
        ),
        ("https://x.example/p?UTM_Campaign=x&id=7", "https://x.example/p?id=7"),
        ("https://x.example/p?utm_source", "https://x.example/p"),
        ("https://x.example/p?a=1&amp;utm_source=rss", "https://x.example/p?a=1"),
        ("https://x.example/p?utm_source=a#section-2", "https://x.example/p"),
        ("HTTPS://Blog.EXAMPLE.com/Path/Case", "https://blog.example.com/Path/Case"),
        ("http://x.example:80/a", "http://x.example/a"),
        ("https://x.example:443/a", "https://x.example/a"),
        ("http://x.example:443/a", "http://x.example:443/a"),
        ("https://x.example:8443/a", "https://x.example:8443/a"),
        ("https://x.example", "https://x.example/"),
        ("https://x.example/?", "https://x.example/"),
        ("https://[2001:DB8::1]:443/a", "https://[2001:db8::1]/a"),
        ("https://x.example/s?q=a%20b&x=1+2&y=%2F", "https://x.example/s?q=a%20b&x=1+2&y=%2F"),
        ("https://x.example/p?b=2&a=1&&c", "https://x.example/p?b=2&a=1&c"),
        ("https://User:Pw@X.example/", "https://User:Pw@x.example/"),
        (" https://x.example/a b?q=1 2\t\n", "https://x.example/a%20b?q=1%202"),
        ("https://x.example/new\nline", "https://x.example/newline"),
    ],
)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


PROPERTY = settings(max_examples=200, deadline=None)
_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCKLMXYZ0123456789-_.~", max_size=8)


@st.composite
def tracking_names(draw: st.DrawFn) -> str:
    """A tracking parameter name in any letter case, sometimes with a percent-encoded
    first character ("%75tm_source"), as feeds and mail tools write them."""
    name = draw(
        st.one_of(st.sampled_from(sorted(TRACKING_PARAMS)), st.builds("utm_".__add__, _word))
    )
    flips = draw(st.lists(st.booleans(), min_size=len(name), max_size=len(name)))
    name = "".join(c.swapcase() if flip else c for c, flip in zip(name, flips, strict=True))
    if draw(st.booleans()):
        name = f"%{ord(name[0]):02X}{name[1:]}"
    return name


_param = st.one_of(
    st.tuples(tracking_names(), _word),
    st.tuples(_word, _word),
)


@st.composite
def urls(draw: st.DrawFn) -> str:
    scheme = draw(st.sampled_from(["http", "https", "HTTP", "hTTps"]))
    host = draw(st.from_regex(r"[A-Za-z0-9]([A-Za-z0-9-]{0,10}[A-Za-z0-9])?", fullmatch=True))
    tld = draw(st.sampled_from([".com", ".ORG", ".example", ""]))
    port = draw(st.sampled_from(["", ":80", ":443", ":8080", ":"]))
    segment = st.text(
        st.characters(blacklist_characters="?#/", blacklist_categories=("Cc", "Cs", "Zs")),
        max_size=6,
    )
    path = "/".join(draw(st.lists(segment, max_size=4)))
    params = draw(st.lists(_param, max_size=6))
    query = "&".join(f"{key}={value}" if value else key for key, value in params)
    fragment = draw(st.text(max_size=6))
    return (
        f"{scheme}://{host}{tld}{port}/{path}"
        + (f"?{query}" if params else "")
        + (f"#{fragment}" if fragment else "")
    )


@PROPERTY
@given(urls())
def test_canonical_url_is_idempotent(url: str) -> None:
    once = canonical_url(url)
    assert canonical_url(once) == once


@PROPERTY
@given(st.text(max_size=60))
def test_canonical_url_is_idempotent_on_any_text(text: str) -> None:
    try:
        once = canonical_url(text)
    except ValueError:  # e.g. an unbalanced "[" in the host; nothing to canonicalise
        return
    assert canonical_url(once) == once


@PROPERTY
@given(urls())
def test_canonical_url_drops_tracking_and_keeps_the_rest(url: str) -> None:
    result = canonical_url(url)
    query = urlsplit(result).query
    names = [pair.split("=", 1)[0].lower() for pair in query.split("&") if pair]
    assert not [name for name in names if _is_tracking(name)]
    assert "#" not in result
    original = [p for p in urlsplit(url.split("#", 1)[0]).query.split("&") if p]
    kept = [p for p in original if not _is_tracking(p.split("=", 1)[0])]
    assert [p for p in query.split("&") if p] == kept


@PROPERTY
@given(urls())
def test_canonical_url_lowercases_scheme_and_host_and_keeps_the_path(url: str) -> None:
    before, after = urlsplit(url), urlsplit(canonical_url(url))
    assert after.scheme == before.scheme.lower() and after.scheme in ("http", "https")
    assert after.netloc == after.netloc.lower()
    assert after.hostname == before.hostname  # urlsplit lowercases; the netloc now is too
    default = {"http": 80, "https": 443}[after.scheme]
    assert after.port == (None if before.port == default else before.port)
    assert after.path == (before.path or "/")
    assert after.fragment == ""


@PROPERTY
@given(st.lists(st.tuples(tracking_names(), _word), min_size=1, max_size=5), _word)
def test_tracking_parameters_never_survive_in_any_case(
    tracking: list[tuple[str, str]], fragment: str
) -> None:
    query = "&".join(f"{name}={value}" for name, value in tracking)
    result = canonical_url(f"https://x.example/p?{query}&keep=1#{fragment}")
    assert result == "https://x.example/p?keep=1"


def _is_tracking(name: str) -> bool:
    name = unquote_plus(name).lower()
    return name.startswith("utm_") or name in TRACKING_PARAMS


# --- dedupe_key -------------------------------------------------------------------------

WHEN = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_dedupe_key_prefers_the_guid() -> None:
    key = dedupe_key(guid="abc-1", canonical_url="https://x.example/a", title="T", published=WHEN)
    assert key == "guid:abc-1"


def test_dedupe_key_falls_back_to_the_canonical_url() -> None:
    key = dedupe_key(guid=None, canonical_url="https://x.example/a", title="T", published=WHEN)
    assert key == "url:https://x.example/a"


def test_dedupe_key_falls_back_to_a_hash_of_title_and_date() -> None:
    key = dedupe_key(guid=None, canonical_url=None, title="T", published=WHEN)
    expected = hashlib.sha256(b"T\n2024-01-02T03:04:05+00:00").hexdigest()
    assert key == f"hash:{expected}"
    other_title = dedupe_key(guid=None, canonical_url=None, title="U", published=WHEN)
    no_date = dedupe_key(guid=None, canonical_url=None, title="T", published=None)
    assert len({key, other_title, no_date}) == 3


def test_long_keys_are_hashed_to_fit() -> None:
    long_guid = "tag:example.org," + "x" * 400
    key = dedupe_key(guid=long_guid, canonical_url=None, title=None, published=None)
    assert key == "guid:sha256:" + hashlib.sha256(long_guid.encode()).hexdigest()
    assert len(key) <= MAX_KEY_LENGTH
    fits = "g" * (MAX_KEY_LENGTH - len("guid:"))
    assert dedupe_key(guid=fits, canonical_url=None, title=None, published=None) == "guid:" + fits
    too_long = fits + "g"
    assert dedupe_key(guid=too_long, canonical_url=None, title=None, published=None).startswith(
        "guid:sha256:"
    )


# --- normalize_entry --------------------------------------------------------------------


def test_normalize_rss_fixture(feed_file: Callable[[str], bytes]) -> None:
    feed = parse_feed(feed_file("rss20.xml"), url=FEED_URL, content_type=None)
    first, second, third = (normalize_entry(e, FEED_URL) for e in feed.entries)
    assert first is not None and second is not None and third is not None
    assert first.dedupe_key == "guid:acme-post-1001"
    assert (
        first.url == "https://blog.example.com/posts/new-api?utm_source=rss&utm_medium=feed&page=2"
    )
    assert first.canonical_url == "https://blog.example.com/posts/new-api?page=2"
    assert first.title == "Shipping the new API & SDK"
    assert first.author == "Ada Lovelace"
    assert first.image_url == "https://cdn.example.com/hero.jpg"
    assert first.summary_html == (
        'We shipped the new API. <a href="https://blog.example.com/docs" '
        'rel="noopener noreferrer nofollow">Read the docs</a>.'
    )
    assert first.published == datetime(2024, 1, 2, 9, 0, tzinfo=UTC)
    assert second.dedupe_key == "url:https://blog.example.com/jobs/platform"
    assert third.dedupe_key == "guid:https://blog.example.com/posts/office"
    assert third.canonical_url == "https://blog.example.com/posts/office"
    assert third.enclosures == (
        Enclosure("https://cdn.example.com/office.jpg", "image/jpeg", 34567),
    )


def test_windows_1251_entry_normalizes_to_cyrillic_text(
    feed_file: Callable[[str], bytes],
) -> None:
    url = "https://ru.example.com/rss"
    feed = parse_feed(feed_file("windows1251.xml"), url=url, content_type=None)
    result = normalize_entry(feed.entries[0], url)
    assert result is not None
    assert result.title == "Привет, мир"
    assert result.author == "Иван Петров"
    assert result.summary_html == (
        "<p>Съешь же ещё этих мягких французских булок, да выпей «чаю» — Ёж № 1</p>"
    )
    # the percent-encoded Cyrillic path is kept byte for byte; only tracking goes
    assert result.canonical_url == (
        "https://ru.example.com/novosti/%D0%BF%D1%80%D0%B8%D0%B2%D0%B5%D1%82?id=5"
    )
    assert result.published == datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


def test_latin1_entry_normalizes_to_accented_text(feed_file: Callable[[str], bytes]) -> None:
    url = "https://fr.example.com/feed"
    feed = parse_feed(feed_file("latin1.xml"), url=url, content_type="application/rss+xml")
    result = normalize_entry(feed.entries[0], url)
    assert result is not None
    assert result.title == "café naïve"
    assert result.summary_html == "<p>Un café naïve été</p>"  # entities decoded by sanitizing


@pytest.mark.parametrize(
    ("guid", "image_url"),
    [
        ("media-content-type-image", "https://media.example.com/img/content-1.jpg"),
        ("thumbnail-beats-enclosure", "https://media.example.com/thumb/3.jpg"),
        ("image-enclosure-beats-itunes", "https://media.example.com/enclosure/5.jpg"),
        ("itunes-image-beats-inline", "https://media.example.com/itunes/6.jpg"),
        # last resort: the first http(s) <img> of the body, the data: one skipped
        ("inline-image-only", "https://media.example.com/inline/7.png"),
        ("no-image", None),
    ],
)
def test_image_is_the_feeds_choice_else_the_first_inline_image(
    feed_file: Callable[[str], bytes], guid: str, image_url: str | None
) -> None:
    url = "https://media.example.com/feed.xml"
    feed = parse_feed(feed_file("media.xml"), url=url, content_type=None)
    (parsed,) = [e for e in feed.entries if e.guid == guid]
    result = normalize_entry(parsed, url)
    assert result is not None
    assert result.image_url == image_url


def test_relative_link_is_resolved_against_the_feed_url() -> None:
    result = normalize_entry(entry(link="../posts/7?utm_source=x"), "https://x.example/blog/feed")
    assert result is not None
    assert result.url == "https://x.example/posts/7?utm_source=x"
    assert result.canonical_url == "https://x.example/posts/7"


@pytest.mark.parametrize(
    "link",
    [None, "", "mailto:team@x.example", "javascript:alert(1)", "ftp://x.example/f", "data:,"],
)
def test_entry_without_an_http_link_is_dropped(link: str | None) -> None:
    assert normalize_entry(entry(link=link, guid="g1"), FEED_URL) is None


def test_title_is_plain_text() -> None:
    result = normalize_entry(entry(title="Tom &amp; <em>Jerry</em>&#8217;s"), FEED_URL)
    assert result is not None
    assert result.title == "Tom & Jerry\u2019s"


def test_missing_title_falls_back_to_the_summary_text() -> None:
    summary = "<p>" + "Lorem ipsum dolor sit amet " * 20 + "</p>"
    result = normalize_entry(entry(title=None, summary_html=summary), FEED_URL)
    assert result is not None
    assert result.title.startswith("Lorem ipsum dolor sit amet Lorem")
    assert result.title.endswith("…")
    assert len(result.title) <= 100


def test_missing_title_and_summary_falls_back_to_the_link() -> None:
    result = normalize_entry(entry(title="  ", link="https://x.example/p#top"), FEED_URL)
    assert result is not None
    assert result.title == "https://x.example/p#top"


def test_summary_is_sanitized_and_trimmed() -> None:
    long = "<p onclick='x()'>" + "word " * 400 + "</p><script>alert(1)</script>"
    result = normalize_entry(entry(summary_html=long), FEED_URL, summary_chars=50)
    assert result is not None
    assert re.fullmatch(r"<p>(word ){9}word…</p>", result.summary_html)


def test_summary_falls_back_to_content() -> None:
    result = normalize_entry(entry(content_html="<p>Body <b>text</b></p>"), FEED_URL)
    assert result is not None
    assert result.summary_html == "<p>Body <b>text</b></p>"


def test_image_falls_back_to_the_first_image_in_the_content() -> None:
    content = '<p>x<img src="data:image/png;base64,AA"><img src="/img/first.png"><img src="/b.png">'
    result = normalize_entry(
        entry(content_html=content, image_url="data:image/gif;base64,R0"), FEED_URL
    )
    assert result is not None
    assert result.image_url == "https://blog.example.com/img/first.png"


def test_explicit_image_wins_over_content_images() -> None:
    result = normalize_entry(
        entry(content_html='<img src="/inline.png">', image_url="https://cdn.example/hero.jpg"),
        FEED_URL,
    )
    assert result is not None
    assert result.image_url == "https://cdn.example/hero.jpg"


def test_no_image_anywhere_gives_none() -> None:
    result = normalize_entry(entry(content_html="<p>text only</p>"), FEED_URL)
    assert result is not None
    assert result.image_url is None


def test_published_falls_back_to_updated_then_none() -> None:
    updated = datetime(2024, 5, 1, tzinfo=UTC)
    with_updated = normalize_entry(entry(updated=updated), FEED_URL)
    neither = normalize_entry(entry(), FEED_URL)
    assert with_updated is not None and neither is not None
    assert with_updated.published == updated
    assert neither.published is None


def test_non_http_enclosures_are_dropped_and_relative_ones_resolved() -> None:
    enclosures = [
        Enclosure("/media/a.mp3", "audio/mpeg", 10),
        Enclosure("file:///etc/passwd", None, None),
    ]
    result = normalize_entry(entry(enclosures=enclosures), FEED_URL)
    assert result is not None
    assert result.enclosures == (
        Enclosure("https://blog.example.com/media/a.mp3", "audio/mpeg", 10),
    )


def test_guid_whitespace_does_not_change_the_key() -> None:
    a = normalize_entry(entry(guid="  id-1\n"), FEED_URL)
    b = normalize_entry(entry(guid="id-1"), FEED_URL)
    assert a is not None and b is not None
    assert a.dedupe_key == b.dedupe_key == "guid:id-1"


def test_json_feed_entries_normalize(feed_file: Callable[[str], bytes]) -> None:
    url = "https://json.example.com/feed.json"
    feed = parse_feed(feed_file("jsonfeed10.json"), url=url, content_type=None)
    first = normalize_entry(feed.entries[0], url)
    second = normalize_entry(feed.entries[1], url)
    assert first is not None and second is not None
    assert first.title == "Hello & welcome"
    assert first.summary_html == "A friendly &lt;hello&gt;"
    assert second.title == "Just text. Second paragraph."
    assert second.dedupe_key == "guid:42"
