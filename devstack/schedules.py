"""Stands in for EventBridge schedules locally (chalice local runs none): calls every scheduled handler of the
app in-process with a Lambda-shaped scheduled event, 60 times as often as its rate says (a 15-minute schedule
every 15 s, an hourly one every minute, a cron one every minute) and never more often than every `interval`
seconds: the local stack stays lively without the slow schedules loading the embedded AWS."""

import importlib
import threading
import time
from collections.abc import Callable
from typing import Any

from chalice.app import Chalice, Rate, ScheduledEventConfig

from chalicelib import logs

Handler = Callable[[dict[str, Any], Any], Any]


LOCAL_SPEED_UP = 60
_CRON_LOCAL_SECONDS = 60.0
_RATE_SECONDS = {Rate.MINUTES: 60, Rate.HOURS: 3600, Rate.DAYS: 86400}


def scheduled_handlers(app: Chalice) -> dict[str, tuple[Handler, float]]:
    """Schedule name -> the Lambda handler Chalice registered for it, and how often it runs locally (seconds)."""
    handlers = {}
    for source in app.event_sources:
        if isinstance(source, ScheduledEventConfig):
            module_name, _, attribute = source.handler_string.rpartition(".")
            handler = getattr(importlib.import_module(module_name), attribute)
            handlers[source.name] = (handler, _local_period(source.schedule_expression))
    return handlers


def _local_period(expression: object) -> float:
    if isinstance(expression, Rate):
        return expression.value * _RATE_SECONDS[expression.unit] / LOCAL_SPEED_UP
    return _CRON_LOCAL_SECONDS


class ScheduleRunner:
    def __init__(
        self,
        handlers: dict[str, tuple[Handler, float]],
        interval_seconds: float = 5.0,
        clock: Callable[[], float] = time.time,  # the time the events say (devstack.clock moves it in `make run`)
    ):
        self._handlers, self._interval, self._clock = handlers, interval_seconds, clock
        self._next_run = {name: 0.0 for name in handlers}
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="schedules", daemon=True)

    def start(self) -> "ScheduleRunner":
        self._thread.start()
        return self

    def request_stop(self) -> None:
        self._stopping.set()

    def stop(self, timeout: float | None = None) -> None:
        self.request_stop()
        self._thread.join(timeout=self._interval + 5 if timeout is None else timeout)

    def run_once(self) -> None:
        """Runs the schedules that are due."""
        now = time.monotonic()
        for name, (handler, period) in self._handlers.items():
            if now < self._next_run[name]:
                continue
            self._next_run[name] = now + max(period, self._interval) - 0.5  # a tick's jitter does not skip a turn
            try:
                handler(_scheduled_event(name, self._clock()), None)
            except Exception as error:  # one failing schedule must not stop the others
                logs.log("local_schedule_failed", level="ERROR", schedule=name, error=type(error).__name__)

    def _run(self) -> None:
        while not self._stopping.wait(self._interval):
            self.run_once()


def _scheduled_event(name: str, now: float) -> dict[str, Any]:
    return {
        "version": "0",
        "id": name,
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "000000000000",
        "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now)),
        "region": "local",
        "resources": [f"arn:aws:events:local:000000000000:rule/{name}"],
        "detail": {},
    }
