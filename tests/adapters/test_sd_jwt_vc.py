"""SD-JWT VC issuance, presentation and offline verification: RFC 9901's own vectors, then every refusal."""

import json

import jwt
import pytest

from chalicelib.adapters.access_tokens import KmsPublicKeys
from chalicelib.adapters.jws import KmsEcSigner, LocalEcSigner, b64url, b64url_decode, json_part, sign_compact
from chalicelib.adapters.openid4vci_proofs import check_proof_jwt
from chalicelib.adapters.sd_jwt_vc import (
    digest_of,
    issue_credential,
    issue_sd_jwt_vc,
    issuer_metadata,
    make_disclosure,
    present_sd_jwt_vc,
    split_sd_jwt,
)
from chalicelib.adapters.sd_jwt_verify import disclose_claims, load_issuer_keys, verify_presentation
from chalicelib.adapters.status_list_tokens import sign_status_list_token, verify_status_list_token
from chalicelib.domain.credentials import CredentialStatus, credential_types
from chalicelib.domain.status_list import StatusList
from chalicelib.errors import ValidationError

NOW = 1_800_000_000
ISSUER = "https://wallet.example.gov.vn"
LIST_URI = f"{ISSUER}/status-lists/1"
VERIFIER, NONCE = "https://bank.example", "n-0S6_WzA2Mj"
CLAIMS = {
    "full_name": "Nguyễn Văn An",
    "date_of_birth": "1990-05-17",
    "place_of_birth": "Hà Nội",
    "registration_number": "123/2026",
    "issue_date": "2026-01-02",
}

# RFC 9901 4.2.1 and 4.2.3: a Disclosure and its digest, the array-element one, and equivalent encodings.
RFC_DISCLOSURE = "WyJfMjZiYzRMVC1hYzZxMktJNmNCVzVlcyIsICJmYW1pbHlfbmFtZSIsICJNw7ZiaXVzIl0"
RFC_DIGEST = "X9yH0Ajrdm1Oij4tWso9UzzKJvPoDxwmuEcO3XAdRC0"
RFC_ARRAY_DISCLOSURE, RFC_ARRAY_DIGEST = (
    "WyJsa2x4RjVqTVlsR1RQVW92TU5JdkNBIiwgIkZSIl0",
    "w0I8EKcdCtUPkGCNUrfwVp2xEgNjtoIDlOxc9-PlOhs",
)
RFC_VARIANTS = (
    "WyJfMjZiYzRMVC1hYzZxMktJNmNCVzVlcyIsICJmYW1pbHlfbmFtZSIsICJNXHUwMGY2Yml1cyJd",
    "WyJfMjZiYzRMVC1hYzZxMktJNmNCVzVlcyIsImZhbWlseV9uYW1lIiwiTcO2Yml1cyJd",
    "WwoiXzI2YmM0TFQtYWM2cTJLSTZjQlc1ZXMiLAoiZmFtaWx5X25hbWUiLAoiTcO2Yml1cyIKXQ",
)


@pytest.fixture(scope="module")
def issuer():
    return LocalEcSigner.generate("issuer-key-1")


@pytest.fixture(scope="module")
def holder():
    return LocalEcSigner.generate("device-key")


@pytest.fixture(scope="module")
def keys(issuer):
    return load_issuer_keys(issuer_metadata(ISSUER, [issuer])["jwks"])


def _issue(issuer, holder=None, index=7, iat=NOW - 60, exp=NOW + 86400) -> str:
    return issue_sd_jwt_vc(
        issuer,
        claims=CLAIMS,
        vct=credential_types()["BIRTH_CERTIFICATE_EXTRACT"].vct,
        issuer=ISSUER,
        issued_at=iat,
        expires_at=exp,
        status_uri=LIST_URI,
        status_index=index,
        holder_jwk=holder.public_jwk() if holder else None,
    )


def _present(sd_jwt, holder, audience=VERIFIER, nonce=NONCE) -> str:
    return present_sd_jwt_vc(sd_jwt, ["full_name", "date_of_birth"], holder, audience, nonce, issued_at=NOW)


def _verify(presentation, keys, status=lambda uri, idx: 0, **kwargs):
    return verify_presentation(
        presentation, keys, status=status, now=NOW, **({"audience": VERIFIER, "nonce": NONCE} | kwargs)
    )


def _payload(token: str) -> dict:
    return json.loads(b64url_decode(token.split(".")[1]))


