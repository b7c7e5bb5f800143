"""The relying-party adapter against the real dev eID provider: what only a forged exchange can show."""

import dataclasses

import pytest
import requests

from chalicelib import wiring
from chalicelib.domain.login import begin_login
from chalicelib.errors import AuthenticationError, UpstreamRejectedError
from devstack.stack import REDIRECT_URI
from tests.conftest import AN


def _code_for(attempt, eid_client) -> str:
    url = eid_client.authorization_url(attempt) + "&login_hint=" + AN
    location = requests.get(url, allow_redirects=False).headers["Location"]
    return requests.utils.urlparse(location).query.split("code=")[1].split("&")[0]


def test_exchange_returns_the_verified_identity(stack):
    eid = wiring.eid_client()
    attempt = begin_login(REDIRECT_URI, 0, 600)
    identity = eid.exchange(_code_for(attempt, eid), attempt)
    assert identity.personal_id == AN and identity.level == 2 and identity.full_name == "Nguyễn Văn An"


def test_id_token_with_another_nonce_is_refused(stack):
    eid = wiring.eid_client()
    attempt = begin_login(REDIRECT_URI, 0, 600)
    code = _code_for(attempt, eid)
    with pytest.raises(AuthenticationError) as refused:
        eid.exchange(code, dataclasses.replace(attempt, nonce="a-different-nonce"))
    assert refused.value.code == "id_token_invalid"


def test_wrong_code_verifier_is_rejected_by_the_provider(stack):
    eid = wiring.eid_client()
    attempt = begin_login(REDIRECT_URI, 0, 600)
    code = _code_for(attempt, eid)
    with pytest.raises(UpstreamRejectedError):
        eid.exchange(code, dataclasses.replace(attempt, code_verifier="v" * 50))
