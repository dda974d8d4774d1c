"""Start and stop the servers `make bench` measures: the ceiling (benchmarks/hello.py) and the portal in production
mode, both on the same gunicorn settings, on a free port of 127.0.0.1. Also reads each worker's peak memory."""

from __future__ import annotations

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = [sys.executable, "-m", "gunicorn", "--workers", "2", "--worker-class", "sync", "--timeout", "60"]
REDIS_URL = "redis://127.0.0.1:6379/5"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def peak_rss_mib(self) -> list[float]:
        """VmHWM (peak resident memory) of each worker, in MiB."""
        peaks = []
        for pid in self.workers():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        return peaks

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _wait_ready(server: Server, path: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited at start; see {server.log}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
            conn.request("GET", path, headers={"X-Forwarded-Proto": "https"})
            status = conn.getresponse().status
            conn.close()
            if status == 200 and len(server.workers()) == 2:
                return
        except OSError:
            pass
        time.sleep(0.3)
    server.stop()
    raise RuntimeError(f"{server.name} did not answer {path} within {seconds:.0f} s; see {server.log}")


def _start(name: str, app: str, env: dict[str, str], log_dir: Path, ready_path: str) -> Server:
    port = free_port()
    log = log_dir / f"{name}.log"
    with log.open("ab") as out:
        process = subprocess.Popen(
            [*GUNICORN, "--bind", f"127.0.0.1:{port}", app], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    server = Server(name, port, process, log)
    _wait_ready(server, ready_path)
    return server


def start_ceiling(log_dir: Path) -> Server:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PORTAL_", "APP_"))}
    return _start("ceiling", "benchmarks.hello:app", env, log_dir, "/")


def portal_environment(database_url: str, instance: Path) -> dict[str, str]:
    """Production mode with what production requires: a random SECRET_KEY, PostgreSQL, Redis for the limiter, the
    site's https address (127.0.0.1, so that is the one trusted host) and one trusted proxy (the TLS proxy the
    clients stand in for). Every other setting keeps its production default (rate limits included)."""
    drop = ("PORTAL_", "RATELIMIT_", "DATABASE_URL", "TRUSTED_", "PUBLIC_BASE_URL")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    env.update(
        APP_ENV="production",
        SECRET_KEY=secrets.token_hex(32),
        DATABASE_URL=database_url,
        REDIS_URL=REDIS_URL,
        PUBLIC_BASE_URL="https://127.0.0.1",
        TRUSTED_PROXY_COUNT="1",
        PORTAL_INSTANCE_PATH=str(instance),
    )
    return env


def start_portal(database_url: str, log_dir: Path, name: str = "portal") -> Server:
    instance = log_dir / "instance"
    instance.mkdir(parents=True, exist_ok=True)
    return _start(name, "wsgi:app", portal_environment(database_url, instance), log_dir, "/health")


def clear_limiter_counts() -> int:
    """Forget the rate limiter's counts from earlier measurements (only in our own Redis database, only the
    limiter's keys), so one measurement's addresses never meet another's limits."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match="LIMITS:*", count=1000))
    for start in range(0, len(keys), 1000):
        client.delete(*keys[start : start + 1000])
    client.close()
    return len(keys)
