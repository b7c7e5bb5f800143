"""HmacPaymentGateway: signing, what verify_callback refuses, and a real signed callback from the local
gateway received by a small HTTP server and verified."""

import hashlib
import hmac
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote_plus, urlsplit

import pytest
import requests

from chalicelib.adapters.payment_gateway_http import HmacPaymentGateway
from chalicelib.domain.tax import PaymentStatus
from chalicelib.domain.vietqr import parse_payload
from chalicelib.errors import AuthenticationError, ValidationError
from devstack.payment_gateway import TREASURY_ACCOUNT, LocalPaymentGateway

MERCHANT, SECRET, RETURN_URL = "CITYAPP01", "local-gateway-secret", "citizenapp://payments/return"


def _hmac(params: dict[str, str]) -> str:
    text = "&".join(f"{k}={quote_plus(params[k])}" for k in sorted(params) if k != "cgw_SecureHash")
    return hmac.new(SECRET.encode(), text.encode(), hashlib.sha512).hexdigest()


def _signed(**params) -> dict[str, str]:
    base = {
        "cgw_MerchantCode": MERCHANT,
        "cgw_TxnRef": "TAXREF0001",
        "cgw_Amount": "4850000",
        "cgw_ResponseCode": "00",
        "cgw_TransactionStatus": "00",
        "cgw_TransactionNo": "LGW1",
        **params,
    }
    return {**base, "cgw_SecureHash": _hmac(base)}


class _Callbacks(BaseHTTPRequestHandler):
    received: list[dict[str, str]] = []

    def do_POST(self):  # noqa: N802 - http.server's naming
        form = self.rfile.read(int(self.headers["Content-Length"])).decode("ascii")
        self.received.append(dict(parse_qsl(form, keep_blank_values=True)))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def merchant_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Callbacks)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def local_gateway(merchant_server):
    running = LocalPaymentGateway(MERCHANT, SECRET, "http://127.0.0.1:%d/callback" % merchant_server.server_port)
    yield running.start()
    running.stop()


def _adapter(base_url: str = "http://gateway.invalid") -> HmacPaymentGateway:
    return HmacPaymentGateway(base_url, MERCHANT, SECRET, RETURN_URL)


def test_the_payment_url_is_sorted_and_signed():
    expires = datetime(2026, 3, 10, 3, 0, tzinfo=UTC)
    request = _adapter().create_payment("TAXREF0001", 4_850_000, "Nộp thuế TNCN 2025", expires)
    query = urlsplit(request.gateway_url).query
    params = dict(parse_qsl(query))
    names = [pair.split("=")[0] for pair in query.split("&")]
    assert names[:-1] == sorted(names[:-1]) and names[-1] == "cgw_SecureHash"
    assert params["cgw_SecureHash"] == _hmac(params)
    assert (params["cgw_Amount"], params["cgw_TxnRef"], params["cgw_ExpireDate"]) == (
        "4850000",
        "TAXREF0001",
        "20260310100000",
    )
    assert params["cgw_OrderInfo"] == "Nộp thuế TNCN 2025" and (request.reference, request.amount_vnd) == (
        "TAXREF0001",
        4_850_000,
    )


def test_a_valid_callback_is_read():
    result = _adapter().verify_callback(_signed())
    assert (result.reference, result.amount_vnd, result.status, result.gateway_txn_id) == (
        "TAXREF0001",
        4_850_000,
        PaymentStatus.COMPLETED,
        "LGW1",
    )


def test_a_declined_payment_is_failed():
    assert (
        _adapter().verify_callback(_signed(cgw_ResponseCode="51", cgw_TransactionStatus="02")).status
        is PaymentStatus.FAILED
    )


def test_a_tampered_amount_is_refused():
    tampered = {**_signed(), "cgw_Amount": "1000"}
    with pytest.raises(AuthenticationError) as refused:
        _adapter().verify_callback(tampered)
    assert refused.value.code == "payment_signature_invalid"


