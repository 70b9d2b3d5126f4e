"""The job the baseline runs: nothing, so that what it costs is RQ's own work per job."""

from __future__ import annotations


def empty_job() -> None:
    """Does nothing; the worker process imports this module before it forks any horse."""
