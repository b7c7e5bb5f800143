"""Businesses' taxes (eID level 2): delegations managed by the legal representative, the business's tax data for
the representative or a live delegate (anyone else: 404), and the public status anyone may check (no login,
rate-limited per client, never amounts). Tax codes in paths are validated: a bad one is a 400 naming the rule."""

import re
from typing import Any

from chalicelib.api.access import PUBLIC, citizen
from chalicelib.api.dossier_input import idempotent
from chalicelib.api.http import ApiBlueprint, json_body, json_response
from chalicelib.api.limits import BUSINESS_STATUS_VIEWS
from chalicelib.api.pages import in_memory_page, list_body, only_known
from chalicelib.api.tax import (
    LIST_PARAMS,
    debts_list,
    freshness,
    obligations_list,
    office_body,
    payments_list,
    profile_body,
    refresh_asked,
    year_asked,
)
from chalicelib.domain.delegations import Delegation
from chalicelib.domain.dossiers import parse_instant
from chalicelib.domain.instants import utc_instant
from chalicelib.domain.sessions import Principal
from chalicelib.domain.tax import BusinessStatus
from chalicelib.domain.tax_codes import TaxCodeKind, validate_tax_code
from chalicelib.errors import FieldProblem, NotFoundError, ValidationError
from chalicelib.services import delegations, tax_businesses, tax_reads
from chalicelib.services.delegations import DelegationRequest
from chalicelib.wiring import tax as tax_wiring

businesses_api = ApiBlueprint(__name__)
_LEVEL = 2  # tax data: only a session whose eID was verified in person
_DELEGATION_ID = re.compile(r"dlg_[0-9a-f]{20}")
_DELEGATION_FIELDS = ("personal_id", "expires_at")


@businesses_api.route("/v1/businesses/{tax_code}/delegations", methods=["POST"], caller=citizen(level=_LEVEL))
def grant_delegation(principal: Principal, tax_code):
    code = tax_businesses.business_tax_code(tax_code)
    request = businesses_api.current_request
    body = json_body(request)
    granted = delegations.grant_delegation(
        tax_wiring.business_ports(), principal, code, delegation_request(body), idempotent(request, body)
    )
    return json_response(delegation_body(granted), status=201)


@businesses_api.route("/v1/businesses/{tax_code}/delegations", methods=["GET"], caller=citizen(level=_LEVEL))
def list_delegations(principal: Principal, tax_code):
    code = tax_businesses.business_tax_code(tax_code)
    params = _params(("limit", "cursor"))
    grants = delegations.list_delegations(tax_wiring.business_ports(), principal, code)
    kind = f"delegations:{principal.citizen_id}:{code}"
    return json_response(list_body(in_memory_page(grants, params, kind), kind, delegation_body))


@businesses_api.route(
    "/v1/businesses/{tax_code}/delegations/{delegation_id}", methods=["DELETE"], caller=citizen(level=_LEVEL)
)
def revoke_delegation(principal: Principal, tax_code, delegation_id):
    code = tax_businesses.business_tax_code(tax_code)
    if not _DELEGATION_ID.fullmatch(delegation_id or ""):
        raise NotFoundError("delegation_not_found")
    delegations.revoke_delegation(tax_wiring.business_ports(), principal, code, delegation_id)
    return json_response(None, status=204)


@businesses_api.route("/v1/businesses/{tax_code}/tax/profile", methods=["GET"], caller=citizen(level=_LEVEL))
def get_business_tax_profile(principal: Principal, tax_code):
    code = tax_businesses.business_tax_code(tax_code)
    refresh = refresh_asked(_params(("refresh",)))
    answer = tax_businesses.business_profile(tax_wiring.business_ports(), principal, code, refresh)
    return json_response({**profile_body(answer.value), **freshness(answer)})


@businesses_api.route("/v1/businesses/{tax_code}/tax/obligations", methods=["GET"], caller=citizen(level=_LEVEL))
def list_business_obligations(principal: Principal, tax_code):
    code, params, ports = (
        tax_businesses.business_tax_code(tax_code),
        _params(LIST_PARAMS + ("year",)),
        tax_wiring.business_ports(),
    )
    year = year_asked(params, tax_reads.today_in_vietnam(ports.reads).year)
    answer = tax_businesses.business_obligations(ports, principal, code, year, refresh_asked(params))
    return json_response(
        obligations_list(answer, params, f"business-obligations:{principal.citizen_id}:{code}:{year}", year)
    )


