"""Seals a successor refresh token for the grace window, under a key only the predecessor's holder can derive.

The key is HMAC-SHA256(predecessor token, label): the predecessor is never stored (its SHA-256 names the item,
and that hash does not give the key), so a copy of the table opens nothing, and no key needs managing.
"""

import base64
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_LABEL = b"citizen-app refresh successor v1"
_NONCE_BYTES = 12


class AesGcmSuccessorSealer:
    def seal(self, predecessor: str, successor: str) -> str:
        nonce = os.urandom(_NONCE_BYTES)
        sealed = AESGCM(_key(predecessor)).encrypt(nonce, successor.encode("utf-8"), _LABEL)
        return base64.urlsafe_b64encode(nonce + sealed).decode("ascii")

    def unseal(self, predecessor: str, sealed: str) -> str | None:
        try:
            raw = base64.urlsafe_b64decode(sealed.encode("ascii"))
            plain = AESGCM(_key(predecessor)).decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], _LABEL)
        except (InvalidTag, ValueError):
            return None
        return plain.decode("utf-8")


def _key(predecessor: str) -> bytes:
    return hmac.new(predecessor.encode("utf-8"), _LABEL, hashlib.sha256).digest()
