"""openapi.yaml is a valid OpenAPI 3.1 document, equals the app's routes, and real answers match it."""

import json

import pytest
import requests
from openapi_spec_validator import validate

from tests.conftest import AN, BINH, CUONG, login_request
from tests.contract.openapi import assert_problem, assert_response_matches, load_spec, operations, response_spec

PROBLEM_STATUSES = {"400", "401", "403", "404", "405", "409", "413", "415", "422", "429"}


def fake_response(status: int, body, content_type: str = "application/json", headers=None) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = b"" if body is None else json.dumps(body).encode("utf-8")
    response.headers.update({"Content-Type": content_type, "X-Request-Id": "req-1", **(headers or {})})
    response.url = "http://test.invalid/"
    return response


# --- the document itself ---------------------------------------------------------------------------


def test_spec_is_valid_openapi_3_1():
    spec = load_spec()
    assert spec["openapi"].startswith("3.1.")
    validate(spec)


def test_spec_paths_equal_app_routes():
    from app import app

    routes = {(path, method.upper()) for path, entries in app.routes.items() for method in entries}
    documented = set(operations())
    assert documented == routes, (
        f"only in openapi.yaml: {sorted(documented - routes)}; only in the app: {sorted(routes - documented)}"
    )


def test_every_operation_has_an_id_and_a_problem_response():
    spec = load_spec()
    ids = []
    for (path, method), operation in operations(spec).items():
        assert operation.get("operationId"), f"{method} {path} has no operationId"
        assert operation.get("summary") or operation.get("description"), f"{method} {path} is undescribed"
        ids.append(operation["operationId"])
        problems = [status for status, response in operation["responses"].items() if status in PROBLEM_STATUSES]
        assert problems, f"{method} {path} documents no 4xx problem response"
        for status in problems:
            assert_documents_problem_json(spec, operation["responses"][status], f"{method} {path} {status}")
    assert len(ids) == len(set(ids)), "operationIds are not unique"


