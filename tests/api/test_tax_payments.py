"""Paying tax through HTTP, end to end with the local payment gateway and the local tax authority: An pays his
overdue personal income tax; forged, replayed and amount-tampered callbacks change nothing; the same
Idempotency-Key makes one payment; Bình cannot see An's; an outage of the authority loses no payment."""

import copy
import threading
import uuid
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests

from chalicelib.domain.tax import late_interest, vietnam_today
from chalicelib.domain.vietqr import crc16_ccitt_false, parse_payload
from devstack.payment_gateway import TREASURY_ACCOUNT, TREASURY_BANK_BIN, signature
from tests.conftest import AN, eventually


@pytest.fixture
def an_ledger(stack):
    """An's books at the authority and his cached tax answers are put back after the test: others read them.
    His obligations are free of the payments earlier tests left pending."""
    from chalicelib import wiring

    ledger = stack.tax_authority.ledger
    saved = copy.deepcopy((ledger.obligations[AN], ledger.payments[AN]))
    client, taxpayer = stack.client("dynamodb"), wiring.person_keys().key_of(AN)
    for item in ledger.obligations[AN]:
        key = {"pk": {"S": f"TAXPAYLOCK#{taxpayer}#{item['obligation_id']}"}, "sk": {"S": "TAXPAYLOCK"}}
        client.delete_item(TableName=wiring.settings().table_name, Key=key)
    yield ledger
    stack.tax_authority.clear_faults()
    ledger.obligations[AN][:], ledger.payments[AN][:] = saved
    answer = client.query(
        TableName=wiring.settings().table_name,
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": f"TAX#{taxpayer}"}},
    )
    for item in answer["Items"]:
        client.delete_item(TableName=wiring.settings().table_name, Key={"pk": item["pk"], "sk": item["sk"]})
    for name in ("tax_registry", "tax_read_ports", "tax_payment_ports"):
        wiring.override(name, None)


def overdue_pit(ledger) -> dict:
    return next(o for o in ledger.obligations[AN] if o["tax_type"]["code"] == "PIT" and o["outstanding_vnd"] > 0)


def start(api, tokens, ids, key=None):
    headers = {**tokens.auth, "Idempotency-Key": key or uuid.uuid4().hex}
    return api.post("/v1/me/tax/payments", json={"obligation_ids": ids}, headers=headers)


def pay_on_gateway(stack, payment: dict, outcome: str = "complete") -> dict:
    assert requests.get(payment["gateway_url"], timeout=5).status_code == 200  # the citizen opens the page
    status, decided = stack.payment_gateway.decide(payment["reference"], outcome)
    assert status == 200
    return decided


def signed(stack, **params) -> dict:
    return {**params, "cgw_SecureHash": signature(params, stack.payment_gateway._secret)}


def test_an_pays_his_overdue_income_tax_end_to_end(api, an, stack, an_ledger):
    debt = overdue_pit(an_ledger)
    answer = start(api, an, [debt["obligation_id"]])
    assert answer.status_code == 201, answer.text
    payment = answer.json()
    from datetime import UTC, date, datetime

    days, interest = late_interest(
        debt["outstanding_vnd"], date.fromisoformat(debt["due_date"]), vietnam_today(datetime.now(UTC))
    )
    assert payment["amount_vnd"] == debt["outstanding_vnd"] + interest and interest > 0
    assert payment["obligations"][0]["interest_days"] == days and payment["status"] == "pending"
    qr = parse_payload(payment["vietqr"]["payload"])
    assert (qr.bank_bin, qr.account_number, qr.amount_vnd, qr.purpose) == (
        TREASURY_BANK_BIN,
        TREASURY_ACCOUNT,
        payment["amount_vnd"],
        payment["reference"],
    )
    assert payment["vietqr"]["png"].startswith("data:image/png;base64,")

    decided = pay_on_gateway(stack, payment)
    assert decided["callback_status"] == 200

    shown = api.get(f"/v1/me/tax/payments/{payment['payment_id']}", headers=an.auth).json()
    assert shown["status"] == "completed" and shown["paid_at"].endswith("Z")
    assert shown["receipt_number"] and shown["receipt_document_id"]
    reported = [r for r in stack.tax_authority.book.reported() if r["reference"] == payment["reference"]]
    assert reported and reported[0]["amount_vnd"] == payment["amount_vnd"]
    assert overdue_pit_paid(an_ledger, debt["obligation_id"])

    document = api.get(f"/v1/me/documents/{shown['receipt_document_id']}", headers=an.auth)
    assert document.status_code == 200, document.text
    assert document.json()["type"] == "TAX_RECEIPT"
    assert document.json()["claims"]["receipt_number"] == shown["receipt_number"]
    assert document.json()["claims"]["amount_vnd"] == payment["amount_vnd"]

    def told():
        items = api.get("/v1/me/notifications?limit=50", headers=an.auth).json()["items"]
        return [i for i in items if i.get("category") == "tax" and i["data"].get("payment_id") == payment["payment_id"]]

    assert eventually(told)


