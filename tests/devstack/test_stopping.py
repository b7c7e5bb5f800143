"""`python -m devstack` (what `make run` runs) stops within seconds on SIGTERM, and on SIGINT even when started
in the background of a non-interactive shell, which starts it with SIGINT ignored."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
STOP_WITHIN = 15.0


def _start(workdir: Path, ignore_sigint: bool) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "AWS_PORT": "0", "EID_PORT": "0", "API_PORT": "0", "FCM_PORT": "0"}
    preexec = (lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if ignore_sigint else None
    return subprocess.Popen(
        [sys.executable, "-m", "devstack"],
        cwd=workdir,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=preexec,
    )


def _wait_until_serving(process: subprocess.Popen, workdir: Path, timeout: float = 180.0) -> None:
    credentials, deadline = workdir / ".local" / "demo-credentials.json", time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the stack exited while starting"
        if credentials.exists():
            try:
                api_url = json.loads(credentials.read_text())["api_url"]
                if requests.get(api_url + "/v1/health", timeout=5).status_code == 200:
                    return
            except (ValueError, requests.RequestException):
                pass
        time.sleep(0.3)
    raise AssertionError("the stack did not serve /v1/health in time")


@pytest.mark.parametrize(("stop_with", "ignore_sigint"), [(signal.SIGTERM, False), (signal.SIGINT, True)])
def test_the_stack_stops_quickly_and_cleanly(tmp_path, stop_with, ignore_sigint):
    process = _start(tmp_path, ignore_sigint)
    try:
        _wait_until_serving(process, tmp_path)
        process.send_signal(stop_with)
        code = process.wait(timeout=STOP_WITHIN)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert code == 0
