"""The access log everywhere: walking the agency, issuer, verifier and delegate routes writes exactly one entry per
call (with its category and channel) in the log of the citizen whose data it was; the citizen's own calls write
none; the filters; no method edits or deletes an entry; the monthly digest, once per citizen and month."""

from collections import Counter
from datetime import UTC, datetime

import pytest

from chalicelib import wiring
from chalicelib.domain.access_log import month_bounds
from chalicelib.domain.working_days import VIETNAM
from chalicelib.services.access_digest import send_digests
from chalicelib.wiring.notifications import access_digest_ports
from tests.api.test_delegations import BINH_MINH, grant
from tests.api.test_dossiers import event, record
from tests.api.test_wallet import issue, share
from tests.conftest import CUONG, AgencyClient, eventually
from tests.contract.openapi import assert_response_matches

LOG = "/v1/me/access-log"


def entries(api, tokens, **params) -> list[dict]:
    found, cursor = [], None
    while True:
        page = api.get(LOG, headers=tokens.auth, params={"limit": 100, **params, "cursor": cursor})
        assert page.status_code == 200, page.text
        found += page.json()["items"]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return found


def new_entries(api, tokens, call) -> list[dict]:
    """What one call added to the citizen's log (entries compared whole, so two alike in a second still count)."""
    before = Counter(_frozen(e) for e in entries(api, tokens))
    call()
    after = Counter(_frozen(e) for e in entries(api, tokens))
    return [dict(e) for e in (after - before).elements()]


def _frozen(entry: dict) -> tuple:
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in entry.items()))


def one(added: list[dict], category: str, channel: str, action: str) -> dict:
    assert len(added) == 1, added
    assert (added[0]["category"], added[0]["channel"], added[0]["action"]) == (category, channel, action), added
    return added[0]


def ok(answer, status=(200, 201)):
    assert answer.status_code in status, answer.text
    return answer


@pytest.fixture(scope="module")
def issuer(stack, api) -> AgencyClient:
    return AgencyClient(api, stack.agency_clients[2], stack.agency_token_endpoint)


def test_every_agency_route_writes_one_entry(api, agency, an, published):
    created: dict = {}
    added = new_entries(api, an, lambda: created.update(ok(record(agency)).json()))
    receipt = created["receipt_code"]
    assert one(added, "dossier", "agency_api", "dossier.create")["target"] == f"dossier:{receipt}"
    moved = lambda: ok(event(agency, receipt, "processing", "2026-03-03T09:00:00+07:00"))  # noqa: E731
    assert one(new_entries(api, an, moved), "dossier", "agency_api", "dossier.event")["target"] == f"dossier:{receipt}"
    listed = new_entries(api, an, lambda: ok(agency.get("/v1/agency/dossiers", params={"limit": 100})))
    assert [e["target"] for e in listed].count(f"dossier:{receipt}") == 1
    assert len({e["target"] for e in listed}) == len(listed)  # one per listed dossier, its documents named in it
    assert {(e["category"], e["channel"], e["action"]) for e in listed} == {("dossier", "agency_api", "dossier.list")}


def test_every_issuer_and_verifier_route_writes_one_entry(api, issuer, an):
    issued: dict = {}
    added = new_entries(api, an, lambda: issued.update(ok(issue(issuer)).json()))
    document = issued["document_id"]
    assert one(added, "wallet_document", "issuer_api", "document.issue")["target"] == f"document:{document}"
    shared: dict = {}
    assert new_entries(api, an, lambda: shared.update(ok(share(api, an, document)).json())) == []  # An's own
    viewed = one(new_entries(api, an, lambda: ok(api.get(f"/v1/shares/{shared['share_id']}"))), "share", "share_link",
                 "document.share_view")  # fmt: skip
    assert viewed["target"] == f"document:{document}" and viewed["purpose"] == "Ngân hàng ABC"
    for action in ("suspend", "reinstate", "revoke"):
        change = lambda action=action: ok(issuer.post(f"/v1/issuer/documents/{document}/{action}"))  # noqa: E731
        one(new_entries(api, an, change), "wallet_document", "issuer_api", f"document.{action}")


@pytest.mark.parametrize("topic", ["profile", "obligations?year=2026", "debts", "payments"])
def test_every_delegate_read_writes_one_entry_in_the_representatives_log(api, an, binh, topic):
    granted = ok(grant(api, binh)).json()
    try:
        read = lambda: ok(api.get(f"/v1/businesses/{BINH_MINH}/tax/{topic}", headers=an.auth))  # noqa: E731
        entry = one(new_entries(api, binh, read), "tax", "delegate", f"business_tax.{topic.split('?')[0]}.read")
        assert entry["actor"] == "Nguyễn Văn An" and entry["target"] == f"business:{BINH_MINH}"
        assert new_entries(api, binh, lambda: ok(api.get(f"/v1/businesses/{BINH_MINH}/tax/{topic}",
                                                         headers=binh.auth))) == []  # fmt: skip
    finally:
        api.delete(f"/v1/businesses/{BINH_MINH}/delegations/{granted['delegation_id']}", headers=binh.auth)


