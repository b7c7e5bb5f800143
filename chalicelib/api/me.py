"""The logged-in citizen: profile and the devices (sessions) signed in to their account."""

import time

from chalicelib import wiring
from chalicelib.api.access import citizen
from chalicelib.api.businesses import business_body
from chalicelib.api.http import ApiBlueprint, json_response
from chalicelib.api.pages import in_memory_page, list_body, only_known
from chalicelib.api.tax import refresh_asked
from chalicelib.domain.citizens import mask_personal_id
from chalicelib.domain.delegations import RepresentedBusiness
from chalicelib.domain.instants import utc_instant
from chalicelib.domain.sessions import Principal, Session
from chalicelib.services import me, tax_businesses
from chalicelib.wiring import tax as tax_wiring

me_api = ApiBlueprint(__name__)


@me_api.route("/v1/me", methods=["GET"], caller=citizen())
def get_me(principal: Principal):
    profile = me.get_profile(principal, wiring.citizens())
    return json_response(
        {
            "citizen_id": profile.citizen_id,
            "full_name": profile.full_name,
            "birthdate": profile.birthdate,
            "gender": profile.gender,
            "place_of_residence": profile.place_of_residence,
            "eid_level": profile.eid_level,
            "personal_id_masked": mask_personal_id(profile.personal_id),
            "represents": list(profile.represents),
        }
    )


@me_api.route("/v1/me/sessions", methods=["GET"], caller=citizen())
def list_sessions(principal: Principal):
    sessions = me.list_sessions(principal, wiring.sessions(), int(time.time()))
    kind = "me-sessions:" + principal.citizen_id
    page = in_memory_page(sessions, me_api.current_request.query_params or {}, kind)
    return json_response(list_body(page, kind, lambda s: _session(s, principal)))


def _session(session: Session, principal: Principal) -> dict:
    return {
        "session_id": session.session_id,
        "device_name": session.device_name,
        "user_agent": session.user_agent,
        "created_at": utc_instant(session.created_at),
        "last_active_at": utc_instant(session.last_refreshed_at),
        "expires_at": utc_instant(min(session.idle_expires_at, session.absolute_expires_at)),
        "current": session.session_id == principal.session_id,
    }


@me_api.route("/v1/me/sessions/{session_id}", methods=["DELETE"], caller=citizen())
def end_session(principal: Principal, session_id):
    me.end_session(principal, session_id, wiring.sessions())
    return json_response(None, status=204)


@me_api.route("/v1/me/businesses", methods=["GET"], caller=citizen(level=2))
def list_businesses(principal: Principal):
    """Businesses whose taxes the citizen may read: legal representative per the tax authority's registry, or
    delegate with a live grant. Tax data behind them needs level 2."""
    params = me_api.current_request.query_params or {}
    only_known(params, ("limit", "cursor", "refresh"))
    found = tax_businesses.my_businesses(tax_wiring.business_ports(), principal, refresh=refresh_asked(params))
    kind = "me-businesses:" + principal.citizen_id
    page = in_memory_page(found, {k: v for k, v in params.items() if k != "refresh"}, kind)
    return json_response(list_body(page, kind, _business))


def _business(item: RepresentedBusiness) -> dict:
    return {
        **business_body(item.business),
        "role": item.role,
        "expires_at": utc_instant(item.delegation.expires_at) if item.delegation else None,
    }
