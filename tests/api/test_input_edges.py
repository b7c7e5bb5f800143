"""Input the contract fuzzer found refused or accepted against openapi.yaml, pinned one by one."""

import uuid

from tests.api.test_dossiers import event, record
from tests.contract.openapi import assert_response_matches


def fields(answer) -> dict[str, str]:
    return {error["field"]: error["code"] for error in answer.json().get("errors", [])}


def test_a_null_app_version_is_refused_not_stored_as_empty(api, an_phone):
    body = {
        "token": "fcm-" + uuid.uuid4().hex,
        "installation_id": uuid.uuid4().hex,
        "platform": "android",
        "locale": "vi",
        "app_version": None,
    }
    answer = api.post("/v1/me/devices", json=body, headers=an_phone.auth)
    assert answer.status_code == 400, answer.text
    assert fields(answer) == {"app_version": "must_be_string"}
    assert_response_matches(answer, "/v1/me/devices", "POST")


def test_an_empty_parameter_name_is_named_not_blank(api, an):
    answer = api.get("/v1/me/notifications?=1", headers=an.auth)
    assert answer.status_code == 400, answer.text
    assert all(error["field"] for error in answer.json()["errors"])
    assert_response_matches(answer, "/v1/me/notifications", "GET")


def test_an_empty_cursor_is_not_a_first_page(api, an):
    answer = api.get("/v1/me/access-log?cursor=", headers=an.auth)
    assert answer.status_code == 400 and answer.json()["code"] == "cursor_invalid", answer.text


def test_limit_out_of_range_on_an_in_memory_list_is_a_documented_400(api, an):
    answer = api.get("/v1/me/sessions?limit=101", headers=an.auth)
    assert answer.status_code == 400, answer.text
    assert_response_matches(answer, "/v1/me/sessions", "GET")


def test_an_idempotency_key_outside_visible_ascii_is_refused(agency, published):
    answer = record(agency, key="khóa-1")
    assert answer.status_code == 400 and answer.json()["code"] == "idempotency_key_required", answer.text


def test_a_future_instant_is_in_future_and_an_empty_one_is_no_default(agency, published):
    future = record(agency, received_at="2999-01-01T08:00:00+07:00")
    assert future.status_code == 400 and fields(future) == {"received_at": "in_future"}, future.text
    empty = record(agency, received_at="")
    assert empty.status_code == 400 and fields(empty) == {"received_at": "invalid_format"}, empty.text
    receipt = record(agency).json()["receipt_code"]
    late = event(agency, receipt, "processing", "2999-01-01T08:00:00+07:00")
    assert late.status_code == 400 and fields(late) == {"occurred_at": "in_future"}, late.text
