"""``make run``: every process of the service in one terminal, stopped together by Ctrl-C.

Starts the embedded Redis (when ``REDIS_URL`` is unset), then gunicorn, the RQ worker
and the scheduler, each in its own session so that the supervisor alone decides the
order of shutdown: web first, Redis last. If any of them dies, all are stopped.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass, field

from .config import PROJECT_ROOT, Settings
from .demo import DEMO_PASSWORD, DEMO_USERS
from .embedded_redis import EmbeddedRedis


@dataclass
class Supervisor:
    settings: Settings
    host: str
    port: int
    children: list[tuple[str, subprocess.Popen[bytes]]] = field(default_factory=list)
    redis: EmbeddedRedis | None = None

    def start(self) -> None:
        env = dict(os.environ)  # children read the same environment, plus what is set here
        if self.settings.redis_embedded:
            self.redis = EmbeddedRedis(self.settings.instance_path).start()
            env["REDIS_URL"] = self.redis.url
        env.setdefault("SHORT_LINK_BASE_URL", f"http://{self.host}:{self.port}")
        python = sys.executable
        self._spawn(
            "web",
            [
                python,
                "-m",
                "gunicorn",
                "wsgi:app",
                "--bind",
                f"{self.host}:{self.port}",
                "--workers",
                os.environ.get("WEB_WORKERS", "4"),
                "--worker-class",
                "sync",  # the fastest robust choice for the redirect: docs/benchmarks.md
                "--graceful-timeout",
                "5",
                "--log-level",
                "warning",
            ],
            env,
        )
        self._spawn("worker", [python, "worker.py"], env)
        self._spawn("scheduler", [python, "-m", "advocacy.scheduler"], env)

    def _spawn(self, name: str, args: list[str], env: dict[str, str]) -> None:
        process = subprocess.Popen(args, cwd=PROJECT_ROOT, env=env, start_new_session=True)
        self.children.append((name, process))

    def wait(self) -> int:
        """Block until a signal arrives or a child exits; return the exit status to use.

        The banner is printed once the web server accepts connections, so that the
        address it shows works when it appears.
        """
        received: list[int] = []

        def on_signal(signum: int, _frame: object) -> None:
            received.append(signum)

        signal.signal(signal.SIGINT, on_signal)
        signal.signal(signal.SIGTERM, on_signal)
        announced = False
        while not received:
            for name, process in self.children:
                if process.poll() is not None:
                    print(f"{name} exited with status {process.returncode}", file=sys.stderr)
                    return 1
            if not announced and self._web_is_up():
                print(banner(self.host, self.port), flush=True)
                announced = True
            signal.sigtimedwait([signal.SIGCHLD], 1.0 if announced else 0.2)
        return 0

    def _web_is_up(self) -> bool:
        host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        try:
            with socket.create_connection((host, self.port), timeout=0.5):
                return True
        except OSError:
            return False

    def stop(self) -> None:
        for _name, process in self.children:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for _name, process in self.children:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self.redis is not None:
            self.redis.stop()


def banner(host: str, port: int) -> str:
    lines = [
        "",
        f"  Employee advocacy is running at http://{host}:{port}/",
        "  Demo sign-ins (password for all: " + DEMO_PASSWORD + "):",
        *(f"    {u.role:<9} {u.email}" for u in DEMO_USERS),
        "  Press Ctrl-C to stop everything.",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    settings = Settings.from_env()
    host, port = settings.host, settings.port
    supervisor = Supervisor(settings, host, port)
    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGCHLD])
    try:
        supervisor.start()
        status = supervisor.wait()
    finally:
        supervisor.stop()
    return status


if __name__ == "__main__":
    sys.exit(main())
