"""Login with the national eID, token refresh and logout."""

from collections.abc import Callable

from chalicelib import wiring
from chalicelib.api.access import PUBLIC, citizen
from chalicelib.api.http import ApiBlueprint, json_body, json_response, string_fields
from chalicelib.api.limits import LOGIN_STARTS
from chalicelib.domain.login import is_code_verifier, is_s256_challenge
from chalicelib.domain.sessions import Principal
from chalicelib.errors import FieldProblem, ValidationError
from chalicelib.services import auth

auth_api = ApiBlueprint(__name__)


def _now() -> int:
    return int(wiring.clock()())


@auth_api.route("/v1/auth/login", methods=["POST"], caller=PUBLIC, limit=LOGIN_STARTS)
def start_login():
    body = json_body(auth_api.current_request)
    fields = string_fields(body, required=("redirect_uri", "code_challenge", "code_challenge_method"))
    _check_format(fields, "code_challenge", is_s256_challenge)
    challenge = auth.AppChallenge(fields["code_challenge"], fields["code_challenge_method"])
    settings = wiring.settings()
    attempt, url = auth.start_login(
        fields["redirect_uri"],
        challenge,
        settings.login_redirect_uris,
        wiring.auth_ports(),
        _now(),
        settings.login_state_ttl,
    )
    return json_response({"authorization_url": url, "state": attempt.state, "expires_in": settings.login_state_ttl})


@auth_api.route("/v1/auth/token", methods=["POST"], caller=PUBLIC)
def exchange_code():
    request = auth_api.current_request
    fields = string_fields(
        json_body(request), required=("code", "state", "code_verifier"), optional=("device_name",), max_length=512
    )
    _check_format(fields, "code_verifier", is_code_verifier)
    device = auth.Device(
        name=fields.get("device_name", "")[:100], user_agent=(request.headers.get("user-agent") or "")[:200]
    )
    pair = auth.complete_login(
        fields["code"], fields["state"], fields["code_verifier"], device, wiring.auth_ports(), _now()
    )
    return _token_response(pair)


@auth_api.route("/v1/auth/refresh", methods=["POST"], caller=PUBLIC)
def refresh():
    fields = string_fields(json_body(auth_api.current_request), required=("refresh_token",), max_length=512)
    pair = auth.refresh_tokens(fields["refresh_token"], wiring.auth_ports(), _now())
    return _token_response(pair)


@auth_api.route("/v1/auth/logout", methods=["POST"], caller=citizen())
def logout(principal: Principal):
    auth.logout(principal, wiring.sessions())
    return json_response(None, status=204)


def _check_format(fields: dict[str, str], name: str, valid: Callable[[str], bool]) -> None:
    if not valid(fields[name]):
        raise ValidationError(errors=(FieldProblem(name, "invalid_format"),))


def _token_response(pair: auth.TokenPair):
    return json_response(
        {
            "access_token": pair.access_token,
            "refresh_token": pair.refresh_token,
            "token_type": "Bearer",
            "expires_in": pair.expires_in,
        }
    )