def overdue_pit_paid(ledger, obligation_id: str) -> bool:
    item = next(o for o in ledger.obligations[AN] if o["obligation_id"] == obligation_id)
    return item["outstanding_vnd"] == 0


def test_a_replayed_callback_answers_ok_and_changes_nothing(api, an, stack, an_ledger):
    payment = start(api, an, [overdue_pit(an_ledger)["obligation_id"]]).json()
    decided = pay_on_gateway(stack, payment)
    before = api.get(f"/v1/me/tax/payments/{payment['payment_id']}", headers=an.auth).json()
    replay = api.post("/v1/payments/callback", data=decided["payment"]["callbacks"][0]["params"])
    assert replay.status_code == 200 and replay.json()["status"] == "completed"
    after = api.get(f"/v1/me/tax/payments/{payment['payment_id']}", headers=an.auth).json()
    assert after == before
    assert len([r for r in stack.tax_authority.book.reported() if r["reference"] == payment["reference"]]) == 1


def test_a_forged_callback_is_refused_and_changes_nothing(api, an, stack, an_ledger):
    payment = start(api, an, [overdue_pit(an_ledger)["obligation_id"]]).json()
    forged = signed(stack, cgw_MerchantCode="CITYAPP01", cgw_TxnRef=payment["reference"])
    forged.update(cgw_Amount=str(payment["amount_vnd"]), cgw_ResponseCode="00", cgw_TransactionStatus="00")
    answer = api.post("/v1/payments/callback", data=forged)
    assert answer.status_code == 401 and answer.json()["code"] == "payment_signature_invalid"
    assert api.post("/v1/payments/callback", data={"cgw_TxnRef": payment["reference"]}).status_code == 401
    shown = api.get(f"/v1/me/tax/payments/{payment['payment_id']}", headers=an.auth).json()
    assert shown["status"] == "pending"


def test_an_amount_tampered_callback_is_refused(api, an, stack, an_ledger):
    payment = start(api, an, [overdue_pit(an_ledger)["obligation_id"]]).json()
    tampered = signed(
        stack,
        cgw_MerchantCode="CITYAPP01",
        cgw_TxnRef=payment["reference"],
        cgw_Amount="1000",
        cgw_ResponseCode="00",
        cgw_TransactionStatus="00",
        cgw_TransactionNo="X1",
    )
    answer = api.post("/v1/payments/callback", data=tampered)
    assert answer.status_code == 409 and answer.json()["code"] == "payment_amount_mismatch"
    assert api.get(f"/v1/me/tax/payments/{payment['payment_id']}", headers=an.auth).json()["status"] == "pending"
    assert not [r for r in stack.tax_authority.book.reported() if r["reference"] == payment["reference"]]


def test_an_unknown_reference_is_refused(api, stack):
    unknown = signed(
        stack,
        cgw_MerchantCode="CITYAPP01",
        cgw_TxnRef="TAXNOSUCHPAYMENT0000",
        cgw_Amount="1000",
        cgw_ResponseCode="00",
        cgw_TransactionStatus="00",
    )
    answer = api.post("/v1/payments/callback", data=unknown)
    assert answer.status_code == 404 and answer.json()["code"] == "payment_not_found"


