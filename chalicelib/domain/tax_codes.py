"""Vietnamese tax codes (mã số thuế): 10 digits with a check digit for an enterprise, `NNNNNNNNNN-NNN`
for a branch, and since mid-2025 an individual's 12-digit personal ID number. Pure rules."""

import re
from dataclasses import dataclass
from enum import Enum
from typing import Any, NoReturn

from chalicelib.errors import FieldProblem, ValidationError

_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
_DIGITS = re.compile(r"[0-9]+")  # ASCII only: str.isdigit() also takes "١٢٣" and "１２３"
_BRANCH = re.compile(r"([0-9]{10})-([0-9]{3})")
# The personal ID number opens with the province of birth registration, 001-096.
_PROVINCE = range(1, 97)


class TaxCodeKind(str, Enum):
    ENTERPRISE = "enterprise"
    BRANCH = "branch"
    PERSONAL = "personal"


@dataclass(frozen=True)
class TaxCode:
    value: str
    kind: TaxCodeKind

    def __str__(self) -> str:
        return self.value


def check_digit(first_nine: str) -> int | None:
    """The tenth digit the first nine call for, or None when 10 − (sum mod 11) is 10: no code ends so."""
    check = 10 - sum(int(digit) * weight for digit, weight in zip(first_nine, _WEIGHTS, strict=False)) % 11
    return None if check == 10 else check


def validate_tax_code(text: Any, field: str = "tax_code") -> TaxCode:
    """The code, its surrounding whitespace dropped, or ValidationError naming the rule it breaks."""
    value = text.strip() if isinstance(text, str) else ""
    if not value:
        _refuse("tax_code_empty", field)
    if "-" in value:
        return _branch(value, field)
    if not _DIGITS.fullmatch(value):
        _refuse("tax_code_not_digits", field)
    if len(value) == 12:
        return _personal(value, field)
    if len(value) != 10:
        _refuse("tax_code_wrong_length", field, length=len(value))
    _check_enterprise(value, field)
    return TaxCode(value, TaxCodeKind.ENTERPRISE)


def _branch(value: str, field: str) -> TaxCode:
    match = _BRANCH.fullmatch(value)
    if not match or match.group(2) == "000":
        _refuse("tax_code_branch_format", field)
    _check_enterprise(match.group(1), field)
    return TaxCode(value, TaxCodeKind.BRANCH)


def _personal(value: str, field: str) -> TaxCode:
    if int(value[:3]) not in _PROVINCE:
        _refuse("tax_code_personal_id_province", field)
    return TaxCode(value, TaxCodeKind.PERSONAL)


def _check_enterprise(value: str, field: str) -> None:
    if check_digit(value[:9]) != int(value[9]):
        _refuse("tax_code_check_digit", field)


def _refuse(code: str, field: str, **params: Any) -> NoReturn:
    raise ValidationError(code, params={"field": field, **params}, errors=(FieldProblem(field, code),))
