"""The erasure of an account at the end of its grace period, against the local stack: afterwards the table and
the bucket hold nothing of the citizen but the kept records (unlinked from the personal ID number) and records
that expire by themselves; a run that crashed mid-way is finished by the next; the final statement is served at
the link the request gave; a new login starts a fresh account."""

import copy
import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from chalicelib import wiring
from chalicelib.adapters.dynamo_dossier_items import IDEMPOTENCY_TTL
from chalicelib.domain.erasure import TECHNICAL_DAYS
from chalicelib.services.erasure import erase_due_accounts
from chalicelib.wiring.deletion import erasure_ports
from devstack.tax_data import add_item
from tests.adapters.test_images import phone_jpeg
from tests.api.test_delegations import grant
from tests.api.test_devices import register
from tests.api.test_dossiers import record
from tests.api.test_exports import message, queued  # noqa: F401 (a fixture)
from tests.api.test_tax_payments import pay_on_gateway, start
from tests.api.test_uploads import settled, upload
from tests.api.test_wallet import issue, share
from tests.conftest import CUONG, LEAVER, AgencyClient, eventually
from tests.contract.openapi import assert_response_matches

DELETION = "/v1/me/deletion"
PUSH_TOKEN = "leaver-device-token-" + "k" * 100


@pytest.fixture(scope="module")
def issuer(stack, api) -> AgencyClient:
    return AgencyClient(api, stack.agency_clients[2], stack.agency_token_endpoint)


@pytest.fixture
def leaver_ledger(stack):
    """The leaver at the tax authority: one overdue income tax to pay."""
    ledger = stack.tax_authority.ledger
    saved = copy.deepcopy((ledger.taxpayers, ledger.obligations, ledger.payments, ledger.representatives))
    code = LEAVER.personal_id
    ledger.taxpayers[code] = {**next(iter(ledger.taxpayers.values())), "tax_code": code, "name": LEAVER.full_name}
    ledger.taxpayers[code]["dependants"] = []
    ledger.obligations[code], ledger.payments[code] = [], []
    ledger.representatives[code] = ["0109123458"]  # Bình's company: he grants Cường a delegation of it
    add_item(ledger, code, "PIT", "2025", 1_250_000, date.today() - timedelta(days=10))
    stack.tax_authority.book.know(ledger.obligations[code][0]["obligation_id"], code)
    yield ledger
    ledger.taxpayers, ledger.obligations, ledger.payments, ledger.representatives = saved


@pytest.fixture
def leaver(stack, api, agency, issuer, binh, leaver_ledger):
    """The leaver with something in every category, a paid tax payment among it; asking for deletion."""
    tokens = api.login(LEAVER.personal_id, "phone")
    register(api, tokens, PUSH_TOKEN)
    assert record(agency, personal_id=LEAVER.personal_id, applicant_name=LEAVER.full_name).status_code == 201
    document = issue(issuer, personal_id=LEAVER.personal_id).json()
    assert share(api, tokens, document["document_id"]).status_code == 201
    assert settled(api, tokens, upload(api, tokens, phone_jpeg(640, 480))["document_id"])["status"] == "ready"
    received = grant(api, binh, personal_id=LEAVER.personal_id)
    assert received.status_code == 201, received.text
    made = grant(api, tokens, personal_id=CUONG)
    assert made.status_code == 201, made.text
    assert api.get("/v1/me/tax/profile", headers=tokens.auth).status_code == 200  # cached here once read
    debt = leaver_ledger.obligations[LEAVER.personal_id][0]
    payment = start(api, tokens, [debt["obligation_id"]]).json()
    pay_on_gateway(stack, payment)
    asked = api.post(DELETION, headers=tokens.auth)
    assert asked.status_code == 201, asked.text
    me = api.get("/v1/me", headers=tokens.auth).json()
    return {
        "tokens": tokens,
        "citizen_id": me["citizen_id"],
        "deletion": asked.json(),
        "payment": payment,
        "document_id": document["document_id"],
    }


def erase_when_due(deletion: dict, ports=None) -> int:
    """The hourly schedule's run just after `erase_at`; it waits for a paid payment to settle first."""
    at = datetime.fromisoformat(deletion["erase_at"].replace("Z", "+00:00")) + timedelta(minutes=5)
    return eventually(lambda: erase_due_accounts(ports or erasure_ports(), at), timeout=60)


class CrashingFiles:
    """The bucket failing once the table's part is done: the run stops mid-way, as a Lambda timing out would."""

    def erase_prefix(self, prefix: str) -> int:
        raise TimeoutError("the run was cut short")