def test_the_same_idempotency_key_makes_one_payment(api, an, an_ledger):
    ids, key = [overdue_pit(an_ledger)["obligation_id"]], uuid.uuid4().hex
    answers = []
    threads = [threading.Thread(target=lambda: answers.append(start(api, an, ids, key))) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    answers.append(start(api, an, ids, key))
    assert all(a.status_code == 201 for a in answers), [a.text for a in answers]
    assert len({a.json()["payment_id"] for a in answers}) == 1
    other = api.post(
        "/v1/me/tax/payments", json={"obligation_ids": ids + ["X"]}, headers={**an.auth, "Idempotency-Key": key}
    )
    assert other.status_code == 409 and other.json()["code"] == "idempotency_key_reused"


def test_binh_cannot_see_ans_payment(api, an, binh, an_ledger):
    payment = start(api, an, [overdue_pit(an_ledger)["obligation_id"]]).json()
    answer = api.get(f"/v1/me/tax/payments/{payment['payment_id']}", headers=binh.auth)
    assert answer.status_code == 404 and answer.json()["code"] == "payment_not_found"


def test_obligations_not_his_or_paid_are_refused(api, an, binh, an_ledger):
    paid = next(o for o in an_ledger.obligations[AN] if o["outstanding_vnd"] == 0)
    assert start(api, an, [paid["obligation_id"]]).json()["code"] == "obligation_already_paid"
    ans = overdue_pit(an_ledger)["obligation_id"]
    assert start(api, binh, [ans]).json()["code"] == "obligation_not_found"
    bad = start(api, an, [])
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "obligation_ids"
    assert start(api, an, [ans, ans]).json()["errors"][0]["code"] == "duplicate_value"


def test_a_failed_payment_is_failed_and_told(api, an, stack, an_ledger):
    payment = start(api, an, [overdue_pit(an_ledger)["obligation_id"]]).json()
    assert pay_on_gateway(stack, payment, "fail")["callback_status"] == 200
    assert api.get(f"/v1/me/tax/payments/{payment['payment_id']}", headers=an.auth).json()["status"] == "failed"
    assert not overdue_pit_paid(an_ledger, payment["obligations"][0]["obligation_id"])


def test_an_outage_of_the_authority_loses_no_payment(api, an, stack, an_ledger):
    payment = start(api, an, [overdue_pit(an_ledger)["obligation_id"]]).json()
    assert requests.get(payment["gateway_url"], timeout=5).status_code == 200
    stack.tax_authority.set_fault("fail")
    assert stack.payment_gateway.decide(payment["reference"], "complete")[1]["callback_status"] == 200
    shown = api.get(f"/v1/me/tax/payments/{payment['payment_id']}", headers=an.auth).json()
    assert shown["status"] == "completed" and shown["receipt_number"] is None
    assert not overdue_pit_paid(an_ledger, payment["obligations"][0]["obligation_id"])
    stack.tax_authority.clear_faults()

    def settled():  # the sweep (a schedule, every few seconds locally) reports it once the authority is back
        body = api.get(f"/v1/me/tax/payments/{payment['payment_id']}", headers=an.auth).json()
        return body["receipt_number"] and body["receipt_document_id"]

    assert eventually(settled, timeout=60)
    assert overdue_pit_paid(an_ledger, payment["obligations"][0]["obligation_id"])


def test_the_gateway_url_is_signed_for_this_payment(api, an, an_ledger):
    payment = start(api, an, [overdue_pit(an_ledger)["obligation_id"]]).json()
    params = dict(parse_qsl(urlsplit(payment["gateway_url"]).query))
    assert params["cgw_TxnRef"] == payment["reference"] and params["cgw_Amount"] == str(payment["amount_vnd"])


def test_the_vietqr_crc_is_checked():
    from chalicelib.domain.vietqr import VietQr, VietQrError, build_payload

    payload = build_payload(VietQr("970415", "3751071234567", 5_000_000, "TAXABC"))
    assert payload[-4:] == f"{crc16_ccitt_false(payload[:-4].encode('ascii')):04X}"
    assert crc16_ccitt_false(b"123456789") == 0x29B1  # the CRC-16/CCITT-FALSE check value
    flipped = payload[:-5] + ("0" if payload[-5] != "0" else "1") + payload[-4:]
    with pytest.raises(VietQrError):
        parse_payload(flipped)


def test_an_obligation_in_a_live_payment_is_not_paid_twice(api, an, stack, an_ledger):
    ids = [overdue_pit(an_ledger)["obligation_id"]]
    first = start(api, an, ids).json()
    second = start(api, an, ids)  # another Idempotency-Key: another payment of the same debt
    assert second.status_code == 409 and second.json()["code"] == "payment_in_progress"
    pay_on_gateway(stack, first, "fail")  # a failed payment lets the obligation go at once
    assert start(api, an, ids).status_code == 201
