"""``make run``'s supervisor: everything comes up, and Ctrl-C leaves no process behind."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import httpx

from advocacy.config import PROJECT_ROOT
from advocacy.migrate import upgrade


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _processes_with(marker: str) -> list[int]:
    """Pids whose environment carries ``marker``: the supervisor and all it started."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if marker.encode() in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


class OutputWatcher:
    """Reads a process's output in a thread and signals when a line matches."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.lines: list[str] = []
        self.process = process
        self._wanted: list[tuple[str, threading.Event]] = []
        self._lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for raw in self.process.stdout:
            line = raw.decode(errors="replace")
            with self._lock:
                self.lines.append(line)
                for text, event in self._wanted:
                    if text in line:
                        event.set()
        with self._lock:
            for _text, event in self._wanted:
                event.set()  # the process ended: stop waiting

    def wait_for(self, text: str, timeout: float) -> bool:
        event = threading.Event()
        with self._lock:
            if any(text in line for line in self.lines):
                return True
            self._wanted.append((text, event))
        event.wait(timeout)
        return any(text in line for line in self.lines)


def test_everything_starts_answers_and_stops_on_ctrl_c(tmp_path):
    port = _free_port()
    marker = f"ADVOCACY_TEST_MARKER={tmp_path.name}"
    env = {
        **os.environ,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'run.db'}",
        "PORT": str(port),
        "ADVOCACY_TEST_MARKER": tmp_path.name,
    }
    env.pop("REDIS_URL", None)  # the supervisor starts its embedded Redis
    upgrade(env["DATABASE_URL"])
    process = subprocess.Popen(
        [sys.executable, "-m", "advocacy.supervisor"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    output = OutputWatcher(process)
    try:
        assert output.wait_for(f"http://127.0.0.1:{port}/", 60), "".join(output.lines)
        health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).json()
        assert (health["db"], health["redis"]) == ("ok", "ok")
        assert "admin@demo.example" in "".join(output.lines)
        # The scheduler enqueues the heartbeat at start and the worker runs it.
        assert output.wait_for("job record_heartbeat ok", 60), "".join(output.lines)
        assert len(_processes_with(marker)) >= 5  # supervisor, redis, web (2+), worker, scheduler
    finally:
        process.send_signal(signal.SIGINT)
        status = process.wait(60)
    assert status == 0, "".join(output.lines[-30:])
    assert _processes_with(marker) == []