def assert_documents_problem_json(spec, response, where):
    if "$ref" in response:
        response = spec["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    assert list(response.get("content", {})) == ["application/problem+json"], f"{where} is not problem+json"


def test_no_member_of_the_contract_is_null_outside_examples():
    """An unquoted comma in a flow-style description (`{description: a, b}`) silently adds a member `b` of value
    null beside a cut description; outside example data, a null in the contract is always that accident."""
    data_keys = {"example", "examples", "default", "const", "enum"}
    nulls = []

    def walk(node, where):
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in items:
            if value is None:
                nulls.append(f"{where}/{key}")
            elif key not in data_keys:
                walk(value, f"{where}/{key}")

    walk(load_spec(), "#")
    assert not nulls, nulls


def test_the_field_codes_of_errors_are_exactly_those_the_server_can_send():
    """A code the enum lacks makes a real answer invalid against the contract; one the server never sends is noise."""
    from chalicelib.api.field_texts import FIELD_MESSAGES

    documented = load_spec()["components"]["schemas"]["FieldProblem"]["properties"]["code"]["enum"]
    assert set(documented) == set(FIELD_MESSAGES)


def test_authenticated_operations_document_401_with_www_authenticate():
    for (path, method), operation in operations().items():
        if operation.get("security"):
            assert "WWW-Authenticate" in response_spec(path, method, 401).get("headers", {}), f"{method} {path}"


# --- the helper can fail -----------------------------------------------------------------------------


def test_helper_rejects_an_undocumented_status():
    with pytest.raises(AssertionError, match="status 418 is not documented"):
        assert_response_matches(fake_response(418, {}), "/v1/health", "GET")


def test_helper_rejects_a_drifted_body():
    assert_response_matches(fake_response(200, {"status": "ok"}), "/v1/health", "GET")
    with pytest.raises(AssertionError, match="does not match"):
        assert_response_matches(fake_response(200, {"status": "ok", "extra": 1}), "/v1/health", "GET")


def test_helper_rejects_a_problem_missing_a_header_or_with_a_wrong_code():
    problem = {
        "type": "urn:problem:citizen-app:unauthenticated",
        "title": "t",
        "status": 401,
        "detail": "d",
        "instance": "req-1",
        "code": "unauthenticated",
    }
    headers = {"Content-Language": "vi", "WWW-Authenticate": 'Bearer realm="citizen-app"'}
    assert_response_matches(fake_response(401, problem, "application/problem+json", headers), "/v1/me", "GET")
    with pytest.raises(AssertionError, match="WWW-Authenticate"):
        assert_response_matches(
            fake_response(401, problem, "application/problem+json", {"Content-Language": "vi"}), "/v1/me", "GET"
        )
    wrong = {**problem, "code": "refresh_token_reused", "type": "urn:problem:citizen-app:refresh_token_reused"}
    with pytest.raises(AssertionError, match="is not one of"):
        assert_response_matches(fake_response(401, wrong, "application/problem+json", headers), "/v1/me", "GET")


def test_helper_rejects_a_body_on_204_and_a_wrong_content_type():
    with pytest.raises(AssertionError, match="no body is documented"):
        assert_response_matches(fake_response(204, {"x": 1}), "/v1/auth/logout", "POST")
    with pytest.raises(AssertionError, match="content type"):
        assert_response_matches(fake_response(200, {"status": "ok"}, "text/plain"), "/v1/health", "GET")


# --- real answers of the local stack -----------------------------------------------------------------


def test_health(api):
    response = api.get("/v1/health")
    assert response.status_code == 200
    assert_response_matches(response, "/v1/health", "GET")


def test_jwks(api):
    response = api.get("/.well-known/jwks.json")
    assert response.status_code == 200
    assert_response_matches(response, "/.well-known/jwks.json", "GET")


def test_login_start(api):
    response = api.post("/v1/auth/login", json=login_request(unknown=1))
    assert response.status_code == 200, response.text
    assert_response_matches(response, "/v1/auth/login", "POST")


def test_login_with_a_redirect_uri_not_allowed(api):
    response = api.post(
        "/v1/auth/login", json=login_request(redirect_uri="https://evil.example/cb"), headers={"Accept-Language": "en"}
    )
    assert response.status_code == 400
    assert response.headers["Content-Language"] == "en"
    assert_response_matches(response, "/v1/auth/login", "POST")


def test_full_login_then_me_and_sessions(api):
    tokens = api.login(AN, device_name="Điện thoại của An")
    me = api.get("/v1/me", headers=tokens.auth)
    assert me.status_code == 200, me.text
    assert_response_matches(me, "/v1/me", "GET")
    sessions = api.get("/v1/me/sessions", headers=tokens.auth)
    assert sessions.status_code == 200, sessions.text
    assert_response_matches(sessions, "/v1/me/sessions", "GET")
    first = sessions.json()["items"][0]
    assert first["current"] and first["device_name"] == "Điện thoại của An"  # the caller's own session leads


def test_token_refresh_and_reuse(api, clock):
    tokens = api.login(AN)
    refreshed = api.post("/v1/auth/refresh", json={"refresh_token": tokens.refresh_token})
    assert refreshed.status_code == 200, refreshed.text
    assert_response_matches(refreshed, "/v1/auth/refresh", "POST")
    clock.advance(31)  # past the reuse grace window
    reused = api.post("/v1/auth/refresh", json={"refresh_token": tokens.refresh_token})
    assert reused.status_code == 401 and reused.json()["code"] == "refresh_token_reused", reused.text
    assert_response_matches(reused, "/v1/auth/refresh", "POST")


def test_token_exchange_with_a_bad_state(api):
    response = api.post("/v1/auth/token", json={"code": "x", "state": "not-a-state", "code_verifier": "v" * 43})
    assert response.status_code == 401, response.text
    assert_response_matches(response, "/v1/auth/token", "POST")


def test_logout_and_ending_an_unknown_session(api):
    tokens = api.login(AN)
    missing = api.delete("/v1/me/sessions/no-such-session", headers=tokens.auth)
    assert missing.status_code == 404, missing.text
    assert_response_matches(missing, "/v1/me/sessions/{session_id}", "DELETE")
    logout = api.post("/v1/auth/logout", headers=tokens.auth)
    assert logout.status_code == 204, logout.text
    assert_response_matches(logout, "/v1/auth/logout", "POST")
    after = api.get("/v1/me", headers=tokens.auth)
    assert after.status_code == 401
    assert_response_matches(after, "/v1/me", "GET")


def test_unknown_path_is_a_problem_404(api):
    response = api.get("/v1/no-such-path")
    assert_problem(response, 404, "route_not_found")


def test_unsupported_method_is_a_problem_405(api):
    response = api.request("PUT", "/v1/health")
    body = assert_problem(response, 405, "method_not_allowed")
    assert "PUT" in body["detail"]


def test_wrong_content_type_is_415(api):
    response = api.post("/v1/auth/login", data="redirect_uri=x", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415, response.text
    assert_response_matches(response, "/v1/auth/login", "POST")


def test_malformed_json_is_400(api):
    response = api.post("/v1/auth/refresh", data="{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and response.json()["code"] == "malformed_json", response.text
    assert_response_matches(response, "/v1/auth/refresh", "POST")


def test_missing_fields_are_listed_in_errors(api):
    response = api.post("/v1/auth/token", json={"device_name": 5})
    assert response.status_code == 400, response.text
    assert_response_matches(response, "/v1/auth/token", "POST")
    assert {e["field"] for e in response.json()["errors"]} == {"code", "state", "code_verifier", "device_name"}


def test_oversized_body_is_413(api):
    response = api.post("/v1/auth/login", json={"redirect_uri": "x" * 70_000})
    assert response.status_code == 413, response.text
    assert_response_matches(response, "/v1/auth/login", "POST")


def test_no_token_is_401(api):
    response = api.get("/v1/me")
    assert response.status_code == 401, response.text
    assert response.json()["code"] == "unauthenticated"
    assert_response_matches(response, "/v1/me", "GET")


def test_businesses_need_eid_level_2(api):
    level_2 = api.get("/v1/me/businesses", headers=api.login(BINH).auth)
    assert level_2.status_code == 200, level_2.text
    assert_response_matches(level_2, "/v1/me/businesses", "GET")
    assert level_2.json()["items"], "BINH represents a business"
    level_1 = api.get("/v1/me/businesses", headers=api.login(CUONG).auth)
    assert level_1.status_code == 403, level_1.text
    assert_response_matches(level_1, "/v1/me/businesses", "GET")
