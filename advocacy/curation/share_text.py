"""Suggested share text per network, counted the way each network counts.

X counts a tweet with weights (most Latin, Greek, Cyrillic... characters weigh 1; CJK,
emoji and the rest weigh 2) and any URL as 23, whatever its length. The suggested text
is followed by a space and our short link, so it may weigh at most 280 - 1 - 23 = 256.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

NETWORK_FIELDS = ("linkedin", "x", "facebook", "email_subject", "email_body")
X_LIMIT = 280
X_URL_WEIGHT = 23
X_TEXT_LIMIT = X_LIMIT - 1 - X_URL_WEIGHT
LIMITS = {
    "linkedin": 3000,
    "x": X_TEXT_LIMIT,
    "facebook": 63206,
    "email_subject": 200,
    "email_body": 5000,
}
LABELS = {
    "linkedin": "LinkedIn",
    "x": "X",
    "facebook": "Facebook",
    "email_subject": "Email subject",
    "email_body": "Email body",
}
# Code point ranges X weighs 1 (twitter-text configuration v3); everything else weighs 2.
_LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
_URL = re.compile(r"https?://\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|co|fr|de|uk)\b\S*")


@dataclass(frozen=True, slots=True)
class TextCheck:
    network: str
    length: int
    limit: int

    @property
    def ok(self) -> bool:
        return self.length <= self.limit


def x_weight(text: str) -> int:
    """The weight X gives ``text``: URLs count 23, heavy characters 2, the rest 1."""
    text = unicodedata.normalize("NFC", text)
    total = 0
    position = 0
    for match in _URL.finditer(text):
        total += _char_weight(text[position : match.start()]) + X_URL_WEIGHT
        position = match.end()
    return total + _char_weight(text[position:])


def _char_weight(text: str) -> int:
    weight = 0
    for char in text:
        point = ord(char)
        weight += 1 if any(low <= point <= high for low, high in _LIGHT_RANGES) else 2
    return weight


def measure(network: str, text: str) -> TextCheck:
    length = x_weight(text) if network == "x" else len(text)
    return TextCheck(network, length, LIMITS[network])


def problems(texts: dict[str, str | None]) -> list[str]:
    """What is wrong with the given texts, in words for people (empty: all fine)."""
    found = []
    for network, text in texts.items():
        if network not in LIMITS:
            found.append(f"Unknown network {network!r}; use {', '.join(NETWORK_FIELDS)}.")
            continue
        if text is None:
            continue
        check = measure(network, text)
        if not check.ok:
            found.append(
                f"The {LABELS[network]} text is {check.length} long; the limit is {check.limit}"
                + (" (with the link counted as 23)." if network == "x" else ".")
            )
    return found
