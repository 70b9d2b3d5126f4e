"""Fixtures for the feed pipeline tests: feed files on disk and a server that never answers."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

FILES = Path(__file__).parent / "files"


@pytest.fixture
def feed_file() -> Callable[[str], bytes]:
    """Read one of the fixture files under tests/feeds/files as bytes."""

    def read(name: str) -> bytes:
        return (FILES / name).read_bytes()

    return read


@pytest.fixture
def silent_server() -> Iterator[str]:
    """URL of a TCP server that accepts connections (the kernel completes the handshake for
    the listen backlog) and never sends a byte, to exercise read timeouts."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        host, port = listener.getsockname()
        yield f"http://{host}:{port}/feed.xml"


@pytest.fixture
def closed_port_url() -> str:
    """URL of a local port that nothing listens on, to exercise connection errors."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/feed.xml"
