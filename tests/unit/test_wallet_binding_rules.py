"""Rules of holder binding, OpenID4VCI and filing with wallet documents, with fakes of the ports: what a filing
may attach, the single-use pre-authorized code, the offer URI, and the share request's binding fields."""

import json
import urllib.parse
from dataclasses import replace

import pytest

from chalicelib.api import wallet_input
from chalicelib.domain.credentials import CredentialStatus as S
from chalicelib.domain.openid4vci import PRE_AUTHORIZED_GRANT, IssuanceRefused, credential_offer, offer_uri
from chalicelib.domain.uploaded_documents import UploadedDocument
from chalicelib.domain.uploads import UploadStatus as U
from chalicelib.domain.wallet import attach_refusal
from chalicelib.errors import ValidationError
from chalicelib.services import openid4vci
from tests.unit.test_wallet_rules import NOW, _document, _ports


@pytest.mark.parametrize(
    "changes, reason",
    [
        ({}, ""),
        ({"status": S.INVALID}, "document_revoked"),
        ({"status": S.SUSPENDED}, "document_suspended"),
        ({"expires_at": NOW}, "document_expired"),
        ({"expires_at": NOW + 1}, ""),
    ],
)
def test_only_a_valid_unexpired_document_goes_with_a_filing(changes, reason):
    assert attach_refusal(replace(_document(), **changes), NOW) == reason


@pytest.mark.parametrize(
    "status, reason",
    [(U.READY, ""), (U.PENDING, "upload_pending"), (U.REJECTED, "upload_rejected")],
)
def test_only_a_ready_upload_goes_with_a_filing(status, reason):
    upload = UploadedDocument("d1", "u1", "p1", "c1", "wallet", "", "image/jpeg", 10, created_at=0, status=status)
    assert attach_refusal(upload, NOW) == reason


def test_the_offer_uri_carries_the_offer_by_value():
    offer = credential_offer("https://api.example.gov.vn", "JUDICIAL_RECORD", "code-1")
    uri = offer_uri(offer)
    assert uri.startswith("openid-credential-offer://?credential_offer=")
    assert json.loads(urllib.parse.parse_qs(urllib.parse.urlsplit(uri).query)["credential_offer"][0]) == offer


class FakeGrants:
    def __init__(self):
        self.kept = {}

    def keep(self, kind, secret_hash, grant):
        self.kept[(kind, secret_hash)] = grant

    def read(self, kind, secret_hash, now):
        grant = self.kept.get((kind, secret_hash))
        return grant if grant and grant.is_live(now) else None

    def take(self, kind, secret_hash, now):
        grant = self.kept.pop((kind, secret_hash), None)
        return grant if grant and grant.is_live(now) else None


def _code_for(grants) -> str:
    from chalicelib.domain.openid4vci import CODE, IssuanceGrant, secret_hash

    grants.keep(CODE, secret_hash("the-code"), IssuanceGrant("p1", "d1", NOW + 300))
    return "the-code"


def test_a_pre_authorized_code_is_traded_once():
    ports = _ports(grants=FakeGrants())
    form = {"grant_type": PRE_AUTHORIZED_GRANT, "pre-authorized_code": _code_for(ports.grants)}
    token, expires_in = openid4vci.exchange_code(form, ports, NOW)
    assert token and expires_in == 300
    with pytest.raises(IssuanceRefused) as again:
        openid4vci.exchange_code(form, ports, NOW)
    assert again.value.error == "invalid_grant"


def test_an_expired_code_is_spent_and_refused():
    ports = _ports(grants=FakeGrants())
    form = {"grant_type": PRE_AUTHORIZED_GRANT, "pre-authorized_code": _code_for(ports.grants)}
    with pytest.raises(IssuanceRefused) as late:
        openid4vci.exchange_code(form, ports, NOW + 300)
    assert late.value.error == "invalid_grant" and not ports.grants.kept


@pytest.mark.parametrize(
    "form, error",
    [
        ({"pre-authorized_code": "x"}, "invalid_request"),
        ({"grant_type": "authorization_code", "pre-authorized_code": "x"}, "unsupported_grant_type"),
        ({"grant_type": PRE_AUTHORIZED_GRANT}, "invalid_request"),
    ],
)
def test_a_token_request_is_refused_in_the_oauth_shape(form, error):
    with pytest.raises(IssuanceRefused) as refused:
        openid4vci.exchange_code(form, _ports(grants=FakeGrants()), NOW)
    assert refused.value.error == error and refused.value.status == 400


@pytest.mark.parametrize(
    "extra, field",
    [
        ({"key_binding_jwt": "not a jwt"}, "key_binding_jwt"),
        ({"key_binding_jwt": 7}, "key_binding_jwt"),
        ({"nonce": "with space"}, "nonce"),
        ({"nonce": "x" * 201}, "nonce"),
    ],
)
def test_the_binding_fields_of_a_share_request_are_checked(extra, field):
    with pytest.raises(ValidationError) as refused:
        wallet_input.share_request({"disclose": ["full_name"], **extra})
    assert [p.field for p in refused.value.errors] == [field]


@pytest.mark.parametrize("body, fields", [({}, ["jwk"]), ({"jwk": "k"}, ["jwk"]), ({"jwk": {}, "d": 1}, ["d"])])
def test_a_device_key_request_is_one_jwk_object(body, fields):
    with pytest.raises(ValidationError) as refused:
        wallet_input.holder_jwk(body)
    assert [p.field for p in refused.value.errors] == fields