def test_rfc_9901_disclosure_and_digest_vectors():
    assert make_disclosure("_26bc4LT-ac6q2KI6cBW5es", "family_name", "Möbius") == RFC_DISCLOSURE
    assert digest_of(RFC_DISCLOSURE) == RFC_DIGEST
    assert digest_of(RFC_ARRAY_DISCLOSURE) == RFC_ARRAY_DIGEST


def test_rfc_9901_equivalent_encodings_all_disclose_the_same_claim():
    for disclosure in (RFC_DISCLOSURE, *RFC_VARIANTS):
        payload = {"given_name": "Alice", "_sd": [digest_of(disclosure)]}
        assert disclose_claims(payload, [disclosure]) == {"given_name": "Alice", "family_name": "Möbius"}


def test_issued_credential_hides_every_claim_but_the_validity_ones(issuer, holder):
    sd_jwt = _issue(issuer, holder)
    issuer_jwt, disclosures, kb = split_sd_jwt(sd_jwt)
    header, payload = jwt.get_unverified_header(issuer_jwt), _payload(issuer_jwt)
    assert header == {"alg": "ES256", "typ": "dc+sd-jwt", "kid": "issuer-key-1"} and kb == ""
    assert set(payload) == {"iss", "iat", "exp", "vct", "status", "cnf", "_sd", "_sd_alg"}
    assert payload["status"] == {"status_list": {"idx": 7, "uri": LIST_URI}} and payload["_sd_alg"] == "sha-256"
    assert payload["cnf"]["jwk"] == {k: holder.public_jwk()[k] for k in ("kty", "crv", "x", "y")}
    assert len(disclosures) == len(CLAIMS) and len(payload["_sd"]) > len(CLAIMS)  # decoys
    assert {digest_of(d) for d in disclosures} < set(payload["_sd"]) and payload["_sd"] == sorted(payload["_sd"])
    assert "Nguyễn" not in b64url_decode(issuer_jwt.split(".")[1]).decode()


def test_issue_credential_records_what_it_issued(issuer):
    issued = issue_credential(
        issuer,
        credential_types()["TAX_RECEIPT"],
        {"amount_vnd": 1_500_000},
        issuer=ISSUER,
        issued_at=NOW,
        expires_at=None,
        status_uri=LIST_URI,
        status_index=3,
    )
    assert (issued.credential_type, issued.status_index, issued.holder_bound) == ("TAX_RECEIPT", 3, False)
    assert "exp" not in _payload(issued.sd_jwt) and _payload(issued.sd_jwt)["vct"] == issued.vct


def test_present_two_claims_then_verify(issuer, holder, keys):
    result = _verify(_present(_issue(issuer, holder), holder), keys)
    assert result.valid, result.checks
    assert result.claims == {"full_name": "Nguyễn Văn An", "date_of_birth": "1990-05-17"}
    assert set(result.checks.values()) == {"ok"} and result.status is CredentialStatus.VALID
    assert (result.issuer, result.expires_at) == (ISSUER, NOW + 86400)


def test_a_presentation_without_key_binding_passes_when_none_is_asked(issuer, keys):
    presentation = present_sd_jwt_vc(_issue(issuer), ["full_name"])
    result = verify_presentation(presentation, keys, status=lambda uri, idx: 0, now=NOW)
    assert result.valid and result.checks["key_binding"] == "not_required" and list(result.claims) == ["full_name"]


def test_tampered_disclosure_is_refused(issuer, holder, keys):
    issuer_jwt, disclosures, _ = split_sd_jwt(_issue(issuer, holder))
    salt, name, _ = json.loads(b64url_decode(disclosures[0]))
    forged = "~".join([issuer_jwt, make_disclosure(salt, name, "Trần Thị Bình"), ""])
    result = verify_presentation(forged, keys, status=lambda uri, idx: 0, now=NOW)
    assert not result.valid and result.checks["disclosures"] == "disclosure_tampered" and result.claims == {}


def test_duplicate_disclosure_is_refused(issuer, keys):
    issuer_jwt, disclosures, _ = split_sd_jwt(_issue(issuer))
    result = verify_presentation(
        "~".join([issuer_jwt, disclosures[0], disclosures[0], ""]), keys, status=lambda uri, idx: 0, now=NOW
    )
    assert result.checks["disclosures"] == "disclosure_duplicate"


def test_swapped_signature_is_refused(issuer, holder, keys):
    mine, other = _present(_issue(issuer, holder), holder), _issue(issuer, holder, index=8)
    swapped = (
        mine.split(".", 2)[0]
        + "."
        + mine.split(".", 2)[1]
        + "."
        + other.split("~")[0].split(".")[2]
        + mine[mine.index("~") :]
    )
    result = _verify(swapped, keys)
    assert not result.valid and result.checks["signature"] == "signature_invalid"
    assert result.claims == {} and result.checks["status"] == "not_checked"


