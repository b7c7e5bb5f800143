"""The wallet's document types and their claim schemas (chalicelib/data/credential_types.json)."""

import unicodedata

import pytest

from chalicelib.domain.credentials import (
    ALWAYS_VISIBLE_CLAIMS,
    CredentialStatus,
    VerifiedPresentation,
    check_claims,
    credential_type_by_vct,
    credential_types,
)
from chalicelib.errors import FieldProblem

BIRTH = "BIRTH_CERTIFICATE_EXTRACT"
VALID_BIRTH = {
    "full_name": "Nguyễn Văn An",
    "date_of_birth": "1990-05-17",
    "place_of_birth": "Hà Nội",
    "gender": "Nam",
    "registration_number": "123/2026",
    "issue_date": "2026-01-02",
    "issuing_authority": "UBND phường Hoàn Kiếm",
}


def test_every_required_document_type_is_defined_with_its_own_vct():
    types = credential_types()
    assert {BIRTH, "RESIDENCE_CONFIRMATION", "BUSINESS_REGISTRATION", "JUDICIAL_RECORD", "TAX_RECEIPT"} <= set(types)
    vcts = [t.vct for t in types.values()]
    assert len(set(vcts)) == len(vcts)
    assert credential_type_by_vct(types["TAX_RECEIPT"].vct) is types["TAX_RECEIPT"]


def test_no_schema_claim_collides_with_the_always_visible_claims():
    names = {spec.name for t in credential_types().values() for spec in t.claims}
    assert not names & ALWAYS_VISIBLE_CLAIMS
    assert {"iss", "vct", "iat", "nbf", "exp", "status", "cnf"} == ALWAYS_VISIBLE_CLAIMS


def test_valid_claims_pass_and_come_back_nfc():
    decomposed = unicodedata.normalize("NFD", "Nguyễn Văn An")
    claims, problems = check_claims(credential_types()[BIRTH], {**VALID_BIRTH, "full_name": decomposed})
    assert problems == ()
    assert claims["full_name"] == "Nguyễn Văn An" and claims["full_name"] != decomposed


def test_every_field_problem_is_reported_at_once():
    bad = {**VALID_BIRTH, "date_of_birth": "17/05/1990", "place_of_birth": "x" * 201, "nickname": "An"}
    del bad["registration_number"]
    _, problems = check_claims(credential_types()[BIRTH], bad)
    assert set(problems) == {
        FieldProblem("claims.date_of_birth", "invalid_format"),
        FieldProblem("claims.place_of_birth", "too_long"),
        FieldProblem("claims.nickname", "unknown_field"),
        FieldProblem("claims.registration_number", "required"),
    }


@pytest.mark.parametrize("value", [True, "100", -1, 10**16, 1.5])
def test_integer_claims_are_integers_in_range(value):
    receipt = {
        "taxpayer_name": "Công ty TNHH An Bình",
        "tax_code": "0101234567",
        "tax_type": "Thuế GTGT",
        "amount_vnd": value,
        "payment_date": "2026-03-01",
        "receipt_number": "CT-1",
        "issuing_authority": "Cục Thuế Hà Nội",
    }
    problems = check_claims(credential_types()["TAX_RECEIPT"], receipt)[1]
    assert problems == (FieldProblem("claims.amount_vnd", "invalid_format"),)


def test_an_integral_number_is_an_integer_claim():
    """JSON Schema's integer: 715.0 is 715 (a schema-valid body the fuzzer sends), issued as the integer."""
    receipt = {
        "taxpayer_name": "Công ty TNHH An Bình",
        "tax_code": "0101234567",
        "tax_type": "Thuế GTGT",
        "amount_vnd": 715.0,
        "payment_date": "2026-03-01",
        "receipt_number": "CT-1",
        "issuing_authority": "Cục Thuế Hà Nội",
    }
    values, problems = check_claims(credential_types()["TAX_RECEIPT"], receipt)
    assert problems == () and values["amount_vnd"] == 715 and isinstance(values["amount_vnd"], int)


def test_claims_must_be_an_object():
    assert check_claims(credential_types()[BIRTH], None)[1] == (FieldProblem("claims", "required"),)
    assert check_claims(credential_types()[BIRTH], ["x"])[1] == (FieldProblem("claims", "must_be_object"),)


def test_status_values_are_the_token_status_list_ones():
    assert [CredentialStatus.VALID, CredentialStatus.INVALID, CredentialStatus.SUSPENDED] == [0, 1, 2]


def test_reasons_are_the_failed_checks_only():
    result = VerifiedPresentation(
        "i",
        "v",
        {},
        False,
        {"signature": "ok", "status": "revoked", "key_binding": "not_required", "validity": "not_checked"},
    )
    assert result.reasons == ("revoked",)
