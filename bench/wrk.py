"""Running wrk (Debian's package) and reading its report."""

from __future__ import annotations

import re
import subprocess

from bench.rig import BenchError


def has_wrk() -> bool:
    try:
        subprocess.run(["wrk", "--version"], capture_output=True, check=False)
    except FileNotFoundError:
        return False
    return True


def run_wrk(url: str, seconds: int, connections: int, threads: int, headers: dict[str, str]) -> str:
    """wrk's report of a run against ``url``, with latency percentiles."""
    args = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s"]
    args += ["--latency", "--timeout", "10s"]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    args.append(url)
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BenchError(f"wrk failed: {done.stderr or done.stdout}")
    return done.stdout


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
_DURATION = r"([\d.]+)(us|ms|s|m)\b"


def _ms(value: str, unit: str) -> float:
    return float(value) * _UNITS[unit]


def parse_wrk(out: str) -> dict[str, float | int]:
    """Requests, seconds, requests/s, p50/p99/max latency (ms) and errors from wrk's report."""
    found: dict[str, float | int] = {}
    for name, percent in (("p50", "50"), ("p99", "99")):
        match = re.search(rf"^\s+{percent}%\s+{_DURATION}", out, re.MULTILINE)
        if not match:
            raise BenchError(f"no {percent}% latency in wrk's output:\n{out}")
        found[name] = _ms(*match.groups())
    latency = re.search(rf"Latency\s+{_DURATION}\s+{_DURATION}\s+{_DURATION}", out)
    total = re.search(r"(\d+) requests in ([\d.]+)(ms|s|m)", out)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if not (latency and total and rps):
        raise BenchError(f"unexpected wrk output:\n{out}")
    found["max"] = _ms(*latency.groups()[4:6])
    found["requests"] = int(total.group(1))
    found["seconds"] = _ms(total.group(2), total.group(3)) / 1000
    found["rps"] = float(rps.group(1))
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    non_3xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    found["errors"] = sum(map(int, errors.groups())) if errors else 0
    found["errors"] += int(non_3xx.group(1)) if non_3xx else 0
    return found
