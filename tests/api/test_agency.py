"""Agency systems, machine to machine: client credentials with private_key_jwt, scoped tokens."""

import jwt

from tests.contract.openapi import assert_response_matches

TOKEN = "/v1/agency/oauth/token"


def test_agency_gets_a_short_lived_scoped_token(agency):
    answer = agency.request_token(agency.token_form())
    assert answer.status_code == 200, answer.text
    assert_response_matches(answer, TOKEN, "POST")
    body = answer.json()
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert claims["aud"] == "citizen-app-agency" and claims["sub"] == agency.client_id
    assert claims["agency"] == agency.demo.agency.agency_id
    assert claims["exp"] - claims["iat"] <= 300 and body["expires_in"] <= 300
    assert "dossiers:write" in body["scope"].split() and "procedure:KHAI_SINH" in body["scope"].split()


def test_a_replayed_assertion_is_refused(agency):
    form = agency.token_form()
    assert agency.request_token(form).status_code == 200
    replay = agency.request_token(form)
    assert replay.status_code == 401 and replay.json()["error"] == "invalid_client", replay.text
    assert_response_matches(replay, TOKEN, "POST")


def test_an_assertion_signed_by_another_agency_is_refused(agency, other_agency):
    forged = other_agency.assertion(iss=agency.client_id, sub=agency.client_id)
    answer = agency.request_token(agency.token_form(client_assertion=forged))
    assert answer.status_code == 401 and answer.json()["error"] == "invalid_client"


def test_hmac_and_long_lived_assertions_are_refused(agency):
    hmac_signed = jwt.encode(
        {"iss": agency.client_id, "sub": agency.client_id, "aud": agency.token_endpoint, "exp": 9999999999, "jti": "x"},
        "secret",
        algorithm="HS256",
    )
    assert agency.request_token(agency.token_form(client_assertion=hmac_signed)).status_code == 401
    import time

    too_long = agency.assertion(exp=int(time.time()) + 3600)
    assert agency.request_token(agency.token_form(client_assertion=too_long)).status_code == 401
    wrong_audience = agency.assertion(aud="https://elsewhere.example/token")
    assert agency.request_token(agency.token_form(client_assertion=wrong_audience)).status_code == 401


def test_bad_token_requests_get_oauth_errors(agency, api):
    grant = agency.request_token(agency.token_form(grant_type="password"))
    assert grant.status_code == 400 and grant.json()["error"] == "unsupported_grant_type"
    assert_response_matches(grant, TOKEN, "POST")
    secret = agency.request_token(agency.token_form(client_secret="s3cret"))
    assert secret.status_code == 401
    scope = agency.request_token(agency.token_form(scope="procedure:NOT-OURS"))
    assert scope.status_code == 400 and scope.json()["error"] == "invalid_scope"
    missing = agency.request_token({"grant_type": "client_credentials"})
    assert missing.status_code == 400 and missing.json()["error"] == "invalid_request"
    as_json = api.post(TOKEN, json={"grant_type": "client_credentials"})
    assert as_json.status_code == 415
    assert_response_matches(as_json, TOKEN, "POST")


def test_a_narrower_scope_can_be_asked_for(agency):
    answer = agency.request_token(agency.token_form(scope="dossiers:read"))
    assert answer.status_code == 200 and answer.json()["scope"] == "dossiers:read"


def test_citizen_tokens_are_not_agency_tokens_and_vice_versa(agency, api, an):
    me = api.get("/v1/me", headers={"Authorization": f"Bearer {agency.token}"})
    assert me.status_code == 401 and me.json()["code"] == "token_invalid"
