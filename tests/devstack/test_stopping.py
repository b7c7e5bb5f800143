"""`python -m devstack` (what `make run` runs) stops within seconds on SIGTERM, and on SIGINT even when started
in the background of a non-interactive shell, which starts it with SIGINT ignored."""

import signal

import pytest

from tests.devstack.processes import start_devstack, stop, wait_until_serving

STOP_WITHIN = 15.0


@pytest.mark.parametrize(("stop_with", "ignore_sigint"), [(signal.SIGTERM, False), (signal.SIGINT, True)])
def test_the_stack_stops_quickly_and_cleanly(tmp_path, stop_with, ignore_sigint):
    process = start_devstack(tmp_path, ignore_sigint)
    try:
        wait_until_serving(process, tmp_path)
        process.send_signal(stop_with)
        code = process.wait(timeout=STOP_WITHIN)
    finally:
        stop(process)
    assert code == 0
