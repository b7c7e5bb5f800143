"""AWS SDK clients, configured once for the whole backend: bounded retries and timeouts, so a slow or
throttling service turns into a quick 503 rather than a Lambda timeout."""

from typing import Any

import boto3
from botocore.config import Config

_CONFIG = Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=2, read_timeout=5, tcp_keepalive=True)
# S3 serves KMS-encrypted objects only to SigV4 requests, presigned links included.
_SERVICE_CONFIG = {"s3": _CONFIG.merge(Config(signature_version="s3v4"))}


def aws_client(service: str, region: str, endpoint_url: str = "") -> Any:
    """endpoint_url is the embedded AWS locally; empty on AWS itself."""
    config = _SERVICE_CONFIG.get(service, _CONFIG)
    return boto3.client(service, region_name=region, config=config, endpoint_url=endpoint_url or None)
