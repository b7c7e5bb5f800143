"""Dependencies failing: the API answers 503 problem+json with Retry-After and changes nothing."""

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from botocore.config import Config

from chalicelib import wiring
from chalicelib.adapters.dynamo_table import DynamoTable
from chalicelib.adapters.eid_oidc import OidcEidClient
from tests.conftest import AN, login_request


@pytest.fixture
def rewire():
    """Swap one adapter (everything built on it is rebuilt), and restore the real wiring afterwards."""

    def swap(name, instance):
        wiring.reset()
        wiring.override(name, instance)

    yield swap
    wiring.reset()


def _throttled_dynamodb(stack):
    client = stack.client("dynamodb")

    def throttle(**_):
        body = {"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow down"}}
        return AWSResponse("http://throttled", 400, {}, None), body

    client.meta.events.register("before-call.dynamodb.*", throttle)
    return client


def test_eid_down_gives_503_with_retry_after(api, rewire):
    settings = wiring.settings()
    rewire("eid_client", OidcEidClient("http://127.0.0.1:9", settings.eid_client_id, lambda: "", timeout=0.5))
    answer = api.post("/v1/auth/login", json=login_request(), headers={"Accept-Language": "en"})
    assert answer.status_code == 503
    assert int(answer.headers["Retry-After"]) > 0
    assert answer.json()["code"] == "eid_unavailable" and "eID" in answer.json()["title"]


def test_throttled_dynamodb_gives_503_and_loses_no_session(api, stack, rewire):
    tokens = api.login(AN)
    rewire("table", DynamoTable(_throttled_dynamodb(stack), stack.env["TABLE_NAME"]))
    answer = api.post("/v1/auth/refresh", json={"refresh_token": tokens.refresh_token})
    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "1"
    assert answer.json()["code"] == "storage_busy"
    wiring.reset()
    assert api.post("/v1/auth/refresh", json={"refresh_token": tokens.refresh_token}).status_code == 200


def test_unreachable_storage_gives_503(api, stack, rewire):
    dead = boto3.Session(aws_access_key_id="x", aws_secret_access_key="x", region_name="ap-southeast-1").client(
        "dynamodb", endpoint_url="http://127.0.0.1:9", config=Config(retries={"max_attempts": 1}, connect_timeout=0.5)
    )
    rewire("table", DynamoTable(dead, "t"))
    answer = api.post("/v1/auth/refresh", json={"refresh_token": "y" * 43})
    assert answer.status_code == 503
    assert answer.json()["code"] == "storage_unavailable"
