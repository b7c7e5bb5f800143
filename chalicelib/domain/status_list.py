"""The IETF Token Status List (draft-ietf-oauth-status-list): a bit array with a few bits per credential,
DEFLATE-compressed (ZLIB format) and base64url-encoded as {"bits": n, "lst": "..."}."""

import base64
import binascii
import zlib
from dataclasses import dataclass
from typing import Any

ALLOWED_BITS = (1, 2, 4, 8)
# A decoded list larger than this is refused: a few bytes of DEFLATE can inflate to gigabytes.
MAX_LIST_BYTES = 8 * 1024 * 1024


class StatusListFormatError(ValueError):
    """An encoded status list that does not follow the specification."""

    def __init__(self, code: str):
        self.code = code
        super().__init__(code)


class StatusList:
    """Entry i lives in byte i*bits//8, starting at its least significant bit (the spec's bit order)."""

    def __init__(self, size: int, bits: int = 2, data: bytes = b""):
        if bits not in ALLOWED_BITS:
            raise ValueError(f"bits must be one of {ALLOWED_BITS}")
        self.bits, self.size = bits, size
        self._per_byte = 8 // bits
        self._mask = (1 << bits) - 1
        length = -(-size // self._per_byte)
        self._data = bytearray(data) if data else bytearray(length)
        if len(self._data) != length:
            raise ValueError(f"{len(self._data)} bytes cannot hold exactly {size} entries of {bits} bits")

    def get(self, index: int) -> int:
        byte, shift = self._position(index)
        return (self._data[byte] >> shift) & self._mask

    def set(self, index: int, status: int) -> None:
        if not 0 <= status <= self._mask:
            raise ValueError(f"status {status} does not fit in {self.bits} bits")
        byte, shift = self._position(index)
        self._data[byte] = (self._data[byte] & ~(self._mask << shift)) | (status << shift)

    def to_bytes(self) -> bytes:
        return bytes(self._data)

    def encode(self) -> dict[str, Any]:
        """The status_list claim: the spec's examples use ZLIB at its best compression."""
        compressed = zlib.compress(bytes(self._data), 9)
        return {"bits": self.bits, "lst": base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")}

    @classmethod
    def decode(cls, claim: Any) -> "StatusList":
        """The size is every entry the bytes can hold: the encoding does not say how many are in use."""
        well_formed = isinstance(claim, dict) and isinstance(claim.get("lst"), str)
        if not well_formed or claim.get("bits") not in ALLOWED_BITS:
            raise StatusListFormatError("status_list_invalid")
        data = _inflate(_b64url_decode(claim["lst"]))
        bits = claim["bits"]
        return cls(len(data) * (8 // bits), bits, data)

    def _position(self, index: int) -> tuple[int, int]:
        if not 0 <= index < self.size:
            raise IndexError(f"status index {index} outside 0..{self.size - 1}")
        return index // self._per_byte, (index % self._per_byte) * self.bits


def _b64url_decode(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as error:
        raise StatusListFormatError("status_list_invalid") from error


def _inflate(compressed: bytes) -> bytes:
    inflater = zlib.decompressobj()
    try:
        data = inflater.decompress(compressed, MAX_LIST_BYTES)
    except zlib.error as error:
        raise StatusListFormatError("status_list_invalid") from error
    if inflater.unconsumed_tail:
        raise StatusListFormatError("status_list_too_large")
    if not inflater.eof or not data:
        raise StatusListFormatError("status_list_invalid")
    return data


@dataclass(frozen=True)
class StatusListToken:
    """A verified statuslist+jwt: the list published at `uri`, fresh until expires_at (or iat + ttl)."""

    uri: str
    issued_at: int
    expires_at: int | None
    ttl: int | None
    status_list: StatusList

    def status_of(self, uri: str, index: int, now: int) -> int | None:
        """None when this list cannot say: another list, an index it does not hold, or stale."""
        if uri != self.uri or not self.is_fresh(now) or not 0 <= index < self.status_list.size:
            return None
        return self.status_list.get(index)

    def is_fresh(self, now: int) -> bool:
        return self.expires_at is None or now < self.expires_at
