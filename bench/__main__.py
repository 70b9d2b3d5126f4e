"""``python -m bench``: every benchmark, on SQLite, and on PostgreSQL too with DATABASE_URL.

``--only feeds|redirect|aggregate|stats`` runs one. Default sizes are modest so that
``make bench`` ends in reasonable time; ``--full`` uses the issues' sizes (each size also has
its own flag). The redirect benchmark runs on SQLite only: a cache hit does no SQL.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys

from bench import aggregate, feed_refresh, redirect, stats
from bench.rig import BenchError

BENCHMARKS = ("feeds", "redirect", "aggregate", "stats")
FULL = {"duration": 20, "clicks": 1_000_000, "history": 10_000_000} | {
    f"stats_{name}": size for name, size in stats.FULL.items()
}


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--only", choices=BENCHMARKS, help="run this benchmark alone")
    parser.add_argument("--full", action="store_true", help="the issues' sizes, for all")
    parser.add_argument(
        "--postgresql-only", action="store_true", help="with DATABASE_URL: skip the SQLite runs"
    )
    parser.add_argument("--feeds", type=int, default=feed_refresh.FEEDS, help="feeds to refresh")
    group = parser.add_argument_group("redirect")
    group.add_argument("--duration", type=int, default=redirect.DURATION, help="s per wrk run")
    group.add_argument("--connections", type=int, default=redirect.CONNECTIONS)
    group.add_argument(
        "--servers", help=f"comma-separated, among: {', '.join(redirect.SERVERS)} (default all)"
    )
    group.add_argument(
        "--info-servers",
        help=f"run again with LOG_LEVEL=INFO (comma-separated; default: {redirect.PRODUCTION})",
    )
    group = parser.add_argument_group("aggregate")
    group.add_argument("--clicks", type=int, default=aggregate.CLICKS, help="clicks to drain")
    group.add_argument("--history", type=int, default=aggregate.HISTORY, help="raw rows before")
    group.add_argument("--links", type=int, default=aggregate.LINKS, help="share links clicked")
    group = parser.add_argument_group("stats")
    group.add_argument("--stats-teams", type=int, default=stats.TEAMS)
    group.add_argument("--stats-people", type=int, default=stats.PEOPLE)
    group.add_argument("--stats-links", type=int, default=stats.LINKS)
    group.add_argument("--stats-clicks", type=int, default=stats.CLICKS)
    group.add_argument("--repeat", type=int, default=stats.REPEAT, help="requests per endpoint")
    args = parser.parse_args(argv)
    if args.full:
        for name, size in FULL.items():
            if getattr(args, name) == parser.get_default(name):
                setattr(args, name, size)
    return args


def main() -> None:
    args = parse()
    print(
        f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}",
        flush=True,
    )
    databases: list[str | None] = [None]
    if os.environ.get("DATABASE_URL"):  # an empty database the benchmark may fill and empty
        databases.append(os.environ["DATABASE_URL"])
        if args.postgresql_only:
            databases.remove(None)
    chosen = [args.only] if args.only else list(BENCHMARKS)
    try:
        if "feeds" in chosen:
            for database_url in databases:
                report = feed_refresh.run(args.feeds, database_url)
                print(feed_refresh.format_report(report), end="\n\n", flush=True)
        if "redirect" in chosen:
            servers = args.servers.split(",") if args.servers else None
            info = args.info_servers.split(",") if args.info_servers else None
            result = redirect.run(args.duration, args.connections, servers, info_servers=info)
            print(redirect.format_report(result), end="\n\n", flush=True)
        if "aggregate" in chosen:
            for database_url in databases:
                drained = aggregate.run(args.clicks, args.history, args.links, database_url)
                print(aggregate.format_report(drained), end="\n\n", flush=True)
        if "stats" in chosen:
            for database_url in databases:
                measured = stats.run(
                    args.stats_teams,
                    args.stats_people,
                    args.stats_links,
                    args.stats_clicks,
                    database_url,
                    args.repeat,
                )
                print(stats.format_report(measured), end="\n\n", flush=True)
    except BenchError as exc:
        sys.exit(f"benchmark failed: {exc}")


if __name__ == "__main__":
    main()