@businesses_api.route("/v1/businesses/{tax_code}/tax/debts", methods=["GET"], caller=citizen(level=_LEVEL))
def list_business_debts(principal: Principal, tax_code):
    code, params = tax_businesses.business_tax_code(tax_code), _params(LIST_PARAMS)
    answer = tax_businesses.business_debts(tax_wiring.business_ports(), principal, code, refresh_asked(params))
    return json_response(debts_list(answer, params, f"business-debts:{principal.citizen_id}:{code}"))


@businesses_api.route("/v1/businesses/{tax_code}/tax/payments", methods=["GET"], caller=citizen(level=_LEVEL))
def list_business_payments(principal: Principal, tax_code):
    code, params = tax_businesses.business_tax_code(tax_code), _params(LIST_PARAMS)
    answer = tax_businesses.business_payments(tax_wiring.business_ports(), principal, code, refresh_asked(params))
    return json_response(payments_list(answer, params, f"business-payments:{principal.citizen_id}:{code}"))


@businesses_api.route(
    "/v1/tax/businesses/{tax_code}/status", methods=["GET"], caller=PUBLIC, limit=BUSINESS_STATUS_VIEWS
)
def get_business_status(tax_code):
    code = validate_tax_code(tax_code)
    _params(())
    if code.kind is TaxCodeKind.PERSONAL:  # an individual's status is nobody else's business
        raise NotFoundError("business_not_found")
    answer = tax_businesses.public_status(tax_wiring.tax_read_ports(), code.value)
    return json_response({**business_body(answer.value), **freshness(answer)})


def _params(known: tuple[str, ...]) -> dict[str, str]:
    params = businesses_api.current_request.query_params or {}
    only_known(params, known)
    return params


def delegation_request(body: dict[str, Any]) -> DelegationRequest:
    """Every bad field at once: a 12-digit personal ID number, an RFC 3339 instant with its offset."""
    problems = [FieldProblem(name, "unknown_field") for name in body if name not in _DELEGATION_FIELDS]
    personal_id = _personal_id(body.get("personal_id"), problems)
    expires_at = _instant(body.get("expires_at"), "expires_at", problems)
    if problems:
        raise ValidationError(errors=tuple(problems))
    return DelegationRequest(personal_id, expires_at)


def _personal_id(value: Any, problems: list[FieldProblem]) -> str:
    if value is None:
        problems.append(FieldProblem("personal_id", "required"))
        return ""
    if not isinstance(value, str):
        problems.append(FieldProblem("personal_id", "must_be_string"))
        return ""
    if not re.fullmatch(r"[0-9]{12}", value):
        problems.append(FieldProblem("personal_id", "invalid_format"))
        return ""
    try:
        code = validate_tax_code(value, "personal_id")
    except ValidationError as refused:  # the province code: a rule the pattern does not state
        problems.extend(refused.errors)
        return ""
    if code.kind is not TaxCodeKind.PERSONAL:
        problems.append(FieldProblem("personal_id", "invalid_format"))
        return ""
    return code.value


def _instant(value: Any, name: str, problems: list[FieldProblem]) -> int:
    if value is None:
        problems.append(FieldProblem(name, "required"))
        return 0
    moment = parse_instant(value) if isinstance(value, str) and len(value) <= 40 else None
    if moment is None:
        problems.append(FieldProblem(name, "must_be_string" if not isinstance(value, str) else "invalid_format"))
        return 0
    return int(moment.timestamp())


def delegation_body(delegation: Delegation) -> dict[str, Any]:
    return {
        "delegation_id": delegation.delegation_id,
        "tax_code": delegation.tax_code,
        "business_name": delegation.business_name,
        "delegate": {"personal_id_masked": delegation.delegate_masked},
        "created_at": utc_instant(delegation.created_at),
        "expires_at": utc_instant(delegation.expires_at),
    }


def business_body(business: BusinessStatus) -> dict[str, Any]:
    return {
        "tax_code": business.tax_code,
        "name": business.name,
        "state": business.state.value,
        "tax_office": office_body(business.tax_office),
    }