def test_a_key_the_verifier_does_not_trust_is_refused(holder, keys):
    stranger = LocalEcSigner.generate("issuer-key-1")  # same kid, other key
    assert _verify(_present(_issue(stranger, holder), holder), keys).checks["signature"] == "signature_invalid"


@pytest.mark.parametrize("header", [{"alg": "none"}, {"alg": "HS256"}])
def test_none_and_hmac_are_refused(issuer, keys, header):
    issuer_jwt, disclosures, _ = split_sd_jwt(_issue(issuer))
    forged_header = json_part({**header, "typ": "dc+sd-jwt", "kid": "issuer-key-1"})
    forged = ".".join([forged_header, issuer_jwt.split(".")[1], b64url(b"x" * 32)])
    result = verify_presentation("~".join([forged, *disclosures, ""]), keys, status=lambda u, i: 0, now=NOW)
    assert result.checks["signature"] == "signature_invalid"


def test_another_typ_is_refused(issuer, keys):
    token = sign_compact(issuer, {"typ": "JWT", "kid": issuer.kid}, _payload(_issue(issuer)))
    result = verify_presentation(token + "~", keys, status=lambda u, i: 0, now=NOW)
    assert result.checks["signature"] == "format_invalid"


def test_expired_and_not_yet_valid_credentials_are_refused(issuer, holder, keys):
    expired = _verify(_present(_issue(issuer, holder, iat=NOW - 7200, exp=NOW - 3600), holder), keys)
    early = _verify(_present(_issue(issuer, holder, iat=NOW + 3600), holder), keys)
    assert not expired.valid and expired.checks["validity"] == "expired"
    assert not early.valid and early.checks["validity"] == "not_yet_valid"


@pytest.mark.parametrize(
    "audience, nonce, reason",
    [
        ("https://someone-else.example", NONCE, "kb_audience_mismatch"),
        (VERIFIER, "an-old-nonce", "kb_nonce_mismatch"),
    ],
)
def test_key_binding_for_another_verifier_or_session_is_refused(issuer, holder, keys, audience, nonce, reason):
    result = _verify(_present(_issue(issuer, holder), holder, audience, nonce), keys)
    assert not result.valid and result.checks["key_binding"] == reason


def test_key_binding_missing_when_required_is_refused(issuer, holder, keys):
    presentation = present_sd_jwt_vc(_issue(issuer, holder), ["full_name"])
    assert _verify(presentation, keys).checks["key_binding"] == "kb_missing"


def test_key_binding_signed_by_another_key_is_refused(issuer, holder, keys):
    thief = LocalEcSigner.generate("device-key")
    assert _verify(_present(_issue(issuer, holder), thief), keys).checks["key_binding"] == "kb_signature_invalid"


def test_a_disclosure_added_after_key_binding_breaks_sd_hash(issuer, holder, keys):
    sd_jwt = _issue(issuer, holder)
    presented = present_sd_jwt_vc(sd_jwt, ["full_name"], holder, VERIFIER, NONCE, issued_at=NOW)
    extra = next(d for d in split_sd_jwt(sd_jwt)[1] if d not in presented)
    issuer_jwt, rest = presented.split("~", 1)
    result = _verify(f"{issuer_jwt}~{extra}~{rest}", keys)
    assert result.checks["key_binding"] == "kb_sd_hash_mismatch"


def test_a_stale_key_binding_is_refused(issuer, holder, keys):
    old = present_sd_jwt_vc(_issue(issuer, holder), ["full_name"], holder, VERIFIER, NONCE, issued_at=NOW - 3600)
    assert _verify(old, keys).checks["key_binding"] == "kb_iat_invalid"


def test_revoked_and_suspended_offline_with_a_fresh_status_list(issuer, holder, keys):
    status_list = StatusList(1024)
    status_list.set(7, CredentialStatus.INVALID)
    status_list.set(8, CredentialStatus.SUSPENDED)
    token = sign_status_list_token(
        issuer, status_list, uri=LIST_URI, issuer=ISSUER, issued_at=NOW - 10, ttl=300, expires_at=NOW + 3600
    )
    cached = verify_status_list_token(token, keys, now=NOW, uri=LIST_URI)
    revoked = _verify(_present(_issue(issuer, holder, index=7), holder), keys, status=cached)
    suspended = _verify(_present(_issue(issuer, holder, index=8), holder), keys, status=cached)
    fine = _verify(_present(_issue(issuer, holder, index=9), holder), keys, status=cached)
    assert not revoked.valid and revoked.checks["status"] == "revoked" and revoked.status is CredentialStatus.INVALID
    assert not suspended.valid and suspended.checks["status"] == "suspended"
    assert fine.valid


