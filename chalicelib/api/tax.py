"""E-tax for the logged-in citizen (eID level 2): what the tax authority holds about them, read through the
cache (services/tax_reads.py). Every answer says when the authority said it (`as_of`) and whether it is a
kept copy shown because the authority could not be asked now (`stale`)."""

from typing import Any

from chalicelib.api.access import citizen
from chalicelib.api.http import ApiBlueprint, json_response
from chalicelib.api.pages import only_known
from chalicelib.domain.instants import utc_instant
from chalicelib.domain.sessions import Principal
from chalicelib.domain.tax import TaxAnswer, TaxOffice, TaxProfile
from chalicelib.errors import FieldProblem, ValidationError
from chalicelib.services import tax_reads
from chalicelib.wiring import tax as tax_wiring

tax_api = ApiBlueprint(__name__)
_LEVEL = 2  # tax data: only a session whose eID was verified in person


@tax_api.route("/v1/me/tax/profile", methods=["GET"], caller=citizen(level=_LEVEL))
def get_my_tax_profile(principal: Principal):
    params = _params(("refresh",))
    answer = tax_reads.my_profile(tax_wiring.tax_read_ports(), principal, refresh=refresh_asked(params))
    return json_response({**profile_body(answer.value), **freshness(answer)})


def _params(known: tuple[str, ...]) -> dict[str, str]:
    params = tax_api.current_request.query_params or {}
    only_known(params, known)
    return params


def refresh_asked(params: dict[str, str]) -> bool:
    raw = params.get("refresh", "false")
    if raw not in ("true", "false"):
        raise ValidationError(errors=(FieldProblem("refresh", "invalid_format"),))
    return raw == "true"


def freshness(answer: TaxAnswer) -> dict[str, Any]:
    return {"as_of": utc_instant(answer.as_of), "stale": answer.stale}


def profile_body(profile: TaxProfile) -> dict[str, Any]:
    return {
        "tax_code": profile.tax_code,
        "full_name": profile.full_name,
        "tax_office": office_body(profile.tax_office),
        "status": profile.status,
        "dependants": [
            {
                "full_name": dependant.full_name,
                "relationship": dependant.relationship,
                "tax_code": dependant.tax_code,
                "registered_from": dependant.registered_from.isoformat(),
            }
            for dependant in profile.dependants
        ],
    }


def office_body(office: TaxOffice) -> dict[str, str]:
    return {"code": office.code, "name": office.name}
