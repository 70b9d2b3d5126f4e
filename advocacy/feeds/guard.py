"""SSRF guard: refuse URLs that resolve to anything but the public internet.

Feed URLs come from users, so a fetch must not become a way to reach the database, the
cloud metadata service or the admin interface of a router on the server's network.
``check_url`` runs before every request (the fetcher calls it for each redirect hop) and
``check_address`` runs on the peer the connection actually reached, which closes the gap
left by a DNS answer that changes between the check and the connection (DNS rebinding).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from urllib.parse import urlsplit

from advocacy.feeds.errors import UnsafeURLError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

UrlGuard = Callable[[str], None]
"""Raises ``FeedError`` when a URL must not be fetched; the fetcher calls it once per hop."""

ALLOWED_SCHEMES = frozenset({"http", "https"})

# Ranges refused although some Python versions call them global, listed for the reader too.
_BLOCKED_NETWORKS = tuple(
    ipaddress.ip_network(net)
    for net in (
        "100.64.0.0/10",  # carrier-grade NAT, also Alibaba's metadata service
        "169.254.169.254/32",  # AWS, GCP, Azure... metadata
        "fd00:ec2::254/128",  # AWS metadata over IPv6
    )
)

# IPv6 ranges whose low 32 bits are an IPv4 address that is the real destination.
_EMBEDDING_NETWORKS = tuple(
    ipaddress.ip_network(net)
    for net in (
        "::/96",  # IPv4-compatible (deprecated)
        "::ffff:0:0/96",  # IPv4-mapped
        "64:ff9b::/96",  # NAT64 well-known prefix
        "64:ff9b:1::/48",  # NAT64 local use
    )
)


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.sixtofour is not None:
        return address.sixtofour
    if any(address in net for net in _EMBEDDING_NETWORKS):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public_address(address: IPAddress) -> bool:
    """True when ``address`` is a globally routable unicast address outside our blocklist."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None and not is_public_address(embedded):
            return False
    if address.is_multicast or not address.is_global:
        return False
    return not any(address in net for net in _BLOCKED_NETWORKS)


def check_address(address: str, *, allow_private: bool) -> None:
    """Refuse a resolved or connected-to address unless it is public (or private is allowed)."""
    if allow_private:
        return
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError as exc:
        raise UnsafeURLError(f"Refusing to connect to an unrecognised address: {address}") from exc
    if not is_public_address(parsed):
        raise UnsafeURLError(
            f"Refusing to fetch from {address}: it is not a public internet address"
        )


def check_url(url: str, allow_private: bool) -> None:
    """Raise ``UnsafeURLError`` unless ``url`` is http(s) and every address it resolves to is
    public. ``allow_private`` (for intranet deployments and tests) lifts the address rule but
    never the scheme rule."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeURLError(f"{url!r} is not a valid URL") from exc
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise UnsafeURLError(f"Only http and https feeds can be fetched, not {url!r}")
    host = parts.hostname
    if not host:
        raise UnsafeURLError(f"{url!r} has no host name")
    if allow_private:
        return
    if port is None:
        port = 443 if parts.scheme.lower() == "https" else 80
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise UnsafeURLError(f"Could not resolve the host name {host!r}") from exc
    if not infos:
        raise UnsafeURLError(f"The host name {host!r} has no address")
    for info in infos:
        address = str(info[4][0]).split("%", 1)[0]  # drop an IPv6 scope id
        try:
            check_address(address, allow_private=False)
        except UnsafeURLError as exc:
            raise UnsafeURLError(
                f"Refusing to fetch {url!r}: {host} resolves to {address}, "
                "which is not a public internet address"
            ) from exc


def url_guard(*, allow_private: bool) -> UrlGuard:
    """The default per-hop guard for ``fetch_feed``."""

    def guard(url: str) -> None:
        check_url(url, allow_private)

    return guard
