import ipaddress

import pytest

from advocacy.feeds.errors import FeedError, UnsafeURLError
from advocacy.feeds.guard import check_address, check_url, is_public_address

REFUSED_WHEN_PRIVATE_NOT_ALLOWED = [
    "http://127.0.0.1/feed",
    "http://127.1.2.3:8080/feed",
    "http://localhost/feed",
    "http://LOCALHOST:5000/feed",
    "http://2130706433/feed",  # 127.0.0.1 written as one decimal number
    "http://10.1.2.3/feed",
    "http://172.16.0.1/feed",
    "http://192.168.1.10/feed",
    "http://169.254.169.254/latest/meta-data/",
    "http://169.254.10.20/",
    "http://100.64.0.1/",
    "http://100.100.100.200/",  # Alibaba Cloud metadata, inside carrier-grade NAT space
    "http://0.0.0.0/",
    "http://224.0.0.1/",
    "http://239.255.255.250/",
    "http://240.0.0.1/",
    "http://255.255.255.255/",
    "http://198.18.0.1/",
    "http://[::1]/feed",
    "http://[::]/feed",
    "http://[fd00:ec2::254]/latest/meta-data/",
    "http://[fc00::1]/",
    "http://[fe80::1]/",
    "http://[ff02::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:169.254.169.254]/",
    "http://[::ffff:10.0.0.1]/",
    "http://[::127.0.0.1]/",
    "http://[64:ff9b::7f00:1]/",  # NAT64 of 127.0.0.1
    "http://[2002:a9fe:a9fe::1]/",  # 6to4 of 169.254.169.254
    "http://[2001:db8::1]/",
]


@pytest.mark.parametrize("url", REFUSED_WHEN_PRIVATE_NOT_ALLOWED)
def test_non_public_destinations_are_refused(url: str) -> None:
    with pytest.raises(UnsafeURLError, match="not a public internet address"):
        check_url(url, allow_private=False)


def test_refusal_names_the_resolved_address() -> None:
    with pytest.raises(UnsafeURLError) as caught:
        check_url("http://localhost:8000/feed.xml", allow_private=False)
    assert "localhost resolves to 127.0.0.1" in caught.value.message


@pytest.mark.parametrize(
    "url",
    [
        "http://93.184.216.34/feed.xml",
        "https://8.8.8.8:8443/rss",
        "https://[2606:4700:4700::1111]/feed",
        "http://[::ffff:8.8.8.8]/feed",
    ],
)
def test_public_addresses_are_allowed(url: str) -> None:
    assert check_url(url, allow_private=False) is None


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:5000/feed", "http://localhost/feed", "http://[fd00:ec2::254]/"]
)
def test_allow_private_lifts_the_address_rule(url: str) -> None:
    assert check_url(url, allow_private=True) is None


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://93.184.216.34/feed.xml",
        "gopher://93.184.216.34/",
        "javascript:alert(1)",
        "data:text/xml,<rss/>",
        "feed.xml",
        "http:///feed.xml",
    ],
)
def test_only_http_urls_with_a_host_pass_even_when_private_is_allowed(url: str) -> None:
    with pytest.raises(UnsafeURLError):
        check_url(url, allow_private=True)


def test_invalid_url_is_refused_with_a_message() -> None:
    with pytest.raises(UnsafeURLError, match="not a valid URL"):
        check_url("http://[::1/feed", allow_private=False)


def test_unresolvable_host_is_a_feed_error() -> None:
    with pytest.raises(FeedError, match=r"Could not resolve the host name 'nowhere\.invalid'"):
        check_url("http://nowhere.invalid/feed", allow_private=False)


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2606:4700:4700::1111", True),
        ("::ffff:8.8.8.8", True),
        ("2002:808:808::1", True),  # 6to4 of a public address
        ("64:ff9b::808:808", True),  # NAT64 of a public address
        ("100.127.255.254", False),
        ("169.254.169.254", False),
        ("fd00:ec2::254", False),
        ("::ffff:192.168.0.1", False),
        ("64:ff9b:1::a00:1", False),  # local-use NAT64 of 10.0.0.1
        ("233.252.0.1", False),  # multicast, which Python calls global
        ("ff0e::1", False),
    ],
)
def test_is_public_address(address: str, public: bool) -> None:
    assert is_public_address(ipaddress.ip_address(address)) is public


def test_check_address_refuses_private_and_accepts_public() -> None:
    with pytest.raises(UnsafeURLError, match=r"10\.0\.0\.7"):
        check_address("10.0.0.7", allow_private=False)
    assert check_address("1.1.1.1", allow_private=False) is None
    assert check_address("10.0.0.7", allow_private=True) is None
