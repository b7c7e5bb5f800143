"""Runs `python -m devstack` (what `make run` runs) as a separate process, for tests of the process itself."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]


def start_devstack(workdir: Path, ignore_sigint: bool = False, **settings: str) -> subprocess.Popen:
    """`python -m devstack` on free ports, in `workdir` (it writes .local/demo-credentials.json there)."""
    ports = {"AWS_PORT": "0", "EID_PORT": "0", "API_PORT": "0", "FCM_PORT": "0"}
    env = {**os.environ, "PYTHONPATH": str(ROOT), **ports, **settings}
    preexec = (lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if ignore_sigint else None
    return subprocess.Popen(
        [sys.executable, "-m", "devstack"],
        cwd=workdir,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=preexec,
    )


def wait_until_serving(process: subprocess.Popen, workdir: Path, timeout: float = 180.0) -> dict:
    """The credentials file it wrote, once its API answers /v1/health."""
    credentials, deadline = workdir / ".local" / "demo-credentials.json", time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the stack exited while starting"
        if credentials.exists():
            try:
                written = json.loads(credentials.read_text())
                if requests.get(written["api_url"] + "/v1/health", timeout=5).status_code == 200:
                    return written
            except (ValueError, requests.RequestException):
                pass
        time.sleep(0.3)
    raise AssertionError("the stack did not serve /v1/health in time")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.kill()
        process.wait()
