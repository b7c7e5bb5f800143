"""Every failure is problem+json in the caller's language, never a stack trace, and changes nothing."""

import pytest

from tests.conftest import login_request

PROBLEM_FIELDS = {"type", "title", "status", "detail", "instance", "code"}


def _assert_problem(answer, status, code):
    assert answer.status_code == status, answer.text
    assert answer.headers["Content-Type"].startswith("application/problem+json")
    body = answer.json()
    assert PROBLEM_FIELDS <= set(body) and body["status"] == status and body["code"] == code
    assert "Traceback" not in answer.text
    return body


def test_unknown_path_is_404_problem(api):
    _assert_problem(api.get("/v1/no-such-thing"), 404, "route_not_found")


def test_wrong_method_is_405_problem_with_allow(api):
    answer = api.request("PATCH", "/v1/me")
    _assert_problem(answer, 405, "method_not_allowed")
    assert "GET" in answer.headers["Allow"]


def test_malformed_json_is_400(api):
    answer = api.post("/v1/auth/login", data=b"{not json", headers={"Content-Type": "application/json"})
    _assert_problem(answer, 400, "malformed_json")


def test_json_that_is_not_an_object_is_400(api):
    _assert_problem(api.post("/v1/auth/login", json=["citizenapp://auth/callback"]), 400, "body_not_object")


def test_wrong_content_type_is_415(api):
    answer = api.post(
        "/v1/auth/login", data="redirect_uri=x", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    _assert_problem(answer, 415, "unsupported_media_type")
    assert "application/json" in answer.json()["detail"]


def test_a_token_endpoint_taking_a_form_says_so_in_its_415(api):
    answer = api.post("/v1/agency/oauth/token", json={"grant_type": "client_credentials"})
    _assert_problem(answer, 415, "unsupported_media_type")
    assert answer.json()["detail"] == "Hãy gửi Content-Type: application/x-www-form-urlencoded."


def test_oversized_body_is_413(api):
    answer = api.post("/v1/auth/login", json={"redirect_uri": "x" * 70_000})
    _assert_problem(answer, 413, "payload_too_large")


@pytest.mark.parametrize(
    "accept_language, language, title",
    [
        (None, "vi", "Không tìm thấy"),
        ("en-US,en;q=0.9", "en", "Not found"),
        ("fr, en;q=0.5", "en", "Not found"),
        ("en;q=0.4, vi;q=0.8", "vi", "Không tìm thấy"),
        ("de", "vi", "Không tìm thấy"),
    ],
)
def test_problem_language_follows_accept_language(api, accept_language, language, title):
    headers = {"Accept-Language": accept_language} if accept_language else {}
    answer = api.delete("/v1/me/sessions/none", headers=headers)
    assert answer.status_code == 401
    unknown = api.get("/v1/nope", headers=headers)
    assert unknown.json()["title"] == title
    assert answer.headers["Content-Language"] == language


def test_every_response_carries_a_request_id_that_matches_the_problem_instance(api):
    answer = api.get("/v1/me")
    assert answer.headers["X-Request-Id"] == answer.json()["instance"]
    assert answer.headers["Cache-Control"] == "no-store"


def test_decomposed_vietnamese_input_is_normalised(api):
    """NFD input is folded to NFC before any comparison, so it matches the allowlist like NFC would."""
    import unicodedata

    nfd = unicodedata.normalize("NFD", "citizenapp://auth/callback")
    assert api.post("/v1/auth/login", json=login_request(redirect_uri=nfd)).status_code == 200
