"""Wallet credentials: the document types and their claim schemas (data/credential_types.json), the claims
that are never selectively disclosed, Token Status List values, and what issuing and verifying produce."""

import functools
import json
from dataclasses import dataclass
from datetime import date
from enum import IntEnum
from pathlib import Path
from typing import Any

from chalicelib.domain.citizens import normalize_text
from chalicelib.errors import FieldProblem

_DATA = Path(__file__).resolve().parent.parent / "data" / "credential_types.json"
CLAIM_KINDS = ("string", "date", "integer")
MAX_INTEGER = 10**15  # VND amounts stay far below; anything above is a typo or an attack

# SD-JWT VC: what a verifier needs to judge validity is always in plain text, never behind a Disclosure.
ALWAYS_VISIBLE_CLAIMS = frozenset({"iss", "vct", "iat", "nbf", "exp", "status", "cnf"})
# Names the SD-JWT structure itself uses: a claim may not be called that.
RESERVED_CLAIMS = ALWAYS_VISIBLE_CLAIMS | {"_sd", "_sd_alg", "...", "sub", "jti", "aud"}

OK = "ok"
NOT_CHECKED = "not_checked"  # an earlier check failed, so this one could not be trusted to run
NOT_REQUIRED = "not_required"  # key binding when the verifier asked for none


class CredentialStatus(IntEnum):
    """Token Status List values (2 bits per credential); 3 is left to applications and means unknown here."""

    VALID = 0
    INVALID = 1
    SUSPENDED = 2


STATUS_BITS = 2


@dataclass(frozen=True)
class ClaimSpec:
    name: str
    kind: str  # one of CLAIM_KINDS
    required: bool
    max_length: int | None = None
    label_vi: str = ""  # what a wallet shows beside the value (the type metadata's claim display)
    label_en: str = ""


@dataclass(frozen=True)
class CredentialType:
    code: str  # BIRTH_CERTIFICATE_EXTRACT, ...
    vct: str
    name_vi: str
    name_en: str
    claims: tuple[ClaimSpec, ...]
    description_vi: str = ""
    description_en: str = ""


@dataclass(frozen=True)
class IssuedCredential:
    """One SD-JWT VC as issued: the compact form holds every Disclosure and so the document's contents."""

    credential_type: str
    vct: str
    issuer: str
    issued_at: int
    expires_at: int | None
    status_uri: str
    status_index: int
    holder_bound: bool
    sd_jwt: str


@dataclass(frozen=True)
class VerifiedPresentation:
    """What a verifier established. checks: check name -> "ok", a reason code, or not_checked/not_required."""

    issuer: str | None
    vct: str | None
    claims: dict[str, Any]
    valid: bool
    checks: dict[str, str]
    status: CredentialStatus | None = None
    expires_at: int | None = None

    @property
    def reasons(self) -> tuple[str, ...]:
        """The failed checks' reason codes, in check order."""
        return tuple(v for v in self.checks.values() if v not in (OK, NOT_CHECKED, NOT_REQUIRED))


@functools.lru_cache(maxsize=1)
def credential_types() -> dict[str, CredentialType]:
    raw = json.loads(_DATA.read_text(encoding="utf-8"))
    return {code: _credential_type(code, item) for code, item in raw.items()}


def credential_type_by_vct(vct: str) -> CredentialType | None:
    return next((t for t in credential_types().values() if t.vct == vct), None)


def _credential_type(code: str, item: dict[str, Any]) -> CredentialType:
    claims = tuple(
        ClaimSpec(c["name"], c["type"], c["required"], c.get("max_length"), c["label_vi"], c["label_en"])
        for c in item["claims"]
    )
    bad = [c.name for c in claims if c.kind not in CLAIM_KINDS or c.name in RESERVED_CLAIMS]
    if bad:
        raise ValueError(f"credential type {code}: invalid claim specs {bad}")
    descriptions = (item["description_vi"], item["description_en"])
    return CredentialType(code, item["vct"], item["name_vi"], item["name_en"], claims, *descriptions)


def check_claims(credential_type: CredentialType, claims: Any) -> tuple[dict[str, Any], tuple[FieldProblem, ...]]:
    """(the claims to issue, NFC strings) or the problems of every field; unknown claims are refused."""
    if not isinstance(claims, dict):
        return {}, (FieldProblem("claims", "required" if claims is None else "must_be_object"),)
    known = {spec.name for spec in credential_type.claims}
    problems = [FieldProblem(f"claims.{name}", "unknown_field") for name in claims if name not in known]
    values: dict[str, Any] = {}
    for spec in credential_type.claims:
        value = claims.get(spec.name)
        if value is None or value == "":
            if spec.required:
                problems.append(FieldProblem(f"claims.{spec.name}", "required"))
            continue
        checked, problem = check_claim(spec, value)
        if problem:
            problems.append(FieldProblem(f"claims.{spec.name}", problem))
        else:
            values[spec.name] = checked
    return values, tuple(problems)


def check_claim(spec: ClaimSpec, value: Any) -> tuple[Any, str]:
    """(the value to issue, "") or (None, the problem code)."""
    if spec.kind == "integer":
        # JSON has one number type: 715.0 is the integer 715 (as JSON Schema says, and so the contract), 715.5 is not.
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        in_range = isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_INTEGER
        return (value, "") if in_range else (None, "invalid_format")
    if not isinstance(value, str):
        return None, "must_be_string"
    text = normalize_text(value)
    if spec.max_length is not None and len(text) > spec.max_length:
        return None, "too_long"
    if spec.kind == "date" and not _is_iso_date(text):
        return None, "invalid_format"
    return text, ""


def _is_iso_date(text: str) -> bool:
    try:
        return date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False
