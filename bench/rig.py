"""The moving parts of a benchmark: the feed server process and the RQ worker processes.

Each part is a real process, so that what is measured in one (the workers) never includes
what another spends (the feed server, Redis, the benchmark itself).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

PROJECT_ROOT = Path(__file__).resolve().parent.parent
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
DRAIN_TIMEOUT = 600


class BenchError(RuntimeError):
    """The benchmark could not run, or what it measured was not what it meant to measure."""


def verdict(met: bool) -> str:
    """How a report says whether an aim was reached."""
    return "met" if met else "MISSED"


def markdown_row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def markdown_head(header: Sequence[str]) -> list[str]:
    """A Markdown table's header and rule, as docs/benchmarks.md has them."""
    return [markdown_row(header), "|" + "---|" * len(header)]


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU of a running process (all its threads), from /proc."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS


def process_tree(pid: int) -> list[int]:
    """``pid`` and its descendants (server workers), from /proc."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
            parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += parents.get(current, [])
    return found


def cpu_seconds_or_zero(pid: int) -> float:
    """A process's CPU so far; 0 once it has gone (a worker that exited)."""
    try:
        return process_cpu_seconds(pid)
    except OSError:
        return 0.0


def machine_busy_seconds() -> float:
    """CPU time every process on the machine has used since boot, all cores together."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, fields)
    return (user + nice + system + irq + softirq + steal) / _CLOCK_TICKS


class FeedServerProcess:
    """``bench.feed_server`` in its own process; one loopback address per feed."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.feed_server"],
            cwd=PROJECT_ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        if not line.isdigit():
            self.stop()
            raise BenchError("the feed server did not start")
        self.port = int(line)
        self.control = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", trust_env=False)

    def feed_url(self, n: int) -> str:
        """Feed ``n`` on an address of its own: 127.0.1.1, 127.0.1.2 ... 127.0.4.250."""
        return f"http://127.0.{1 + n // 250}.{1 + n % 250}:{self.port}/feeds/{n}.xml"

    def publish(self) -> None:
        """Every changing feed publishes 20 new items."""
        self.control.post("/publish").raise_for_status()

    def answered(self) -> Counter[int]:
        """Feed requests answered so far, by HTTP status."""
        counts = self.control.get("/stats").raise_for_status().json()
        return Counter({int(status): count for status, count in counts.items()})

    def cpu_seconds(self) -> float:
        return process_cpu_seconds(self.process.pid)

    def stop(self) -> None:
        if hasattr(self, "control"):
            self.control.close()
        self.process.terminate()
        self.process.wait(10)


@dataclass(frozen=True)
class Drained:
    """What draining the queue cost: wall time from the first enqueue to the last job's end,
    CPU time of the workers, and CPU time of the enqueueing (in the calling process)."""

    wall: float
    worker_cpu: float
    enqueue_cpu: float


class WorkerProcesses:
    """``bench.worker_process`` started ``count`` times, waiting for the word to drain."""

    def __init__(self, kind: str, count: int, env: Mapping[str, str], log: Path) -> None:
        self.log = log
        self.processes: list[subprocess.Popen[str]] = []
        with log.open("a") as log_file:
            for _ in range(count):
                self.processes.append(
                    subprocess.Popen(
                        [sys.executable, "-m", "bench.worker_process", kind],
                        cwd=PROJECT_ROOT,
                        env=dict(env),
                        stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE,
                        stderr=log_file,
                        text=True,
                    )
                )
        for process in self.processes:
            assert process.stdout is not None
            if process.stdout.readline().strip() != "ready":
                self.kill()
                raise BenchError(f"a worker did not start:\n{self.log_tail()}")

    def drain(self, enqueue: Callable[[], object]) -> Drained:
        """Run ``enqueue`` here, then let the workers drain the queue and wait for them."""
        started, cpu_started = time.perf_counter(), time.process_time()
        try:
            enqueue()
        except BaseException:
            self.kill()
            raise
        enqueue_cpu = time.process_time() - cpu_started
        for process in self.processes:
            assert process.stdin is not None
            process.stdin.write("go\n")
            process.stdin.flush()
        reports = [self._report(process) for process in self.processes]
        wall = max(report["drained_at"] for report in reports) - started
        cpu = sum(report["cpu"] for report in reports)
        return Drained(wall=wall, worker_cpu=cpu, enqueue_cpu=enqueue_cpu)

    def _report(self, process: subprocess.Popen[str]) -> dict[str, float]:
        try:
            out, _ = process.communicate(timeout=DRAIN_TIMEOUT)
        except subprocess.TimeoutExpired as exc:
            self.kill()
            raise BenchError(f"a worker took over {DRAIN_TIMEOUT} s:\n{self.log_tail()}") from exc
        if process.returncode != 0 or not out.strip():
            raise BenchError(f"a worker failed (exit {process.returncode}):\n{self.log_tail()}")
        return json.loads(out.strip().splitlines()[-1])

    def log_tail(self, chars: int = 4000) -> str:
        """The workers' first traceback, or the end of their log."""
        text = self.log.read_text(errors="replace")
        first = text.find("Traceback")
        return text[first : first + chars] if first >= 0 else text[-chars:]

    def kill(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.kill()
                process.wait()
