"""PaymentGateway for a gateway shaped like the common Vietnamese ones (VNPay-style): the citizen's browser
is sent to a signed URL; the result comes back signed, by server callback and on the browser's return.

Signature: HMAC-SHA512 with the merchant secret over the parameters other than the hash, sorted by name,
each `name=value` form-encoded (quote_plus), joined by `&`; sent as hex in cgw_SecureHash. Amounts are
whole đồng. The callback URL is registered with the gateway, not sent per payment, so a tampered
payment link cannot redirect the server callback.
"""

import hashlib
import hmac
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from urllib.parse import quote_plus

from chalicelib.domain.tax import CallbackResult, PaymentRequest, PaymentStatus
from chalicelib.domain.working_days import VIETNAM
from chalicelib.errors import AuthenticationError, ValidationError

HASH = "cgw_SecureHash"
_UNSIGNED = {HASH, "cgw_SecureHashType"}
_REFERENCE = re.compile(r"[A-Za-z0-9]{1,25}")  # also the VietQR purpose field: ASCII, at most 25
SUCCESS = "00"


def _signing_text(params: Mapping[str, str]) -> str:
    return "&".join(f"{name}={quote_plus(str(params[name]))}" for name in sorted(params) if name not in _UNSIGNED)


def _sign(params: Mapping[str, str], secret: str) -> str:
    return hmac.new(secret.encode("utf-8"), _signing_text(params).encode("utf-8"), hashlib.sha512).hexdigest()


class HmacPaymentGateway:
    def __init__(self, base_url: str, merchant_code: str, secret: str, return_url: str):
        self._base_url, self._merchant_code = base_url.rstrip("/"), merchant_code
        self._secret, self._return_url = secret, return_url

    def create_payment(self, reference: str, amount_vnd: int, description: str, expires_at: datetime) -> PaymentRequest:
        if not _REFERENCE.fullmatch(reference) or amount_vnd <= 0:
            raise ValueError("a reference is 1-25 ASCII letters or digits; an amount is positive")
        params = {
            "cgw_Version": "1",
            "cgw_Command": "pay",
            "cgw_MerchantCode": self._merchant_code,
            "cgw_Amount": str(amount_vnd),
            "cgw_CurrCode": "VND",
            "cgw_TxnRef": reference,
            "cgw_OrderInfo": description,
            "cgw_ReturnUrl": self._return_url,
            "cgw_Locale": "vn",
            "cgw_CreateDate": _gateway_time(datetime.now(UTC)),
            "cgw_ExpireDate": _gateway_time(expires_at),
        }
        query = _signing_text(params) + f"&{HASH}={_sign(params, self._secret)}"
        return PaymentRequest(f"{self._base_url}/pay?{query}", reference, amount_vnd)

    def verify_callback(self, params: Mapping[str, str]) -> CallbackResult:
        given = str(params.get(HASH) or "")
        if not given:
            raise AuthenticationError("payment_signature_missing")
        if not hmac.compare_digest(
            given.lower().encode("ascii", "replace"), _sign(params, self._secret).encode("ascii")
        ):
            raise AuthenticationError("payment_signature_invalid")
        if params.get("cgw_MerchantCode") != self._merchant_code:
            raise ValidationError("payment_callback_invalid", params={"field": "cgw_MerchantCode"})
        return _result(params)


def _result(params: Mapping[str, str]) -> CallbackResult:
    amount, reference = str(params.get("cgw_Amount", "")), str(params.get("cgw_TxnRef", ""))
    if not (amount.isascii() and amount.isdigit()) or not reference:
        raise ValidationError("payment_callback_invalid", params={"field": "cgw_Amount"})
    paid = params.get("cgw_ResponseCode") == SUCCESS and params.get("cgw_TransactionStatus") == SUCCESS
    return CallbackResult(
        reference=reference,
        amount_vnd=int(amount),
        status=PaymentStatus.COMPLETED if paid else PaymentStatus.FAILED,
        gateway_txn_id=str(params.get("cgw_TransactionNo", "")),
    )


def _gateway_time(instant: datetime) -> str:
    """yyyyMMddHHmmss in Vietnam's time, as these gateways write their dates."""
    return instant.astimezone(VIETNAM).strftime("%Y%m%d%H%M%S")
