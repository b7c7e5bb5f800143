"""The tax authority's registry over HTTP (TaxRegistry): an ES256 client assertion per request, timeouts,
retries with capped exponential backoff and full jitter, and a circuit breaker (pybreaker).

Authentication: `Authorization: Bearer <JWT>` signed with our private key (private_key_jwt style, RFC 7523
claims iss = sub = client_id, aud, iat, exp 60 s, a fresh jti) bound to the request by `htm` (method),
`htu` (path and query) and, with a body, `bh` (base64url SHA-256 of the body), so a captured assertion
cannot be replayed nor moved to another request.

Retries: only 502/503/504, refused or reset connections and connect timeouts, i.e. when the upstream
did not (or could not) act. A read timeout is not retried: the upstream is slow, and waiting again
multiplies the citizen's wait. report_payment is retried like a read because the upstream dedupes it
by our reference (also sent as Idempotency-Key). Each attempt passes the breaker: N consecutive failed
attempts open it; after the cool-down one probe goes through, its success closes it.
"""

import base64
import hashlib
import http.client
import json
import math
import random
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from datetime import datetime
from typing import Any

import jwt
import pybreaker
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from chalicelib.adapters import tax_authority_json as documents
from chalicelib.domain.tax import BusinessStatus, TaxObligation, TaxPayment, TaxProfile
from chalicelib.domain.tax_alerts import TaxChanges
from chalicelib.errors import AppError, ConflictError, NotFoundError, ServiceUnavailableError, UpstreamRejectedError

UNAVAILABLE = "tax_authority_unavailable"
_RETRYABLE_STATUSES = {502, 503, 504}
_ASSERTION_LIFETIME = 60


class _UpstreamFailedError(Exception):
    """An attempt the breaker counts as a failure; `retryable` when the upstream surely did nothing."""

    def __init__(self, retryable: bool):
        super().__init__("retryable" if retryable else "not retryable")
        self.retryable = retryable


