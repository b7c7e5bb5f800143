"""Pagination cursors sealed with AES-256-GCM: opaque (a citizen's cursor does not show their partition key or
position) and tamper-evident in one step. The listing's kind, which names the caller, is the associated data,
so a cursor opens only for the listing and the caller it was made for."""

import base64
import binascii
import os
from collections.abc import Callable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_NONCE_BYTES = 12
_TAG_BYTES = 16
_KEY_INFO = b"citizen-app pagination cursor v1"


class CursorUnreadable(ValueError):
    """Not a cursor this server sealed for this kind, with the current key."""


class AesGcmCursorSealer:
    def __init__(self, secret: Callable[[], bytes]):
        self._secret = secret  # read on each use: a rotated secret reaches running containers
        self._derived: tuple[bytes, AESGCM] | None = None

    def seal(self, kind: str, plaintext: bytes) -> str:
        nonce = os.urandom(_NONCE_BYTES)
        sealed = nonce + self._cipher().encrypt(nonce, plaintext, kind.encode("utf-8"))
        return base64.urlsafe_b64encode(sealed).rstrip(b"=").decode("ascii")

    def open(self, kind: str, cursor: str) -> bytes:
        try:
            raw = base64.urlsafe_b64decode(cursor.encode("ascii") + b"=" * (-len(cursor) % 4))
        except (binascii.Error, ValueError) as error:  # ValueError: non-ASCII text
            raise CursorUnreadable() from error
        if len(raw) < _NONCE_BYTES + _TAG_BYTES:
            raise CursorUnreadable()
        try:
            return self._cipher().decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], kind.encode("utf-8"))
        except InvalidTag as error:
            raise CursorUnreadable() from error

    def _cipher(self) -> AESGCM:
        """The secret may be any random text of 32+ bytes: HKDF turns it into the AES key (kept until it rotates)."""
        secret = self._secret()
        if self._derived is None or self._derived[0] != secret:
            key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_KEY_INFO).derive(secret)
            self._derived = (secret, AESGCM(key))
        return self._derived[1]
