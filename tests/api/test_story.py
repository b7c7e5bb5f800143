"""Issue 4's whole story through every real part: the agency over HTTP, SQS, the notification consumer,
the push worker and the real firebase-admin SDK against the local FCM endpoint."""

import uuid

from tests.api.test_devices import register
from tests.api.test_dossiers import event, record
from tests.conftest import BINH, eventually


def _dossier_entries(api, tokens, dossier_id):
    answer = api.get("/v1/me/notifications", headers=tokens.auth)
    return [n for n in answer.json()["items"] if n["data"].get("dossier_id") == dossier_id]


def _at_least(items, count):
    return items if len(items) >= count else None


def test_agency_updates_reach_the_citizen_once_per_event_on_every_device(agency, other_agency, api, an_phone, fcm):
    phone_token, tablet_token = f"story-{uuid.uuid4()}", f"story-{uuid.uuid4()}"
    register(api, an_phone, phone_token, "vi")
    register(api, an_phone, tablet_token, "en", platform="ios")
    receipt = record(agency).json()["receipt_code"]
    received_id = str(uuid.uuid4())
    assert event(agency, receipt, "received", "2026-03-02T08:30:00+07:00", event_id=received_id).status_code == 201
    assert event(agency, receipt, "approved", "2026-03-02T11:00:00+07:00").status_code == 201
    late = event(agency, receipt, "processing", "2026-03-02T09:00:00+07:00")  # arrives after "approved"
    assert late.status_code == 201
    duplicate = event(agency, receipt, "received", "2026-03-02T08:30:00+07:00", event_id=received_id)
    assert duplicate.status_code == 200

    dossiers = api.get("/v1/me/dossiers", headers=an_phone.auth).json()["items"]
    mine = next(d for d in dossiers if d["receipt_code"] == receipt)
    detail = api.get(f"/v1/me/dossiers/{mine['dossier_id']}", headers=an_phone.auth).json()
    assert detail["status"] == "approved"
    assert [step["status"] for step in detail["timeline"]][-3:] == ["received", "processing", "approved"]

    timeline = detail["timeline"]  # the counter receipt itself is the first step
    expected = sorted(step["status"] for step in timeline)
    entries = eventually(lambda: _at_least(_dossier_entries(api, an_phone, mine["dossier_id"]), len(timeline)))
    assert sorted(e["data"]["status"] for e in entries) == expected  # one entry per event, the duplicate none
    for token in (phone_token, tablet_token):
        assert len(eventually(lambda: _at_least(fcm.delivered(token), len(timeline)))) == len(timeline)

    binh = api.login(BINH)
    assert api.get(f"/v1/me/dossiers/{mine['dossier_id']}", headers=binh.auth).status_code == 404
    assert (
        other_agency.post(
            f"/v1/agency/dossiers/{receipt}/events",
            json={
                "event_id": str(uuid.uuid4()),
                "occurred_at": "2026-03-02T12:00:00+07:00",
                "status": "completed",
                "step_name": "x",
                "agency_unit": "x",
                "officer_role": "x",
            },
        ).status_code
        == 404
    )
