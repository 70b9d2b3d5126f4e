from __future__ import annotations

from datetime import UTC, datetime

import pytest

from advocacy.models import Post, PostStatus, utcnow

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def make_post(session):
    """A post with sensible defaults, committed."""
    count = 0

    def make(status: PostStatus = PostStatus.PENDING, **fields) -> Post:
        nonlocal count
        count += 1
        post = Post(
            url=f"https://example.com/{count}",
            canonical_url=f"https://example.com/{count}",
            title=fields.pop("title", f"Post {count}"),
            status=status.value,
            published_at=fields.pop("published_at", NOW),
            first_seen_at=utcnow(),
            updated_at=utcnow(),
            **fields,
        )
        session.add(post)
        session.commit()
        return post

    return make
