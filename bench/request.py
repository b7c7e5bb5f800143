"""Warm-request CPU of our code: the app object called with API Gateway events, against the embedded AWS.

CPU is this thread's CPU time (time.thread_time): the embedded AWS and the eID provider run in other
threads, so their work and all waiting are excluded. The CPU botocore spends inside each AWS call (from
`provide-client-params` to `after-call`: serialising, signing, parsing) is measured with event hooks and
reported apart, so "our CPU" is the request minus the AWS calls, as the budget defines it.
"""

import json
import sys
import threading
import time
import urllib.parse
from collections import Counter
from typing import Any

import boto3
import requests

from bench.common import median, pkce_pair, report
from devstack.stack import GENEROUS_LIMITS, REDIRECT_URI, LocalStack

AN = "001090000001"
calls: Counter = Counter()
sdk_cpu = {"ms": 0.0, "started": 0.0}
_REQUEST_THREAD = threading.get_ident()  # requests are made from the main thread


def _call_starts(event_name: str, **_: Any) -> None:
    if threading.get_ident() != _REQUEST_THREAD:  # the local stack's workers and schedules share the session
        return
    calls[event_name.split(".")[1]] += 1  # provide-client-params.<service>.<Operation>
    sdk_cpu["started"] = time.thread_time()


def _call_ends(**_: Any) -> None:
    if threading.get_ident() == _REQUEST_THREAD:
        sdk_cpu["ms"] += (time.thread_time() - sdk_cpu["started"]) * 1000


def _event(
    method: str, resource: str, body: dict | None = None, token: str = "", path_params: dict | None = None
) -> dict:
    headers = {"content-type": "application/json", "user-agent": "bench"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    return {
        "resource": resource,
        "path": resource,
        "httpMethod": method,
        "headers": headers,
        "multiValueHeaders": {},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": path_params,
        "stageVariables": None,
        "isBase64Encoded": False,
        "requestContext": {"resourcePath": resource, "httpMethod": method, "requestId": "bench", "stage": "api"},
        "body": json.dumps(body) if body is not None else None,
    }


def _timed(app: Any, event: dict) -> tuple[float, float, dict, Counter]:
    """(our CPU ms, CPU ms inside AWS SDK calls, response body, AWS calls by service)"""
    calls.clear()
    sdk_cpu["ms"] = 0.0
    started = time.thread_time()
    response = app(event, None)
    total_ms = (time.thread_time() - started) * 1000
    assert response["statusCode"] < 300, response
    return total_ms - sdk_cpu["ms"], sdk_cpu["ms"], json.loads(response["body"] or "null"), Counter(calls)


def _login_code(app: Any) -> dict:
    """The app's side of a login, PKCE included: the body of `POST /v1/auth/token`."""
    verifier, challenge = pkce_pair()
    start = {"redirect_uri": REDIRECT_URI, "code_challenge": challenge, "code_challenge_method": "S256"}
    login = json.loads(app(_event("POST", "/v1/auth/login", start), None)["body"])
    location = requests.get(login["authorization_url"] + "&login_hint=" + AN, allow_redirects=False).headers["Location"]
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)
    return {"code": query["code"][0], "state": query["state"][0], "code_verifier": verifier}


def main(runs: int = 200) -> None:
    stack = LocalStack(env=dict(GENEROUS_LIMITS)).start()  # one client at 127.0.0.1 logs in 40 times
    boto3.setup_default_session()
    boto3.DEFAULT_SESSION.events.register("provide-client-params", _call_starts)
    boto3.DEFAULT_SESSION.events.register("after-call", _call_ends)
    from chalicelib import wiring

    wiring.reset()  # rebuild clients on the session that counts
    from app import app

    try:
        exchange = [_timed(app, _event("POST", "/v1/auth/token", _login_code(app))) for _ in range(max(runs // 5, 20))]
        token = exchange[-1][2]["access_token"]
        me = [_timed(app, _event("GET", "/v1/me", token=token)) for _ in range(runs)]
        dossiers = [_timed(app, _event("GET", "/v1/me/dossiers", token=token)) for _ in range(runs)]
        # The first read asks the local tax authority and keeps its answer; the rest are cached reads.
        debts = [_timed(app, _event("GET", "/v1/me/tax/debts", token=token)) for _ in range(runs)]
    finally:
        stack.stop()
    _report("GET /v1/me", me[5:])
    _report("GET /v1/me/dossiers", dossiers[5:])
    _report("GET /v1/me/tax/debts (cached)", debts[5:])
    _report("POST /v1/auth/token", exchange[3:])


def _report(name: str, samples: list) -> None:
    cpu, sdk = median(s[0] for s in samples), median(s[1] for s in samples)
    aws = samples[-1][3]
    print(
        f"{name}: median {cpu:.2f} ms our CPU + {sdk:.2f} ms CPU inside AWS SDK calls, over {len(samples)} "
        f"requests; AWS calls per request: {dict(aws)}"
    )
    report(f"{name}: our CPU per warm request (excl. AWS calls)", cpu, "ms", 5.0)
    report(f"{name}: CPU inside AWS SDK calls", sdk, "ms")
    report(
        f"{name}: DynamoDB calls per request",
        float(aws.get("dynamodb", 0)),
        "calls",
        2.0 if name.startswith("GET") else None,
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