def every_item(stack) -> list[dict]:
    client, items, start_key = stack.client("dynamodb"), [], None
    while True:
        kwargs = {"TableName": wiring.settings().table_name, **({"ExclusiveStartKey": start_key} if start_key else {})}
        page = client.scan(**kwargs)
        items += page["Items"]
        start_key = page.get("LastEvaluatedKey")
        if not start_key:
            return items


def every_object_key(stack) -> list[str]:
    pages = stack.client("s3").get_paginator("list_object_versions").paginate(Bucket=wiring.settings().documents_bucket)
    return [v["Key"] for page in pages for v in [*page.get("Versions", []), *page.get("DeleteMarkers", [])]]


def test_after_the_erasure_only_kept_and_expiring_records_remain_and_a_crashed_run_is_finished(
    stack, api, leaver, capsys
):
    citizen_id, person_key = leaver["citizen_id"], wiring.person_keys().key_of(LEAVER.personal_id)
    statement_url = leaver["deletion"]["statement_url"]
    statement_path = statement_url.partition("/v1/")[1] + statement_url.partition("/v1/")[2]
    assert api.get(statement_path).status_code == 404  # nothing to state before the erasure

    with pytest.raises(TimeoutError):
        erase_when_due(leaver["deletion"], replace(erasure_ports(), files=CrashingFiles()))
    assert api.get("/v1/me", headers=leaver["tokens"].auth).status_code == 401  # sessions went first
    assert api.get(statement_path).status_code == 404
    assert erase_when_due(leaver["deletion"]) == 1  # the next run finishes it
    assert erase_due_accounts(erasure_ports(), datetime.now(UTC) + timedelta(days=31)) == 0  # and nothing is left

    linking = (LEAVER.personal_id, LEAVER.full_name, person_key, LEAVER.sub, PUSH_TOKEN)
    logged = capsys.readouterr().out
    assert "account_erased" in logged and not any(v in logged for v in linking)  # nor in the logs
    now = datetime.now(UTC).timestamp()
    kept = []
    for item in every_item(stack):
        text = json.dumps(item, ensure_ascii=False, default=str)  # binary attributes: status-list bits
        ttl = int(item.get("expires_at", {}).get("N", 0))
        if item["pk"]["S"].startswith("IDEMPOTENCY#"):  # replays of the last day's requests
            assert not any(v in text for v in linking) or ttl <= now + IDEMPOTENCY_TTL + 60, text
            continue
        if item["pk"]["S"].startswith("TAXDUE#") and item.get("business_tax_code", {}).get("S"):
            # A business's deadline names its legal representatives as the tax authority lists them (keyed
            # hashes, account or not), rewritten from the authority's feed: the authority's record, not the account's.
            text = text.replace(person_key, "")
        assert not any(v in text for v in linking), text
        if citizen_id in text and not item["pk"]["S"].startswith("DELETIONSTATEMENT#"):
            assert 0 < ttl <= now + TECHNICAL_DAYS * 86400 + 60, text  # technical, expiring by itself
        if item["sk"]["S"].startswith(("LOG#", "TAXPAY#")) and leaver["payment"]["reference"] in text:
            kept.append(item)
    assert [i["sk"]["S"].split("#")[0] for i in kept] == ["TAXPAY"]  # the paid payment, reduced and unlinked
    assert kept[0]["tax_code"]["S"] == "" and kept[0]["amount_vnd"]["N"] == str(leaver["payment"]["amount_vnd"])
    assert not [key for key in every_object_key(stack) if citizen_id in key or person_key in key]

    answer = api.get(statement_path)
    assert answer.status_code == 200, answer.text
    assert_response_matches(answer, "/v1/deletion-statements/{statement_id}", "GET")
    rows = {row["category"]: row for row in answer.json()["items"]}
    assert rows["uploads"]["outcome"] == "erased" and rows["uploads"]["count"] == 1
    assert rows["tax_payments"]["outcome"] == "kept" and rows["tax_payments"]["count"] == 1
    assert rows["access_log"]["outcome"] == "kept" and rows["access_log"]["count"] >= 2
    assert rows["devices"]["count"] == 1 and rows["dossiers"]["count"] == 1 and rows["shares"]["count"] == 1
    assert rows["issued_credentials"]["outcome"] == "kept" and rows["issued_credentials"]["count"] >= 1
    assert rows["delegations"]["count"] == 2  # one received from Bình, one made for Cường