class HttpTaxRegistry:
    def __init__(
        self,
        base_url: str,
        client_id: str,
        client_key_pem: Callable[[], str],
        timeout: float = 3.0,
        *,
        audience: str | None = None,
        retries: int = 2,
        backoff_base: float = 0.2,
        backoff_cap: float = 2.0,
        breaker_failures: int = 5,
        breaker_cooldown: float = 30.0,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self._base_url, self._client_id = base_url.rstrip("/"), client_id
        self._audience = audience or self._base_url
        self._client_key_pem, self._timeout, self._clock, self._sleep = client_key_pem, timeout, clock, sleep
        self._retries, self._backoff_base, self._backoff_cap = retries, backoff_base, backoff_cap
        self._cooldown = breaker_cooldown
        # Answers the upstream gave on purpose (404, 409, refused credentials) are AppErrors: not failures.
        self._breaker = pybreaker.CircuitBreaker(
            fail_max=breaker_failures, reset_timeout=breaker_cooldown, exclude=[AppError], name="tax-authority"
        )
        self._key: tuple[str, Any] = ("", None)

    def get_profile(self, tax_code: str) -> TaxProfile:
        return _read(documents.profile_from, self._get(f"/v1/taxpayers/{_segment(tax_code)}", "taxpayer_not_found"))

    def list_obligations(self, tax_code: str, year: int) -> list[TaxObligation]:
        path = f"/v1/taxpayers/{_segment(tax_code)}/obligations?year={int(year)}"
        return _read(documents.obligations_from, self._get(path, "taxpayer_not_found"))

    def list_unpaid(self, tax_code: str) -> list[TaxObligation]:
        path = f"/v1/taxpayers/{_segment(tax_code)}/obligations?status=unpaid"
        return _read(documents.obligations_from, self._get(path, "taxpayer_not_found"))

    def list_payments(self, tax_code: str) -> list[TaxPayment]:
        path = f"/v1/taxpayers/{_segment(tax_code)}/payments"
        return _read(documents.payments_from, self._get(path, "taxpayer_not_found"))

    def get_business_status(self, tax_code: str) -> BusinessStatus:
        return _read(documents.business_from, self._get(f"/v1/businesses/{_segment(tax_code)}", "business_not_found"))

    def businesses_represented_by(self, personal_id: str) -> list[BusinessStatus]:
        # A search: its criteria travel in a POST body, which the upstream treats as a read.
        answer = self._send("POST", "/v1/businesses/search", {"legal_representative": personal_id}, "not_found")
        return _read(documents.businesses_from, answer)

    def report_payment(
        self, obligation_ids: tuple[str, ...], amount_vnd: int, reference: str, paid_at: datetime
    ) -> TaxPayment:
        body = documents.payment_report(obligation_ids, amount_vnd, reference, paid_at)
        answer = self._send("POST", "/v1/payments", body, "obligation_not_found", idempotency_key=reference)
        return _read(documents.payment_from, answer)

    def changes_since(self, cursor: str, limit: int) -> TaxChanges:
        query = urllib.parse.urlencode({"after": cursor, "limit": int(limit)})
        return _read(documents.changes_from, self._get(f"/v1/changes?{query}", "not_found"))

    def _get(self, path: str, not_found: str) -> dict[str, Any]:
        return self._send("GET", path, None, not_found)

    def _send(
        self, method: str, path: str, body: dict[str, Any] | None, not_found: str, idempotency_key: str = ""
    ) -> dict[str, Any]:
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json"} if data is not None else {}
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        attempt = 0
        while True:
            try:
                return self._breaker.call(self._attempt, method, path, data, headers, not_found)
            except pybreaker.CircuitBreakerError as error:
                raise ServiceUnavailableError(UNAVAILABLE, retry_after=math.ceil(self._cooldown)) from error
            except _UpstreamFailedError as error:
                if not error.retryable or attempt >= self._retries:
                    raise ServiceUnavailableError(UNAVAILABLE, retry_after=2) from error
            self._sleep(random.uniform(0, min(self._backoff_cap, self._backoff_base * 2**attempt)))
            attempt += 1

    def _attempt(
        self, method: str, path: str, data: bytes | None, headers: dict[str, str], not_found: str
    ) -> dict[str, Any]:
        # Signed per attempt: each assertion's jti is single-use upstream.
        assertion = self._assertion(method, path, data)
        headers = {**headers, "Accept": "application/json", "Authorization": f"Bearer {assertion}"}
        request = urllib.request.Request(self._base_url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            raise _refusal(error.code, not_found) from error
        except (urllib.error.URLError, http.client.RemoteDisconnected, ConnectionError) as error:
            raise _UpstreamFailedError(retryable=True) from error  # no answer: nothing was done
        except (TimeoutError, http.client.HTTPException, OSError, ValueError) as error:
            raise _UpstreamFailedError(retryable=False) from error

    def _assertion(self, method: str, path: str, data: bytes | None) -> str:
        now = int(self._clock())
        claims = {
            "iss": self._client_id,
            "sub": self._client_id,
            "aud": self._audience,
            "iat": now,
            "exp": now + _ASSERTION_LIFETIME,
            "jti": secrets.token_urlsafe(16),
            "htm": method,
            "htu": path,
        }
        if data is not None:
            claims["bh"] = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
        return jwt.encode(claims, self._signing_key(), algorithm="ES256")

    def _signing_key(self) -> ec.EllipticCurvePrivateKey:
        pem = self._client_key_pem()
        if self._key[0] != pem:  # parsing a PEM costs more than signing: once per key rotation
            key = load_pem_private_key(pem.encode("ascii"), password=None)
            if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
                raise ServiceUnavailableError("tax_authority_client_misconfigured")
            self._key = (pem, key)
        return self._key[1]


def _refusal(status: int, not_found: str) -> Exception:
    if status == 404:
        return NotFoundError(not_found)
    if status in (401, 403):
        return ServiceUnavailableError("tax_authority_credentials_refused", retry_after=60)
    if status == 409:
        return ConflictError("payment_reference_conflict")
    if 400 <= status < 500 and status != 429:
        return UpstreamRejectedError("tax_authority_rejected")
    return _UpstreamFailedError(retryable=status in _RETRYABLE_STATUSES)


def _read(reader: Callable[[dict[str, Any]], Any], doc: dict[str, Any]) -> Any:
    try:
        return reader(doc)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ServiceUnavailableError(UNAVAILABLE, retry_after=2) from error


def _segment(tax_code: str) -> str:
    return urllib.parse.quote(tax_code, safe="")
