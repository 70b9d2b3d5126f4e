"""``python -m bench``: every benchmark, on SQLite, and on PostgreSQL too with DATABASE_URL."""

from __future__ import annotations

import argparse
import os
import platform
import sys

from bench import feed_refresh


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--feeds", type=int, default=feed_refresh.FEEDS, help="feeds to refresh")
    args = parser.parse_args()
    print(
        f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}",
        flush=True,
    )
    databases: list[str | None] = [None]
    if os.environ.get("DATABASE_URL"):  # an empty database the benchmark may fill and empty
        databases.append(os.environ["DATABASE_URL"])
    try:
        for database_url in databases:
            report = feed_refresh.run(args.feeds, database_url)
            print(feed_refresh.format_report(report), end="\n\n", flush=True)
    except feed_refresh.BenchError as exc:
        sys.exit(f"benchmark failed: {exc}")


if __name__ == "__main__":
    main()
