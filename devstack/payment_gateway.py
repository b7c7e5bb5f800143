"""A local, dev-only payment gateway shaped like the common Vietnamese ones (VNPay-style), over real HTTP:

    GET  /pay?<signed params>                  the payment page: signature checked, amount, reference, VietQR
    POST /control/payments/{ref}/complete|fail|abandon
                                               decides the payment; complete and fail POST the signed server
                                               callback (form-encoded) to the callback URL given at start-up;
                                               abandon sends nothing, as when the citizen closes the page
    GET  /control/payments                     what it saw

Its HMAC-SHA512 signing is written here again, not imported from the adapter, so each checks the other.
"""

import hashlib
import hmac
import html
import json
import threading
import urllib.error
import urllib.request
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, quote_plus, urlencode, urlsplit

from chalicelib.domain.vietqr import VietQr, build_payload, parse_payload
from devstack.local_http import LocalHttpServer
from devstack.tax_data import VIETNAM

# The State Treasury's collection account, fictitious: VietinBank's NAPAS BIN and a made-up number.
TREASURY_BANK_BIN, TREASURY_ACCOUNT = "970415", "3751071234567"
_OUTCOMES = {"complete": ("00", "00", "completed"), "fail": ("51", "02", "failed"), "abandon": ("", "", "abandoned")}
_PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def signature(params: dict[str, str], secret: str) -> str:
    text = "&".join(f"{k}={quote_plus(v)}" for k, v in sorted(params.items()) if not k.startswith("cgw_SecureHash"))
    return hmac.new(secret.encode("utf-8"), text.encode("utf-8"), hashlib.sha512).hexdigest()


