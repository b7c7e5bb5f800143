"""Paying tax: the citizen starts a payment of their own obligations (eID level 2, Idempotency-Key) and follows
it; the gateway posts its signed result to the public callback (form-encoded, as the common Vietnamese gateways
do, or JSON)."""

import base64
import re
from typing import Any
from urllib.parse import parse_qsl

from chalicelib.api import dossier_input, wallet_input
from chalicelib.api.access import PUBLIC, citizen
from chalicelib.api.http import ApiBlueprint, json_body, json_response
from chalicelib.domain.instants import utc_instant
from chalicelib.domain.sessions import Principal
from chalicelib.domain.tax_payments import MAX_OBLIGATIONS, PaymentLine
from chalicelib.errors import FieldProblem, UnsupportedMediaTypeError, ValidationError
from chalicelib.services import tax_payment_results, tax_payments
from chalicelib.wiring import tax as tax_wiring

tax_payments_api = ApiBlueprint(__name__)
_LEVEL = 2
_OBLIGATION_ID = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
_FORM = "application/x-www-form-urlencoded"


@tax_payments_api.route("/v1/me/tax/payments", methods=["POST"], caller=citizen(level=_LEVEL))
def start_tax_payment(principal: Principal):
    request = tax_payments_api.current_request
    body = json_body(request)
    ids = obligation_ids(body)
    view = tax_payments.start_payment(
        tax_wiring.tax_payment_ports(), principal, ids, dossier_input.idempotent(request, body)
    )
    return json_response(payment_body(view), status=201)


@tax_payments_api.route("/v1/me/tax/payments/{payment_id}", methods=["GET"], caller=citizen(level=_LEVEL))
def get_tax_payment(principal: Principal, payment_id):
    payment_id = wallet_input.path_id(payment_id, "payment_not_found")
    view = tax_payments.get_my_payment(tax_wiring.tax_payment_ports(), principal, payment_id)
    return json_response(payment_body(view))


@tax_payments_api.route("/v1/payments/callback", methods=["POST"], caller=PUBLIC)
def payment_callback():
    """Authenticated by the gateway's signature, not by a token: forged, replayed or tampered notices change nothing."""
    record = tax_payment_results.handle_callback(tax_wiring.tax_payment_ports(), callback_params())
    return json_response({"reference": record.reference, "status": record.status.value})


def obligation_ids(body: dict[str, Any]) -> tuple[str, ...]:
    # An empty name is still named: a field problem's `field` is never empty.
    problems = [FieldProblem(name, "unknown_field") for name in body if name != "obligation_ids"]
    ids = body.get("obligation_ids")
    if not isinstance(ids, list) or not ids:
        problems.append(FieldProblem("obligation_ids", "required" if not ids else "must_be_array"))
    elif len(ids) > MAX_OBLIGATIONS:
        problems.append(FieldProblem("obligation_ids", "too_many_items"))
    else:
        for index, value in enumerate(ids):
            if not (isinstance(value, str) and _OBLIGATION_ID.match(value)):
                problems.append(FieldProblem(f"obligation_ids[{index}]", "invalid_format"))
        if not problems and len(set(ids)) != len(ids):
            problems.append(FieldProblem("obligation_ids", "duplicate_value"))
    if problems:
        raise ValidationError(errors=tuple(problems))
    return tuple(ids)


def callback_params() -> dict[str, str]:
    """Names appearing twice are refused: a signature covers one value per name."""
    request = tax_payments_api.current_request
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type == _FORM:
        try:
            pairs = parse_qsl((request.raw_body or b"").decode("utf-8"), keep_blank_values=True, strict_parsing=False)
        except UnicodeDecodeError as error:
            raise ValidationError("payment_callback_invalid", params={"field": "body"}) from error
    elif content_type == "application/json":
        pairs = [(name, _json_text(value)) for name, value in json_body(request).items()]
    else:
        raise UnsupportedMediaTypeError(expected=f"{_FORM} or application/json")
    params = dict(pairs)
    if len(params) != len(pairs):
        raise ValidationError("payment_callback_invalid", params={"field": "body"})
    return params


def _json_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise ValidationError("payment_callback_invalid", params={"field": "body"})


def payment_body(view: tax_payments.PaymentView) -> dict[str, Any]:
    record = view.record
    status = record.shown_status(tax_wiring.tax_payment_ports().clock())
    vietqr: dict[str, Any] = {"payload": record.vietqr}
    if view.qr_png:
        vietqr["png"] = "data:image/png;base64," + base64.b64encode(view.qr_png).decode("ascii")
    return {
        "payment_id": record.payment_id,
        "reference": record.reference,
        "status": status.value,
        "amount_vnd": record.amount_vnd,
        "obligations": [line_body(line) for line in record.lines],
        "gateway_url": record.gateway_url,
        "vietqr": vietqr,
        "created_at": utc_instant(record.created_at),
        "expires_at": utc_instant(record.expires_at),
        "paid_at": utc_instant(record.paid_at) if record.paid_at else None,
        "receipt_number": record.receipt_number or None,
        "receipt_document_id": record.receipt_document_id or None,
    }


def line_body(line: PaymentLine) -> dict[str, Any]:
    return {
        "obligation_id": line.obligation_id,
        "tax_type": {"code": line.tax_type, "name_vi": line.tax_name_vi, "name_en": line.tax_name_en},
        "period": line.period,
        "due_date": line.due_date,
        "outstanding_vnd": line.outstanding_vnd,
        "interest_days": line.interest_days,
        "interest_vnd": line.interest_vnd,
        "amount_vnd": line.amount_vnd,
    }
