import gzip
import tracemalloc
import zlib
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import brotli
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from advocacy.feeds.errors import FeedError, FeedTooLargeError, UnsafeURLError
from advocacy.feeds.fetch import fetch_feed, parse_retry_after
from advocacy.feeds.guard import check_url

FEED = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'


def test_fetch_returns_body_and_validators(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed.xml").respond_with_data(
        FEED,
        content_type="application/rss+xml; charset=utf-8",
        headers={"ETag": '"v1"', "Last-Modified": "Mon, 01 Jan 2024 00:00:00 GMT"},
    )
    result = fetch_feed(
        httpserver.url_for("/feed.xml"), allow_private=True, user_agent="advocacy-test/1"
    )
    assert result.body == FEED
    assert result.status == 200
    assert result.not_modified is False
    assert result.final_url == httpserver.url_for("/feed.xml")
    assert result.content_type == "application/rss+xml; charset=utf-8"
    assert result.etag == '"v1"'
    assert result.last_modified == "Mon, 01 Jan 2024 00:00:00 GMT"
    assert result.retry_after is None
    sent = httpserver.log[0][0].headers
    assert sent["User-Agent"] == "advocacy-test/1"
    assert sent["Accept-Encoding"] == "gzip, deflate, br"
    assert "If-None-Match" not in sent
    assert "If-Modified-Since" not in sent


def test_unchanged_feed_costs_one_conditional_request(httpserver: HTTPServer) -> None:
    httpserver.expect_request(
        "/feed.xml",
        headers={"If-None-Match": '"v1"', "If-Modified-Since": "Mon, 01 Jan 2024 00:00:00 GMT"},
    ).respond_with_data(b"", status=304, headers={"ETag": '"v1"'})
    result = fetch_feed(
        httpserver.url_for("/feed.xml"),
        etag='"v1"',
        last_modified="Mon, 01 Jan 2024 00:00:00 GMT",
        allow_private=True,
    )
    assert result.not_modified is True
    assert result.status == 304
    assert result.body == b""
    assert result.etag == '"v1"'
    assert result.last_modified == "Mon, 01 Jan 2024 00:00:00 GMT"
    assert len(httpserver.log) == 1


