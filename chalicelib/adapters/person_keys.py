"""Keyed hashes of personal ID numbers and receipt pins, with a key from Secrets Manager.

A plain SHA-256 of a 12-digit ID is reversible by enumeration; an HMAC with a secret key is not.
"""

import hashlib
import hmac
from collections.abc import Callable


class HmacPersonKeys:
    def __init__(self, secret: Callable[[], str]):
        self._secret = secret  # cached with a TTL by the secrets adapter, so rotation reaches us

    def key_of(self, personal_id: str) -> str:
        return self._hmac("person:" + personal_id)

    def pin_hash(self, receipt_code: str, pin: str) -> str:
        return self._hmac(f"pin:{receipt_code}:{pin}")

    def _hmac(self, message: str) -> str:
        return hmac.new(self._secret().encode("utf-8"), message.encode("utf-8"), hashlib.sha256).hexdigest()

    def issue_pin(self, receipt_code: str) -> str:
        """Derived, not stored: an idempotent retry gets the same pin back and only its hash is kept."""
        return f"{int(self._hmac('pin-issue:' + receipt_code)[:12], 16) % 10**6:06d}"
