"""The HTTP edge as a browser or an integrator meets it: CORS, OPTIONS, request ids, methods, content types."""

import http.client
import json
import re
import urllib.parse

import pytest

from chalicelib.api.cors import ALLOWED_HEADERS, EXPOSED_HEADERS
from tests.contract.openapi import assert_problem, assert_response_matches, operations

PORTAL = "http://localhost:3000"  # on the local stack's allowlist (devstack/stack.py)
STRANGER = "https://evil.example"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _cors_headers(response) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k.lower().startswith("access-control-")}


def _listed(value: str) -> set[str]:
    return {item.strip().lower() for item in value.split(",")}


# --- CORS and OPTIONS --------------------------------------------------------------------------------


def test_a_preflight_from_an_allowed_origin_is_answered(api):
    response = api.request(
        "OPTIONS",
        "/v1/me/devices",
        headers={
            "Origin": PORTAL,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type, idempotency-key",
        },
    )
    assert response.status_code == 204, response.text
    assert response.content == b""
    assert response.headers["Access-Control-Allow-Origin"] == PORTAL
    assert _listed(response.headers["Access-Control-Allow-Methods"]) == {"get", "post", "options"}
    assert _listed(response.headers["Access-Control-Allow-Headers"]) == {h.lower() for h in ALLOWED_HEADERS}
    assert int(response.headers["Access-Control-Max-Age"]) > 0
    assert "Origin" in response.headers["Vary"]


def test_options_answers_allow_with_the_edge_headers(api):
    """It answered an empty 200 without X-Request-Id or the security headers."""
    response = api.request("OPTIONS", "/v1/me/sessions/{session_id}".replace("{session_id}", "s-1"))
    assert response.status_code == 204, response.text
    assert _listed(response.headers["Allow"]) == {"delete", "options"}
    assert response.headers["X-Request-Id"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Strict-Transport-Security" in response.headers
    assert _cors_headers(response) == {}


def test_a_preflight_from_an_unknown_origin_gets_no_cors_header(api):
    response = api.request("OPTIONS", "/v1/me", headers={"Origin": STRANGER, "Access-Control-Request-Method": "GET"})
    assert response.status_code == 204
    assert _cors_headers(response) == {}


def test_answers_to_an_allowed_origin_carry_allow_origin_and_expose_headers(api):
    for response in (
        api.get("/v1/health", headers={"Origin": PORTAL}),
        api.get("/v1/me", headers={"Origin": PORTAL}),  # a problem, which the web client must be able to read
    ):
        assert response.headers["Access-Control-Allow-Origin"] == PORTAL
        assert _listed(response.headers["Access-Control-Expose-Headers"]) == {h.lower() for h in EXPOSED_HEADERS}
        assert "Origin" in response.headers["Vary"]
        assert "Access-Control-Allow-Methods" not in response.headers


def test_answers_to_an_unknown_origin_carry_no_cors_header(api):
    response = api.get("/v1/health", headers={"Origin": STRANGER})
    assert response.status_code == 200
    assert _cors_headers(response) == {}
    lookalike = api.get("/v1/health", headers={"Origin": PORTAL + ".evil.example"})
    assert _cors_headers(lookalike) == {}


# --- request ids ---------------------------------------------------------------------------------------


def test_a_well_formed_client_request_id_is_echoed_and_logged(api, capsys):
    mine = "portal-2026.12_02-abc"
    response = api.get("/v1/me", headers={"X-Request-Id": mine})
    assert response.headers["X-Request-Id"] == mine
    body = assert_problem(response, 401)
    assert body["instance"] == mine
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    access = [line for line in lines if line.get("event") == "request" and line.get("request_id") == mine]
    assert access, "the access log line carries the client's request id"
    assert UUID.fullmatch(access[0]["gateway_request_id"]), "and the gateway's own id beside it"


@pytest.mark.parametrize("sent", ["has space", "x" * 65, "ngày", "a;b", ""])
def test_a_malformed_client_request_id_is_replaced_not_refused(api, sent):
    response = api.get("/v1/health", headers={"X-Request-Id": sent.encode("utf-8")})
    assert response.status_code == 200
    assert UUID.fullmatch(response.headers["X-Request-Id"]), response.headers["X-Request-Id"]


# --- methods -------------------------------------------------------------------------------------------


def _raw(api, method: str, path: str) -> tuple[int, dict[str, str], bytes]:
    """http.client sends any method token; requests would too, but this is what a fuzzer does on the wire."""
    url = urllib.parse.urlsplit(api.base_url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    try:
        connection.request(method, path, headers={"Accept-Language": "en"})
        answer = connection.getresponse()
        return answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read()
    finally:
        connection.close()


@pytest.mark.parametrize("method", ["TRACE", "QUERY", "PROPFIND", "PATCH"])
def test_an_undeclared_method_is_a_405_problem_with_allow(api, method):
    """TRACE and QUERY answered 501 text/html (the local server has no do_TRACE)."""
    status, headers, body = _raw(api, method, "/v1/health")
    assert status == 405, body
    assert headers["content-type"].startswith("application/problem+json"), headers
    assert _listed(headers["allow"]) == {"get"}
    problem = json.loads(body)
    assert problem["code"] == "method_not_allowed" and problem["status"] == 405
    assert problem["instance"] == headers["x-request-id"]


def test_an_undeclared_method_on_an_unknown_path_is_a_404_problem(api):
    status, headers, body = _raw(api, "TRACE", "/v1/no-such-path")
    assert status == 404 and headers["content-type"].startswith("application/problem+json")
    assert json.loads(body)["code"] == "route_not_found"


# --- content types -------------------------------------------------------------------------------------


def test_a_request_without_a_body_is_not_refused_for_its_content_type(api, an):
    """Chalice's own check answered 415 to `Content-Type: text/plain` on a GET, which no GET documents."""
    text = {"Content-Type": "text/plain"}
    health = api.get("/v1/health", headers=text)
    assert health.status_code == 200, health.text
    assert_response_matches(health, "/v1/health", "GET")
    missing = api.delete("/v1/me/sessions/no-such-session", headers={**an.auth, **text})
    assert missing.status_code == 404, missing.text
    logout = api.post("/v1/auth/logout", headers={**an.auth, **text})
    assert logout.status_code == 204, logout.text


def test_a_body_of_the_wrong_type_is_still_415(api, an):
    response = api.post("/v1/me/devices", data="token=x", headers={**an.auth, "Content-Type": "text/plain"})
    assert response.status_code == 415, response.text
    assert_response_matches(response, "/v1/me/devices", "POST")
    form = api.post("/v1/agency/oauth/token", data="{}", headers={"Content-Type": "application/json"})
    assert form.status_code == 415, form.text
    assert_response_matches(form, "/v1/agency/oauth/token", "POST")


def test_every_operation_with_a_body_documents_415():
    for (path, method), operation in operations().items():
        if "requestBody" in operation:
            assert "415" in operation["responses"], f"{method} {path} takes a body but documents no 415"
