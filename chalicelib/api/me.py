"""The logged-in citizen: profile and the devices (sessions) signed in to their account."""
import time

from chalicelib import wiring
from chalicelib.api.http import ApiBlueprint, current_principal, json_response
from chalicelib.domain.citizens import mask_personal_id
from chalicelib.services import me

me_api = ApiBlueprint(__name__)


@me_api.route("/v1/me", methods=["GET"])
def get_me():
    principal = current_principal(me_api.current_request)
    citizen = me.get_profile(principal, wiring.citizens())
    return json_response({
        "citizen_id": citizen.citizen_id, "full_name": citizen.full_name, "birthdate": citizen.birthdate,
        "gender": citizen.gender, "place_of_residence": citizen.place_of_residence,
        "eid_level": citizen.eid_level, "personal_id_masked": mask_personal_id(citizen.personal_id),
        "represents": list(citizen.represents),
    })


@me_api.route("/v1/me/sessions", methods=["GET"])
def list_sessions():
    principal = current_principal(me_api.current_request)
    sessions = me.list_sessions(principal, wiring.sessions(), int(time.time()))
    return json_response({"sessions": [{
        "session_id": s.session_id, "device_name": s.device_name, "user_agent": s.user_agent,
        "created_at": s.created_at, "last_active_at": s.last_refreshed_at,
        "expires_at": min(s.idle_expires_at, s.absolute_expires_at),
        "current": s.session_id == principal.session_id,
    } for s in sessions]})


@me_api.route("/v1/me/sessions/{session_id}", methods=["DELETE"])
def end_session(session_id):
    principal = current_principal(me_api.current_request)
    me.end_session(principal, session_id, wiring.sessions())
    return json_response(None, status=204)


@me_api.route("/v1/me/businesses", methods=["GET"])
def list_businesses():
    """Businesses the citizen legally represents, as the eID asserts: tax data behind them needs level 2."""
    principal = current_principal(me_api.current_request, min_level=2)
    citizen = me.get_profile(principal, wiring.citizens())
    return json_response({"businesses": [{"tax_code": code, "role": "legal_representative"}
                                         for code in citizen.represents]})
