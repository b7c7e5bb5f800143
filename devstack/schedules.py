"""Stands in for EventBridge schedules locally (chalice local runs none): calls every scheduled handler
of the app in-process, every `interval` seconds, with a Lambda-shaped scheduled event."""

import importlib
import threading
import time
from collections.abc import Callable
from typing import Any

from chalice.app import Chalice, ScheduledEventConfig

from chalicelib import logs

Handler = Callable[[dict[str, Any], Any], Any]


def scheduled_handlers(app: Chalice) -> dict[str, Handler]:
    """Schedule name -> the Lambda handler Chalice registered for it."""
    handlers = {}
    for source in app.event_sources:
        if isinstance(source, ScheduledEventConfig):
            module_name, _, attribute = source.handler_string.rpartition(".")
            handlers[source.name] = getattr(importlib.import_module(module_name), attribute)
    return handlers


class ScheduleRunner:
    def __init__(self, handlers: dict[str, Handler], interval_seconds: float = 5.0):
        self._handlers, self._interval = handlers, interval_seconds
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
        for name, handler in self._handlers.items():
            try:
                handler(_scheduled_event(name), None)
            except Exception as error:  # one failing schedule must not stop the others
                logs.log("local_schedule_failed", level="ERROR", schedule=name, error=type(error).__name__)

    def _run(self) -> None:
        while not self._stopping.wait(self._interval):
            self.run_once()


def _scheduled_event(name: str) -> dict[str, Any]:
    return {
        "version": "0",
        "id": name,
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "000000000000",
        "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "region": "local",
        "resources": [f"arn:aws:events:local:000000000000:rule/{name}"],
        "detail": {},
    }