class LocalPaymentGateway:
    def __init__(self, merchant_code: str, secret: str, callback_url: str) -> None:
        self.merchant_code, self._secret, self.callback_url = merchant_code, secret, callback_url
        self._lock = threading.Lock()
        self._payments: dict[str, dict[str, Any]] = {}
        self._server: ThreadingHTTPServer | None = None

    def start(self, host: str = "127.0.0.1", port: int = 0) -> "LocalPaymentGateway":
        self._server = _Server((host, port), _Handler)
        self._server.gateway = self
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="payment-gateway", daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def payments(self) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(payment) for payment in self._payments.values()]

    def open_payment(self, params: dict[str, str]) -> tuple[int, str]:
        """The payment page for a signed request; 400 and why when the request is not one."""
        problem = self._problem(params)
        if problem:
            return 400, _page("Yêu cầu thanh toán không hợp lệ", f"<p>{html.escape(problem)}</p>")
        qr = build_payload(VietQr(TREASURY_BANK_BIN, TREASURY_ACCOUNT, int(params["cgw_Amount"]), params["cgw_TxnRef"]))
        with self._lock:
            payment = self._payments.setdefault(
                params["cgw_TxnRef"],
                {
                    "reference": params["cgw_TxnRef"],
                    "amount_vnd": int(params["cgw_Amount"]),
                    "status": "pending",
                    "description": params.get("cgw_OrderInfo", ""),
                    "return_url": params.get("cgw_ReturnUrl", ""),
                    "vietqr": qr,
                    "callbacks": [],
                },
            )
        return 200, _payment_page(payment, parse_payload(qr))

    def decide(self, reference: str, outcome: str) -> tuple[int, dict[str, Any]]:
        with self._lock:
            payment = self._payments.get(reference)
            if payment is None or outcome not in _OUTCOMES:
                return 404, {"error": "not_found", "error_description": "no such payment or outcome"}
            response_code, transaction_status, payment["status"] = _OUTCOMES[outcome]
            number = f"{len(self._payments):04d}{sum(len(p['callbacks']) for p in self._payments.values()):04d}"
        if outcome == "abandon":
            return 200, {"payment": payment, "callback_status": None, "return_redirect": None}
        result = self._result(payment, response_code, transaction_status, "LGW" + number)
        status = self._post_callback(result)
        with self._lock:
            payment["callbacks"].append({"params": result, "status": status})
        return_to = payment["return_url"] and payment["return_url"] + "?" + urlencode(result)
        return 200, {"payment": payment, "callback_status": status, "return_redirect": return_to or None}

    def _problem(self, params: dict[str, str]) -> str:
        if not hmac.compare_digest(params.get("cgw_SecureHash", "").encode(), signature(params, self._secret).encode()):
            return "Chữ ký không hợp lệ (invalid signature)."
        if params.get("cgw_MerchantCode") != self.merchant_code or not params.get("cgw_Amount", "").isdigit():
            return "Mã đơn vị hoặc số tiền không hợp lệ (unknown merchant or bad amount)."
        if params.get("cgw_ExpireDate", "") < datetime.now(VIETNAM).strftime("%Y%m%d%H%M%S"):
            return "Yêu cầu thanh toán đã hết hạn (expired)."
        return ""

    def _result(self, payment: dict[str, Any], response_code: str, status: str, number: str) -> dict[str, str]:
        params = {
            "cgw_MerchantCode": self.merchant_code,
            "cgw_TxnRef": payment["reference"],
            "cgw_Amount": str(payment["amount_vnd"]),
            "cgw_ResponseCode": response_code,
            "cgw_TransactionStatus": status,
            "cgw_TransactionNo": number,
            "cgw_BankCode": "NAPAS",
            "cgw_PayDate": datetime.now(VIETNAM).strftime("%Y%m%d%H%M%S"),
        }
        return {**params, "cgw_SecureHash": signature(params, self._secret)}

    def _post_callback(self, params: dict[str, str]) -> int | None:
        request = urllib.request.Request(
            self.callback_url,
            data=urlencode(params).encode("ascii"),
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except (urllib.error.URLError, OSError):
            return None  # the merchant is down: a real gateway retries later; here the test sees None


def _payment_page(payment: dict[str, Any], qr: VietQr) -> str:
    rows = (
        ("Mã tham chiếu", payment["reference"]),
        ("Số tiền", f"{payment['amount_vnd']:,} đ".replace(",", ".")),
        ("Nội dung", payment["description"]),
        ("Ngân hàng (BIN)", qr.bank_bin),
        ("Tài khoản", qr.account_number),
    )
    table = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in rows)
    body = (
        f"<table>{table}</table><p>VietQR:</p><pre>{html.escape(payment['vietqr'])}</pre>"
        "<p>Dev gateway: decide with POST /control/payments/{reference}/complete|fail|abandon.</p>"
    )
    return _page("Cổng thanh toán (local)", body)


def _page(title: str, body: str) -> str:
    return (
        f"<!doctype html><html lang=vi><meta charset=utf-8><title>{html.escape(title)}</title>"
        f"<style>body{{font-family:sans-serif;margin:2em}}th{{text-align:left;padding-right:1em}}</style>"
        f"<h1>{html.escape(title)}</h1>{body}</html>"
    )


class _Server(LocalHttpServer):
    gateway: LocalPaymentGateway


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        url = urlsplit(self.path)
        if url.path == "/pay":
            status, page = self.server.gateway.open_payment(dict(parse_qsl(url.query, keep_blank_values=True)))
            return self._send(status, page.encode("utf-8"), "text/html; charset=utf-8", _PAGE_HEADERS)
        if url.path == "/control/payments":
            return self._json(200, {"items": self.server.gateway.payments()})
        self._json(404, {"error": "not_found", "error_description": "no such endpoint"})

    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        parts = urlsplit(self.path).path.strip("/").split("/")
        if len(parts) == 4 and parts[:2] == ["control", "payments"]:
            return self._json(*self.server.gateway.decide(parts[2], parts[3]))
        self._json(404, {"error": "not_found", "error_description": "no such endpoint"})

    def _json(self, status: int, body: dict[str, Any]) -> None:
        self._send(status, json.dumps(body, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

    def _send(self, status: int, data: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: query strings carry signed payment parameters."""
