"""Tax codes: enterprise check digit, branch format, 12-digit personal IDs, and the reason for each refusal."""

import pytest

from chalicelib.domain.tax_codes import TaxCodeKind, check_digit, validate_tax_code
from chalicelib.errors import ValidationError


def _refusal(text) -> str:
    with pytest.raises(ValidationError) as refused:
        validate_tax_code(text)
    assert refused.value.errors[0].field == "tax_code" and refused.value.errors[0].code == refused.value.code
    return refused.value.code


def test_the_demo_company_code_passes_the_check_digit():
    # 0·31 + 1·29 + 0·23 + 9·19 + 1·17 + 2·13 + 3·7 + 4·5 + 5·3 = 299; 299 mod 11 = 2; 10 − 2 = 8
    assert check_digit("010912345") == 8
    code = validate_tax_code("0109123458")
    assert code.value == "0109123458" and code.kind is TaxCodeKind.ENTERPRISE


@pytest.mark.parametrize("text", ["0108765438", "0102345677", " 0109123458 "])
def test_valid_enterprise_codes(text):
    assert validate_tax_code(text).value == text.strip()


@pytest.mark.parametrize("wrong_last", "012345679")
def test_any_other_last_digit_fails_the_check(wrong_last):
    assert _refusal("010912345" + wrong_last) == "tax_code_check_digit"


def test_no_code_is_valid_when_the_check_would_be_10():
    assert check_digit("010912348") is None  # sum mod 11 = 0
    assert all(_refusal(f"010912348{last}") == "tax_code_check_digit" for last in "0123456789")


def test_a_branch_is_a_valid_parent_and_three_digits():
    code = validate_tax_code("0109123458-001")
    assert code.kind is TaxCodeKind.BRANCH and code.value == "0109123458-001"


@pytest.mark.parametrize(
    "text",
    [
        "0109123458-1",
        "0109123458-0001",
        "0109123458-000",
        "0109123458-",
        "-001",
        "0109123458 -001",
        "0109123458-00a",
        "01091234-58001",
    ],
)
def test_malformed_branches(text):
    assert _refusal(text) == "tax_code_branch_format"


def test_a_branch_of_an_invalid_parent_fails_the_check():
    assert _refusal("0109123457-001") == "tax_code_check_digit"


@pytest.mark.parametrize("text", ["001090000001", "001190000002", "096300000123"])
def test_twelve_digits_are_a_personal_id(text):
    code = validate_tax_code(text)
    assert code.kind is TaxCodeKind.PERSONAL and str(code) == text


@pytest.mark.parametrize("text", ["000090000001", "097090000001", "123456789012"])
def test_a_personal_id_opens_with_a_province_code(text):
    assert _refusal(text) == "tax_code_personal_id_province"


@pytest.mark.parametrize("text", ["01091234", "01091234588", "0010900000011", "1"])
def test_wrong_lengths(text):
    with pytest.raises(ValidationError) as refused:
        validate_tax_code(text)
    assert refused.value.code == "tax_code_wrong_length" and refused.value.params["length"] == len(text)


@pytest.mark.parametrize("text", ["01091234SA", "0109 123458", "０１０９１２３４５８", "٠١٠٩١٢٣٤٥٨", "0109123458\n1"])
def test_letters_spaces_and_non_ascii_digits_are_not_digits(text):
    assert _refusal(text) == "tax_code_not_digits"


@pytest.mark.parametrize("text", ["", "   ", None, 109123458])
def test_empty_or_not_text(text):
    assert _refusal(text) == "tax_code_empty"


def test_the_field_name_is_the_callers():
    with pytest.raises(ValidationError) as refused:
        validate_tax_code("12", field="business_tax_code")
    assert refused.value.errors[0].field == "business_tax_code"
