"""Every route says who may call it, the contract says the same, and every protected operation refuses
the wrong caller: no token, an expired one, the other audience's token, or a citizen below the eID level."""

import re
import time

import jwt
import pytest

from chalicelib import wiring
from chalicelib.api.access import AgencyAccess, CitizenAccess, PublicAccess, RouteDeclarationError
from chalicelib.api.http import ApiBlueprint
from tests.contract.openapi import assert_response_matches, operations

PROTECTED = sorted((path, method, op["security"]) for (path, method), op in operations().items() if op.get("security"))


def _url(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "unknown-id", path)


def _call(api, path: str, method: str, token: str = ""):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return api.request(method, _url(path), headers=headers, json={} if method in ("POST", "PUT") else None)


def _scheme(security: list) -> tuple[str, list]:
    (requirement,) = security
    ((scheme, scopes),) = requirement.items()
    return scheme, scopes


def _expired(token: str) -> str:
    claims = jwt.decode(token, options={"verify_signature": False})
    return wiring.token_signer().sign({**claims, "iat": int(time.time()) - 1200, "exp": int(time.time()) - 600})


def test_a_route_that_does_not_say_who_may_call_it_is_refused():
    blueprint = ApiBlueprint("undeclared")
    with pytest.raises(RouteDeclarationError, match="/v1/undeclared"):
        blueprint.route("/v1/undeclared", methods=["GET"])


def test_the_contract_declares_the_same_callers_as_the_routes():
    import app  # noqa: F401 - registers every blueprint's routes

    for (path, method), op in operations().items():
        declared = ApiBlueprint.declared[(path, method)]
        security = op.get("security") or []
        if isinstance(declared, PublicAccess):
            assert security == [], f"{method} {path} is public in the code, not in the contract"
        elif isinstance(declared, CitizenAccess):
            expected = ["eid_level_2"] if declared.level == 2 else []
            assert security == [{"accessToken": expected}], f"{method} {path}: {security}"
        else:
            assert isinstance(declared, AgencyAccess)
            assert security == [{"agencyToken": [declared.scope]}], f"{method} {path}: {security}"


@pytest.mark.parametrize("path, method, security", PROTECTED, ids=[f"{m} {p}" for p, m, _ in PROTECTED])
def test_protected_operations_refuse_the_wrong_caller(api, an, agency, path, method, security):
    scheme, _ = _scheme(security)
    genuine = an.access_token if scheme == "accessToken" else agency.token
    other_audience = agency.token if scheme == "accessToken" else an.access_token
    for token, code in (
        ("", "unauthenticated"),
        (_expired(genuine), "token_expired"),
        (other_audience, "token_invalid"),
    ):
        answer = _call(api, path, method, token)
        assert answer.status_code == 401, f"{method} {path} with {code or 'no token'}: {answer.text}"
        assert answer.json()["code"] == code and answer.headers["WWW-Authenticate"].startswith("Bearer")
        assert_response_matches(answer, path, method)


LEVEL_2 = [(p, m) for p, m, s in PROTECTED if "eid_level_2" in _scheme(s)[1]]


@pytest.mark.parametrize("path, method", LEVEL_2, ids=[f"{m} {p}" for p, m in LEVEL_2])
def test_level_2_operations_refuse_a_level_1_citizen(api, cuong, path, method):
    answer = _call(api, path, method, cuong.access_token)
    assert answer.status_code == 403 and answer.json()["code"] == "eid_level_too_low", answer.text
    assert_response_matches(answer, path, method)


def test_there_are_level_2_operations_to_walk():
    assert len(LEVEL_2) >= 2