def test_status_unknown_without_a_usable_list(issuer, holder, keys):
    presentation = _present(_issue(issuer, holder), holder)
    stale = verify_status_list_token(
        sign_status_list_token(
            issuer, StatusList(16), uri=LIST_URI, issuer=ISSUER, issued_at=NOW - 10, ttl=300, expires_at=NOW + 60
        ),
        keys,
        now=NOW,
    )
    assert _verify(presentation, keys, status=None).checks["status"] == "status_unknown"
    assert verify_presentation(presentation, keys, status=stale, now=NOW + 120).checks["status"] == "status_unknown"
    assert _verify(presentation, keys, status=lambda uri, idx: 3).checks["status"] == "status_unknown"


def test_status_list_token_is_typed_signed_and_bound_to_its_uri(issuer, keys):
    token = sign_status_list_token(
        issuer, StatusList(16), uri=LIST_URI, issuer=ISSUER, issued_at=NOW, ttl=300, expires_at=NOW + 600
    )
    assert jwt.get_unverified_header(token)["typ"] == "statuslist+jwt"
    assert set(_payload(token)) == {"sub", "iss", "iat", "exp", "ttl", "status_list"}
    cases = [
        (token, LIST_URI + "-2", NOW, "status_list_uri_mismatch"),
        (token, LIST_URI, NOW + 600, "status_list_expired"),
        (token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB"), LIST_URI, NOW, "status_list_invalid"),
    ]
    for candidate, uri, now, code in cases:
        with pytest.raises(ValidationError) as refused:
            verify_status_list_token(candidate, keys, now=now, uri=uri)
        assert refused.value.code == code


def test_present_refuses_a_claim_the_credential_does_not_hold(issuer):
    with pytest.raises(ValidationError) as refused:
        present_sd_jwt_vc(_issue(issuer), ["tax_code"])
    assert refused.value.code == "claim_not_in_credential"


def test_a_private_holder_key_is_refused_at_issuance(issuer):
    private = {**LocalEcSigner.generate("x").public_jwk(), "d": "AAAA"}
    with pytest.raises(ValidationError):
        issue_sd_jwt_vc(
            issuer,
            claims=CLAIMS,
            vct="v",
            issuer=ISSUER,
            issued_at=NOW,
            expires_at=None,
            status_uri=LIST_URI,
            status_index=0,
            holder_jwk=private,
        )


def _proof(holder, typ="openid4vci-proof+jwt", aud=ISSUER, nonce="c-nonce-1", iat=NOW):
    jwk = {k: holder.public_jwk()[k] for k in ("kty", "crv", "x", "y")}
    return sign_compact(holder, {"typ": typ, "jwk": jwk}, {"aud": aud, "iat": iat, "nonce": nonce})


def test_openid4vci_proof_gives_the_holder_key(holder):
    jwk = check_proof_jwt(_proof(holder), issuer=ISSUER, nonce="c-nonce-1", now=NOW)
    assert jwk == {k: holder.public_jwk()[k] for k in ("kty", "crv", "x", "y")}


@pytest.mark.parametrize(
    "changes, code",
    [
        ({"typ": "JWT"}, "invalid_proof"),
        ({"aud": "https://other.example"}, "invalid_proof"),
        ({"iat": NOW - 3600}, "invalid_proof"),
        ({"nonce": "stale"}, "invalid_nonce"),
    ],
)
def test_openid4vci_proof_refusals(holder, changes, code):
    with pytest.raises(ValidationError) as refused:
        check_proof_jwt(_proof(holder, **changes), issuer=ISSUER, nonce="c-nonce-1", now=NOW)
    assert refused.value.code == code


def test_kms_signer_issues_what_its_published_keys_verify(stack, holder):
    kms = stack.client("kms")
    key_id = kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
    public_keys = KmsPublicKeys(kms, (key_id,))
    signer = KmsEcSigner(kms, key_id, public_keys)
    keys = load_issuer_keys(public_keys.jwks())
    result = _verify(_present(_issue(signer, holder), holder), keys)
    assert result.valid and signer.kid in keys, result.checks