def test_the_log_filters_by_category_and_time(api, agency, issuer, an):
    ok(record(agency))
    ok(issue(issuer))
    answer = api.get(LOG, headers=an.auth, params={"category": "wallet_document", "limit": 100})
    assert_response_matches(answer, LOG, "GET")
    assert answer.json()["items"] and {e["category"] for e in answer.json()["items"]} == {"wallet_document"}
    newest = entries(api, an)[0]["at"]
    since = entries(api, an, **{"from": newest})
    assert since and all(e["at"] >= newest for e in since)
    assert all(e["at"] < newest for e in entries(api, an, to=newest))
    assert entries(api, an, **{"from": "2020-01-01T00:00:00+07:00", "to": "2020-02-01T00:00:00Z"}) == []
    assert entries(api, an, **{"from": newest, "to": newest}) == []  # an empty range


@pytest.mark.parametrize(
    "params, field, code",
    [
        ({"category": "everything"}, "category", "not_allowed"),
        ({"from": "yesterday"}, "from", "invalid_format"),
        ({"to": "2026-11-01T00:00:00"}, "to", "invalid_format"),  # no offset: ambiguous
        ({"agency": "x"}, "agency", "unknown_parameter"),
    ],
)
def test_bad_filters_are_a_400_in_the_callers_language(api, an, params, field, code):
    answer = api.get(LOG, headers={**an.auth, "Accept-Language": "en"}, params=params)
    assert answer.status_code == 400 and answer.headers["content-type"].startswith("application/problem+json")
    assert [(e["field"], e["code"]) for e in answer.json()["errors"]] == [(field, code)]
    assert answer.headers["content-language"] == "en"
    assert_response_matches(answer, LOG, "GET")


def test_no_method_changes_or_deletes_an_entry(api, agency, an):
    ok(record(agency))
    before = entries(api, an)
    for method in ("PUT", "PATCH", "DELETE", "POST"):
        answer = api.request(method, LOG, headers=an.auth, json={"items": []})
        assert answer.status_code == 405, (method, answer.text)
    assert entries(api, an) == before


class Recorder:
    """The real notifications queue, keeping what a run published (the inbox still gets it)."""

    def __init__(self, real):
        self._real, self.messages = real, []

    def publish(self, message, delay_seconds=0, attributes=None):
        self._real.publish(message, delay_seconds, attributes)
        if message["type"] == "access_digest":
            self.messages.append(message)

    def publish_batch(self, messages):
        self._real.publish_batch(messages)


@pytest.fixture
def recorded(stack):
    real = wiring.notifications_publisher()
    queue = Recorder(real)
    wiring.override("notifications_publisher", queue)
    yield queue
    wiring.override("notifications_publisher", real)


def next_month_first(now: datetime) -> datetime:
    local = now.astimezone(VIETNAM)
    year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
    return datetime(year, month, 1, 8, tzinfo=VIETNAM).astimezone(UTC)


def test_the_monthly_digest_tells_each_citizen_once_and_not_those_who_turned_it_off(api, agency, an, cuong, recorded):
    ok(record(agency))
    ok(record(agency, personal_id=CUONG))
    prefs = api.get("/v1/me/notification-preferences", headers=cuong.auth).json()
    off = api.request("PUT", "/v1/me/notification-preferences", headers=cuong.auth,
                      json={**prefs, "push": {**prefs["push"], "privacy": False}})  # fmt: skip
    assert off.status_code == 200 and off.json()["push"]["privacy"] is False, off.text
    an_id, cuong_id = (api.get("/v1/me", headers=t.auth).json()["citizen_id"] for t in (an, cuong))
    month = datetime.now(VIETNAM).strftime("%Y-%m")
    since, until = month_bounds(month)
    organisations = {e["agency_id"] or e["client_id"] for e in entries(api, an, **{"from": since, "to": until})}
    send_digests(access_digest_ports(), next_month_first(datetime.now(UTC)))
    mine = [m for m in recorded.messages if m["citizen_id"] == an_id]
    assert len(mine) == 1 and mine[0]["month"] == month
    assert int(mine[0]["organisations"]) == len(organisations) >= 1
    assert not [m for m in recorded.messages if m["citizen_id"] == cuong_id]
    recorded.messages.clear()
    send_digests(access_digest_ports(), next_month_first(datetime.now(UTC)))
    assert not [m for m in recorded.messages if m["citizen_id"] in (an_id, cuong_id)]

    def told():
        inbox = api.get("/v1/me/notifications", headers={**an.auth, "Accept-Language": "en"}).json()["items"]
        return next((n for n in inbox if n["category"] == "privacy" and n["data"]["month"] == month), None)

    notice = eventually(told)
    assert "accessed your data in" in notice["body"] and notice["body"].startswith(mine[0]["organisations"])