def test_the_issuer_can_still_revoke_a_credential_of_an_erased_account(api, issuer, leaver):
    assert erase_when_due(leaver["deletion"]) == 1
    shown = issuer.get(f"/v1/issuer/documents/{leaver['document_id']}")
    assert shown.status_code == 200, shown.text
    assert LEAVER.full_name not in shown.text and LEAVER.personal_id not in shown.text
    revoked = issuer.post(f"/v1/issuer/documents/{leaver['document_id']}/revoke")
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked", revoked.text


def test_a_new_login_with_the_same_eid_starts_a_fresh_account(api, leaver):
    assert erase_when_due(leaver["deletion"]) == 1
    fresh = api.login(LEAVER.personal_id)
    me = api.get("/v1/me", headers=fresh.auth).json()
    assert me["citizen_id"] != leaver["citizen_id"]
    for path in ("/v1/me/dossiers", "/v1/me/documents", "/v1/me/access-log", "/v1/me/notifications"):
        assert api.get(path, headers=fresh.auth).json()["items"] == [], path
    assert api.get(DELETION, headers=fresh.auth).status_code == 404


def test_a_notice_still_queued_for_an_erased_account_writes_nothing(stack, api, leaver, capsys):
    from chalicelib.domain.events import AccountDeletionChanged
    from chalicelib.wiring.deletion import deletion_ports

    assert erase_when_due(leaver["deletion"]) == 1
    citizen_id, erase_at = leaver["citizen_id"], leaver["deletion"]["erase_at"]
    late = AccountDeletionChanged("late-notice-" + citizen_id, citizen_id, "reminder", erase_at)
    deletion_ports().publisher.publish(late.to_message())
    seen: list[str] = []

    def handled() -> bool:
        seen.extend(capsys.readouterr().out.splitlines())
        return any(late.event_id in line and "notification_handled" in line for line in seen)

    assert eventually(handled, timeout=30)
    assert not [i for i in every_item(stack) if i["pk"]["S"] == f"CITIZEN#{leaver['citizen_id']}"]


class ErasingMidExport:
    """The documents bucket, with the account's erasure slipping in between the ZIP's upload and its ready mark."""

    def __init__(self, real, erase):
        self._real, self._erase = real, erase

    def read(self, key: str) -> bytes:
        return self._real.read(key)

    def put_derivative(self, key: str, data: bytes, content_type: str) -> None:
        self._real.put_derivative(key, data, content_type)
        if key.startswith("exports/"):
            self._erase()

    def erase_prefix(self, prefix: str) -> int:
        return self._real.erase_prefix(prefix)


@pytest.mark.usefixtures("queued")  # the export stays pending until the test runs the worker
def test_an_export_built_while_the_account_is_erased_leaves_no_zip(stack, api, leaver):
    from chalicelib.events.exports import on_export

    headers = {**leaver["tokens"].auth, "Idempotency-Key": "erased-mid-export"}
    export_id = api.post("/v1/me/exports", headers=headers).json()["export_id"]
    real = wiring.document_store()
    erased = []
    wiring.override("document_store", ErasingMidExport(real, lambda: erased.append(erase_when_due(leaver["deletion"]))))
    try:
        on_export(message(leaver["citizen_id"], export_id), None)
    finally:
        wiring.override("document_store", real)
    assert erased == [1]
    assert not [key for key in every_object_key(stack) if leaver["citizen_id"] in key]
    assert not [i for i in every_item(stack) if i["pk"]["S"] == f"CITIZEN#{leaver['citizen_id']}"]


def test_once_the_erasure_has_started_a_cancel_is_too_late(api, leaver):
    from chalicelib.domain.deletion import ErasureProgress

    ports = erasure_ports()
    request = ports.requests.get(leaver["citizen_id"])
    assert ports.requests.start_erasure(request, ErasureProgress(int(request.erase_at), "k" * 64))
    assert api.get(DELETION, headers=leaver["tokens"].auth).json()["state"] == "erasing"
    refused = api.delete(DELETION, headers=leaver["tokens"].auth)
    assert refused.status_code == 404 and refused.json()["code"] == "deletion_not_found"
    assert erase_when_due(leaver["deletion"]) == 1


def test_an_unknown_statement_link_is_404(api):
    answer = api.get("/v1/deletion-statements/not-a-statement")
    assert answer.status_code == 404 and answer.json()["code"] == "statement_not_found"
    assert_response_matches(answer, "/v1/deletion-statements/{statement_id}", "GET")