@pytest.mark.parametrize("hash_value", [None, ""])
def test_a_missing_signature_is_refused(hash_value):
    params = _signed()
    del params["cgw_SecureHash"]
    if hash_value is not None:
        params["cgw_SecureHash"] = hash_value
    with pytest.raises(AuthenticationError) as refused:
        _adapter().verify_callback(params)
    assert refused.value.code == "payment_signature_missing"


def test_another_secret_is_refused():
    with pytest.raises(AuthenticationError):
        HmacPaymentGateway("http://gateway.invalid", MERCHANT, "another-secret", RETURN_URL).verify_callback(_signed())


def test_another_merchant_is_refused_even_when_signed():
    with pytest.raises(ValidationError):
        _adapter().verify_callback(_signed(cgw_MerchantCode="OTHER"))


def test_a_bad_reference_is_refused_before_anything_is_sent():
    with pytest.raises(ValueError):
        _adapter().create_payment("TAX-REF 1", 1_000, "x", datetime.now(UTC))


def _open(local_gateway, reference: str, amount: int) -> requests.Response:
    adapter = _adapter(local_gateway.url)
    request = adapter.create_payment(reference, amount, "Nộp thuế", datetime.now(UTC) + timedelta(minutes=15))
    return requests.get(request.gateway_url)


def test_the_local_gateway_page_shows_a_vietqr_for_the_payment(local_gateway):
    page = _open(local_gateway, "TAXPAGE0001", 356_000)
    assert page.status_code == 200 and "TAXPAGE0001" in page.text and "356.000" in page.text
    seen = next(p for p in local_gateway.payments() if p["reference"] == "TAXPAGE0001")
    qr = parse_payload(seen["vietqr"])
    assert (qr.account_number, qr.amount_vnd, qr.purpose) == (TREASURY_ACCOUNT, 356_000, "TAXPAGE0001")


def test_the_local_gateway_refuses_a_tampered_link(local_gateway):
    adapter = _adapter(local_gateway.url)
    request = adapter.create_payment("TAXPAGE0002", 356_000, "x", datetime.now(UTC) + timedelta(minutes=5))
    page = requests.get(request.gateway_url.replace("cgw_Amount=356000", "cgw_Amount=1000"))
    assert page.status_code == 400 and "Chữ ký" in page.text


def test_a_real_callback_is_received_and_verified(local_gateway, merchant_server):
    assert _open(local_gateway, "TAXCALLBACK01", 4_850_000).status_code == 200
    decided = requests.post(local_gateway.url + "/control/payments/TAXCALLBACK01/complete").json()
    assert decided["callback_status"] == 200
    form = next(f for f in _Callbacks.received if f["cgw_TxnRef"] == "TAXCALLBACK01")
    result = _adapter().verify_callback(form)
    assert (result.reference, result.amount_vnd, result.status) == ("TAXCALLBACK01", 4_850_000, PaymentStatus.COMPLETED)
    returned = dict(parse_qsl(urlsplit(decided["return_redirect"]).query))
    assert _adapter().verify_callback(returned).gateway_txn_id == result.gateway_txn_id


def test_failed_and_abandoned_payments(local_gateway):
    _open(local_gateway, "TAXFAIL01", 1_000)
    _open(local_gateway, "TAXGONE01", 1_000)
    requests.post(local_gateway.url + "/control/payments/TAXFAIL01/fail")
    abandoned = requests.post(local_gateway.url + "/control/payments/TAXGONE01/abandon").json()
    assert abandoned["callback_status"] is None
    forms = [f for f in _Callbacks.received if f["cgw_TxnRef"] in ("TAXFAIL01", "TAXGONE01")]
    assert [f["cgw_TxnRef"] for f in forms] == ["TAXFAIL01"]
    assert _adapter().verify_callback(forms[0]).status is PaymentStatus.FAILED
    listed = requests.get(local_gateway.url + "/control/payments").json()["items"]
    statuses = {p["reference"]: p["status"] for p in listed}
    assert statuses["TAXFAIL01"] == "failed" and statuses["TAXGONE01"] == "abandoned"
