"""Publishing to our SQS queues. Outages and throttling become ServiceUnavailableError (503 upstream)."""

import json
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.errors import ServiceUnavailableError


class SqsPublisher:
    def __init__(self, client: Any, queue_url: str):
        self._client, self._queue_url = client, queue_url

    def publish(
        self, message: dict[str, Any], delay_seconds: int = 0, attributes: dict[str, str] | None = None
    ) -> None:
        kwargs: dict[str, Any] = {
            "QueueUrl": self._queue_url,
            "DelaySeconds": min(delay_seconds, 900),
            "MessageBody": json.dumps(message, ensure_ascii=False, separators=(",", ":")),
        }
        if attributes:
            kwargs["MessageAttributes"] = {k: {"DataType": "String", "StringValue": v} for k, v in attributes.items()}
        try:
            self._client.send_message(**kwargs)
        except (ClientError, BotoCoreError) as error:
            raise ServiceUnavailableError("queue_unavailable") from error

    def publish_batch(self, messages: list[dict[str, Any]]) -> None:
        """Up to 10 per SQS call; any entry SQS refuses is raised, so the caller's retry covers it."""
        for start in range(0, len(messages), 10):
            entries = [
                {"Id": str(i), "MessageBody": json.dumps(m, ensure_ascii=False, separators=(",", ":"))}
                for i, m in enumerate(messages[start : start + 10])
            ]
            try:
                failed = self._client.send_message_batch(QueueUrl=self._queue_url, Entries=entries).get("Failed")
            except (ClientError, BotoCoreError) as error:
                raise ServiceUnavailableError("queue_unavailable") from error
            if failed:
                raise ServiceUnavailableError("queue_unavailable")
