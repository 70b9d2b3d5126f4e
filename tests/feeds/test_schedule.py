from datetime import UTC, datetime, timedelta

import pytest

from advocacy.feeds.schedule import next_fetch_at

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def test_healthy_feed_waits_one_interval() -> None:
    assert next_fetch_at(NOW, interval=HOUR, error_count=0, retry_after=None) == NOW + HOUR


@pytest.mark.parametrize(
    ("errors", "delay"),
    [
        (1, timedelta(hours=2)),
        (2, timedelta(hours=4)),
        (3, timedelta(hours=8)),
        (4, timedelta(hours=16)),
        (5, timedelta(hours=24)),
        (6, timedelta(hours=24)),
        (10_000, timedelta(hours=24)),
    ],
)
def test_consecutive_errors_back_off_exponentially_up_to_a_day(
    errors: int, delay: timedelta
) -> None:
    assert next_fetch_at(NOW, interval=HOUR, error_count=errors, retry_after=None) == NOW + delay


def test_backoff_never_shortens_an_interval_longer_than_a_day() -> None:
    week = timedelta(days=7)
    assert next_fetch_at(NOW, interval=week, error_count=3, retry_after=None) == NOW + week


def test_negative_error_count_counts_as_healthy() -> None:
    assert next_fetch_at(NOW, interval=HOUR, error_count=-2, retry_after=None) == NOW + HOUR


def test_retry_after_pushes_the_next_fetch_out() -> None:
    later = NOW + timedelta(hours=6)
    assert next_fetch_at(NOW, interval=HOUR, error_count=1, retry_after=later) == later


def test_retry_after_sooner_than_the_interval_is_ignored() -> None:
    soon = NOW + timedelta(minutes=5)
    assert next_fetch_at(NOW, interval=HOUR, error_count=0, retry_after=soon) == NOW + HOUR


def test_retry_after_sooner_than_the_backoff_keeps_the_backoff() -> None:
    soon = NOW + timedelta(hours=3)
    result = next_fetch_at(NOW, interval=HOUR, error_count=3, retry_after=soon)
    assert result == NOW + timedelta(hours=8)


def test_retry_after_in_the_past_is_ignored() -> None:
    past = NOW - timedelta(days=1)
    assert next_fetch_at(NOW, interval=HOUR, error_count=0, retry_after=past) == NOW + HOUR


def test_retry_after_is_capped_at_seven_days() -> None:
    far = NOW + timedelta(days=90)
    result = next_fetch_at(NOW, interval=HOUR, error_count=1, retry_after=far)
    assert result == NOW + timedelta(days=7)
