"""Content-Encoding decoding that stops at a size cap.

httpx decompresses each network chunk in one go, so a few kilobytes of brotli or gzip can
expand to gigabytes in memory before any size check runs. These decoders are asked for at
most ``limit`` bytes per call instead, and the caller stops as soon as the cap is passed.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from typing import Protocol

import brotli

from advocacy.feeds.errors import FeedError, FeedTooLargeError

ACCEPT_ENCODING = "gzip, deflate, br"


class _Decoder(Protocol):
    def decompress(self, data: bytes, limit: int) -> bytes: ...


class _Identity:
    def decompress(self, data: bytes, limit: int) -> bytes:
        return data


class _Zlib:
    def __init__(self, wbits: int, *, raw_fallback: bool = False) -> None:
        self._obj = zlib.decompressobj(wbits)
        self._raw_fallback = raw_fallback  # servers send raw deflate as often as zlib

    def decompress(self, data: bytes, limit: int) -> bytes:
        try:
            out = self._obj.decompress(data, limit)
        except zlib.error:
            if not self._raw_fallback:
                raise
            self._raw_fallback = False
            self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
            out = self._obj.decompress(data, limit)
        self._raw_fallback = False
        return out


class _Brotli:
    def __init__(self) -> None:
        self._obj = brotli.Decompressor()

    def decompress(self, data: bytes, limit: int) -> bytes:
        out = self._obj.process(data, output_buffer_limit=limit)
        while len(out) < limit and not self._obj.can_accept_more_data():
            out += self._obj.process(b"", output_buffer_limit=limit - len(out))
        return out


def _decoder_for(content_encoding: str | None) -> _Decoder:
    codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    if not codings:
        return _Identity()
    if len(codings) == 1:
        coding = codings[0]
        if coding in ("gzip", "x-gzip"):
            return _Zlib(16 + zlib.MAX_WBITS)
        if coding == "deflate":
            return _Zlib(zlib.MAX_WBITS, raw_fallback=True)
        if coding == "br":
            return _Brotli()
    raise FeedError(f"The server used an unsupported Content-Encoding: {content_encoding}")


def read_body(chunks: Iterable[bytes], content_encoding: str | None, max_bytes: int) -> bytes:
    """Decode raw body ``chunks``; raise ``FeedTooLargeError`` once past ``max_bytes``."""
    decoder = _decoder_for(content_encoding)
    body = bytearray()
    for chunk in chunks:
        try:
            body += decoder.decompress(chunk, max_bytes - len(body) + 1)
        except (zlib.error, brotli.error) as exc:
            raise FeedError(f"The response body could not be decompressed: {exc}") from exc
        if len(body) > max_bytes:
            raise FeedTooLargeError(f"The feed is larger than the {max_bytes:,} bytes allowed")
    return bytes(body)
