"""Run the real ``voicecheck serve`` process on a free loopback port, for the benchmarks."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_server(models: Path, log_path: Path, *, ready_within: float = 300.0) -> Iterator[tuple[str, int]]:
    """Start the server on ``models``, wait until /healthz is ready, yield (base URL, pid), stop it."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as log:
        server = subprocess.Popen([sys.executable, "-m", "voicecheck", "serve", "--host", "127.0.0.1", "--port",
                                   str(port), "--models", str(models)], cwd=ROOT, stdout=log,
                                  stderr=subprocess.STDOUT,
                                  env={**{k: v for k, v in os.environ.items() if k != "VOICECHECK_API_KEYS"},
                                       "HF_HUB_OFFLINE": "1"})
        try:
            deadline = time.monotonic() + ready_within
            while True:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("server did not start: " + log_path.read_text()[-3000:])
                try:
                    if httpx.get(base + "/healthz", timeout=5).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.3)
            yield base, server.pid
        finally:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
