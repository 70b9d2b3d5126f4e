from __future__ import annotations

from advocacy.curation.share_text import X_TEXT_LIMIT, measure, problems, x_weight


def test_x_counts_urls_as_23_and_wide_characters_as_2():
    assert x_weight("hello") == 5
    assert x_weight("see https://example.com/a/very/long/path?with=query") == 4 + 23
    assert x_weight("日本語") == 6
    assert x_weight("café") == 4  # NFC: one character for é
    assert x_weight("cafe\u0301") == 4


def test_the_x_limit_leaves_room_for_a_space_and_the_link():
    assert X_TEXT_LIMIT == 256
    assert measure("x", "a" * 256).ok
    assert not measure("x", "a" * 257).ok
    assert not measure("x", "語" * 129).ok  # 258 by X's count, 129 by len()


def test_problems_name_the_network_and_the_numbers():
    found = problems({"x": "a" * 300, "linkedin": "fine", "email_subject": "s" * 201})
    assert len(found) == 2
    assert "X text is 300 long; the limit is 256" in found[0]
    assert "Email subject text is 201 long; the limit is 200" in found[1]
    assert problems({"myspace": "hi"}) == [
        "Unknown network 'myspace'; use linkedin, x, facebook, email_subject, email_body."
    ]
    assert problems({"x": None, "linkedin": ""}) == []