def test_not_modified_without_validators_keeps_the_ones_sent(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed.xml").respond_with_data(b"", status=304)
    result = fetch_feed(httpserver.url_for("/feed.xml"), etag='W/"abc"', allow_private=True)
    assert result.not_modified is True
    assert result.etag == 'W/"abc"'
    assert result.last_modified is None


def _raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


@pytest.mark.parametrize(
    ("encoding", "compress"),
    [
        ("gzip", gzip.compress),
        ("br", brotli.compress),
        ("deflate", zlib.compress),
        ("deflate", _raw_deflate),
    ],
)
def test_compressed_bodies_are_decoded(httpserver: HTTPServer, encoding, compress) -> None:
    body = FEED * 200
    httpserver.expect_request("/feed.xml").respond_with_data(
        compress(body), headers={"Content-Encoding": encoding}
    )
    result = fetch_feed(httpserver.url_for("/feed.xml"), allow_private=True)
    assert result.body == body


def test_unsupported_content_encoding_is_a_feed_error(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed.xml").respond_with_data(
        b"(compressed)", headers={"Content-Encoding": "zstd"}
    )
    with pytest.raises(FeedError, match="unsupported Content-Encoding: zstd"):
        fetch_feed(httpserver.url_for("/feed.xml"), allow_private=True)


def test_body_exactly_at_the_cap_is_accepted(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed.xml").respond_with_data(b"x" * 1000)
    result = fetch_feed(httpserver.url_for("/feed.xml"), allow_private=True, max_bytes=1000)
    assert len(result.body) == 1000


def test_declared_length_over_the_cap_is_refused(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed.xml").respond_with_data(b"x" * 1001)
    with pytest.raises(FeedTooLargeError, match="larger than the 1,000 bytes allowed"):
        fetch_feed(httpserver.url_for("/feed.xml"), allow_private=True, max_bytes=1000)


def test_streamed_body_over_the_cap_is_refused(httpserver: HTTPServer) -> None:
    def handler(request: Request) -> Response:
        # A generator body has no Content-Length: only counting the stream can stop it.
        return Response((b"x" * 4096 for _ in range(64)), content_type="application/xml")

    httpserver.expect_request("/feed.xml").respond_with_handler(handler)
    with pytest.raises(FeedTooLargeError):
        fetch_feed(httpserver.url_for("/feed.xml"), allow_private=True, max_bytes=100_000)


def _zero_bomb(encoding: str, mebibytes: int) -> bytes:
    """``mebibytes`` MiB of zeros compressed, built block by block to keep the test light."""
    block = b"\0" * (1024 * 1024)
    if encoding == "gzip":
        gz = zlib.compressobj(wbits=16 + zlib.MAX_WBITS)
        return b"".join(gz.compress(block) for _ in range(mebibytes)) + gz.flush()
    br = brotli.Compressor(quality=1)
    return b"".join(br.process(block) for _ in range(mebibytes)) + br.finish()


@pytest.mark.parametrize("encoding", ["gzip", "br"])
def test_decompression_bomb_is_refused_without_inflating_it(
    httpserver: HTTPServer, encoding: str
) -> None:
    bomb = _zero_bomb(encoding, 256)
    assert len(bomb) < 300_000  # small on the wire: only the decompressed size gives it away
    httpserver.expect_request("/feed.xml").respond_with_data(
        bomb, headers={"Content-Encoding": encoding}
    )
    tracemalloc.start()
    try:
        with pytest.raises(FeedTooLargeError, match="larger than the 1,048,576 bytes allowed"):
            fetch_feed(httpserver.url_for("/feed.xml"), allow_private=True, max_bytes=1024 * 1024)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Decoding a whole network chunk at once would hold tens of MiB here.
    assert peak < 32 * 1024 * 1024


def _redirect_chain(httpserver: HTTPServer, hops: int) -> None:
    for hop in range(hops):
        target = f"/r{hop + 1}" if hop + 1 < hops else "/feed.xml"
        httpserver.expect_request(f"/r{hop}").respond_with_data(
            b"", status=302, headers={"Location": target}
        )
    httpserver.expect_request("/feed.xml").respond_with_data(FEED)


def test_five_redirects_are_followed(httpserver: HTTPServer) -> None:
    _redirect_chain(httpserver, 5)
    result = fetch_feed(httpserver.url_for("/r0"), allow_private=True)
    assert result.body == FEED
    assert result.final_url == httpserver.url_for("/feed.xml")
    assert len(httpserver.log) == 6


def test_more_than_five_redirects_fail(httpserver: HTTPServer) -> None:
    _redirect_chain(httpserver, 6)
    with pytest.raises(FeedError, match=r"Too many redirects \(more than 5\)"):
        fetch_feed(httpserver.url_for("/r0"), allow_private=True)
    assert [entry[0].path for entry in httpserver.log] == [f"/r{i}" for i in range(6)]


def test_permanent_redirect_reports_the_new_url(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/old").respond_with_data(
        b"", status=301, headers={"Location": "/new/feed.xml?x=1"}
    )
    httpserver.expect_request("/new/feed.xml").respond_with_data(FEED)
    result = fetch_feed(httpserver.url_for("/old"), allow_private=True)
    assert result.final_url == httpserver.url_for("/new/feed.xml") + "?x=1"


def test_redirect_to_loopback_is_refused_at_the_hop(httpserver: HTTPServer) -> None:
    start = httpserver.url_for("/start")
    httpserver.expect_request("/start").respond_with_data(
        b"", status=302, headers={"Location": f"http://127.0.0.1:{httpserver.port}/secret"}
    )
    httpserver.expect_request("/secret").respond_with_data(b"internal data")

    def guard(url: str) -> None:
        # The test server is itself on loopback: trust the first hop only.
        if url != start:
            check_url(url, allow_private=False)

    with pytest.raises(UnsafeURLError, match=r"127\.0\.0\.1"):
        fetch_feed(start, allow_private=True, guard=guard)
    assert [entry[0].path for entry in httpserver.log] == ["/start"]


def test_redirect_to_a_file_url_is_refused(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/start").respond_with_data(
        b"", status=302, headers={"Location": "file:///etc/passwd"}
    )
    with pytest.raises(UnsafeURLError, match="Only http and https"):
        fetch_feed(httpserver.url_for("/start"), allow_private=True)


def test_private_host_is_refused_before_any_request(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed.xml").respond_with_data(FEED)
    with pytest.raises(UnsafeURLError, match=r"localhost resolves to 127\.0\.0\.1"):
        fetch_feed(httpserver.url_for("/feed.xml"), allow_private=False)
    assert httpserver.log == []


def test_connected_address_is_checked_even_if_the_guard_let_it_through(
    httpserver: HTTPServer,
) -> None:
    # What DNS rebinding looks like: the name passed the check, the connection went inside.
    httpserver.expect_request("/feed.xml").respond_with_data(FEED)
    with pytest.raises(UnsafeURLError, match=r"Refusing to fetch from 127\.0\.0\.1"):
        fetch_feed(httpserver.url_for("/feed.xml"), allow_private=False, guard=lambda url: None)


def test_read_timeout_is_a_feed_error(silent_server: str) -> None:
    with pytest.raises(FeedError, match=r"Timed out fetching .*ReadTimeout"):
        fetch_feed(silent_server, allow_private=True, timeout=(2.0, 0.2))


def test_connection_refused_is_a_feed_error(closed_port_url: str) -> None:
    with pytest.raises(FeedError, match=r"Could not connect to 127\.0\.0\.1"):
        fetch_feed(closed_port_url, allow_private=True)


def test_exhausted_time_budget_stops_before_requesting(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed.xml").respond_with_data(FEED)
    with pytest.raises(FeedError, match="took too long"):
        fetch_feed(httpserver.url_for("/feed.xml"), allow_private=True, total_timeout=-1)
    assert httpserver.log == []


def test_429_carries_retry_after_seconds(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed.xml").respond_with_data(
        b"slow down", status=429, headers={"Retry-After": "120"}
    )
    before = datetime.now(UTC)
    with pytest.raises(FeedError) as caught:
        fetch_feed(httpserver.url_for("/feed.xml"), allow_private=True)
    after = datetime.now(UTC)
    error = caught.value
    assert error.status == 429
    assert "HTTP 429" in error.message
    assert error.retry_after is not None
    assert before + timedelta(seconds=120) <= error.retry_after <= after + timedelta(seconds=120)


def test_503_carries_retry_after_date(httpserver: HTTPServer) -> None:
    back_at = (datetime.now(UTC) + timedelta(hours=3)).replace(microsecond=0)
    httpserver.expect_request("/feed.xml").respond_with_data(
        b"maintenance", status=503, headers={"Retry-After": format_datetime(back_at, usegmt=True)}
    )
    with pytest.raises(FeedError) as caught:
        fetch_feed(httpserver.url_for("/feed.xml"), allow_private=True)
    assert caught.value.status == 503
    assert caught.value.retry_after == back_at
    assert f"retry after {back_at:%Y-%m-%d %H:%M} UTC" in caught.value.message


@pytest.mark.parametrize("status", [404, 410, 500])
def test_error_statuses_are_feed_errors_without_retry_after(
    httpserver: HTTPServer, status: int
) -> None:
    httpserver.expect_request("/feed.xml").respond_with_data(
        b"no", status=status, headers={"Retry-After": "60"}
    )
    with pytest.raises(FeedError, match=f"HTTP {status}") as caught:
        fetch_feed(httpserver.url_for("/feed.xml"), allow_private=True)
    assert caught.value.status == status
    assert caught.value.retry_after is None


NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120", NOW + timedelta(seconds=120)),
        (" 0 ", NOW),
        ("Sat, 01 Jun 2024 13:30:00 GMT", datetime(2024, 6, 1, 13, 30, tzinfo=UTC)),
        ("Sat, 01 Jun 2024 15:30:00 +0200", datetime(2024, 6, 1, 13, 30, tzinfo=UTC)),
        ("99999999999999999999", NOW + timedelta(days=365)),
        ("soon", None),
        ("-5", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_retry_after(value: str | None, expected: datetime | None) -> None:
    assert parse_retry_after(value, NOW) == expected


def test_cache_control_max_age_is_reported():
    from advocacy.feeds.fetch import parse_max_age

    assert parse_max_age("public, max-age=3600") == 3600
    assert parse_max_age('max-age="120", must-revalidate') == 120
    assert parse_max_age("no-cache") is None
    assert parse_max_age(None) is None
    assert parse_max_age("max-age=soon") is None
