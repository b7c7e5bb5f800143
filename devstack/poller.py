"""Stands in for Lambda's SQS event source locally (chalice local triggers none): long-polls each queue
and calls the app's handler in-process with a Lambda-shaped event. A failed batch is left on the queue,
so visibility timeout and the redrive policy send it back or to the DLQ, as on AWS."""

import importlib
import threading
import time
from collections.abc import Callable
from typing import Any

from chalice.app import Chalice, SQSEventConfig

from chalicelib import logs

Handler = Callable[[dict[str, Any], Any], Any]


def sqs_handlers(app: Chalice) -> dict[str, Handler]:
    """Queue name -> the Lambda handler Chalice registered for it."""
    handlers = {}
    for source in app.event_sources:
        if isinstance(source, SQSEventConfig) and source.queue:
            module_name, _, attribute = source.handler_string.rpartition(".")
            handlers[source.queue] = getattr(importlib.import_module(module_name), attribute)
    return handlers


class SqsPoller:
    def __init__(self, sqs: Any, routes: dict[str, Handler], wait_seconds: int = 1):
        self._sqs, self._routes, self._wait = sqs, routes, wait_seconds  # routes: queue URL -> handler
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> "SqsPoller":
        for url, handler in self._routes.items():
            thread = threading.Thread(target=self._poll, args=(url, handler), daemon=True, name=f"poll {url}")
            thread.start()
            self._threads.append(thread)
        return self

    def request_stop(self) -> None:
        """No new receive starts; a long poll in flight ends within `wait_seconds`."""
        self._stopping.set()

    def stop(self, timeout: float | None = None) -> None:
        """One deadline for all threads (they are daemons: one stuck in a handler does not hold the exit)."""
        self.request_stop()
        deadline = time.monotonic() + (self._wait + 5 if timeout is None else timeout)
        for thread in self._threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))

    def drain_once(self, url: str) -> int:
        """One receive-and-handle round; returns how many messages were handled."""
        messages = self._sqs.receive_message(
            QueueUrl=url,
            MaxNumberOfMessages=10,
            WaitTimeSeconds=self._wait,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if not messages:
            return 0
        try:
            self._routes[url](_lambda_event(url, messages), None)
        except Exception as error:  # the batch stays on the queue; redrive decides its fate
            logs.log(
                "local_worker_failed",
                level="ERROR",
                queue=url.rsplit("/", 1)[-1],
                error=type(error).__name__,
                why=str(error)[:300],
            )
            return 0
        self._sqs.delete_message_batch(
            QueueUrl=url, Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)]
        )
        return len(messages)

    def _poll(self, url: str, handler: Handler) -> None:
        while not self._stopping.is_set():
            try:
                self.drain_once(url)
            except Exception as error:  # the embedded AWS going away at shutdown, mostly
                logs.log("local_poller_error", level="WARNING", error=type(error).__name__)
                self._stopping.wait(1)


def _lambda_event(url: str, messages: list[dict[str, Any]]) -> dict[str, Any]:
    arn = "arn:aws:sqs:local:000000000000:" + url.rsplit("/", 1)[-1]
    return {
        "Records": [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": m.get("Attributes", {}),
                "messageAttributes": m.get("MessageAttributes", {}),
                "md5OfBody": m.get("MD5OfBody", ""),
                "eventSource": "aws:sqs",
                "eventSourceARN": arn,
                "awsRegion": "local",
            }
            for m in messages
        ]
    }
