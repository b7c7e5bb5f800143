"""AWS SDK clients, configured once for the whole backend: bounded retries and timeouts, so a slow or
throttling service turns into a quick 503 rather than a Lambda timeout."""

from typing import Any

import boto3
from botocore.config import Config

_CONFIG = Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=2, read_timeout=5, tcp_keepalive=True)


def aws_client(service: str, region: str, endpoint_url: str = "") -> Any:
    """endpoint_url is the embedded AWS locally; empty on AWS itself."""
    return boto3.client(service, region_name=region, config=_CONFIG, endpoint_url=endpoint_url or None)
