"""VietQR: the EMVCo merchant-presented QR payload that NAPAS 247 bank apps scan to transfer to an account.

Tag-length-value fields (two-digit id, two-digit length, value), closed by a CRC-16/CCITT-FALSE over the
whole payload up to and including "6304". Lengths count characters, so values are kept to ASCII.
"""

import re
from dataclasses import dataclass

NAPAS_GUID = "A000000727"
SERVICE_ACCOUNT = "QRIBFTTA"  # transfer to an account number (QRIBFTTC: to a card number)
CURRENCY_VND = "704"
_ALLOWED = re.compile(r"[ -~]*")  # printable ASCII: banks reject or mangle anything else
_MAX_PURPOSE = 25  # tag 62/08 is "ans ..25"


class VietQrError(ValueError):
    """A payload that is malformed, has a wrong CRC, or is no VietQR account transfer."""


@dataclass(frozen=True)
class VietQr:
    bank_bin: str  # the NAPAS BIN of the beneficiary's bank, six digits (970415 = VietinBank)
    account_number: str
    amount_vnd: int | None = None  # None: a static QR, the payer types the amount
    purpose: str = ""  # tag 62/08, what the transfer is for: our payment reference


def _crc_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) & 0xFFFF if crc & 0x8000 else (crc << 1) & 0xFFFF
        table.append(crc)
    return tuple(table)


_CRC_TABLE = _crc_table()


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: polynomial 0x1021, initial value 0xFFFF, no reflection, no final xor."""
    crc = 0xFFFF
    for byte in data:
        crc = ((crc << 8) & 0xFFFF) ^ _CRC_TABLE[(crc >> 8) ^ byte]
    return crc


def build_payload(qr: VietQr) -> str:
    _check(qr)
    account = _tlv("00", qr.bank_bin) + _tlv("01", qr.account_number)
    merchant = _tlv("00", NAPAS_GUID) + _tlv("01", account) + _tlv("02", SERVICE_ACCOUNT)
    dynamic = qr.amount_vnd is not None
    body = (
        _tlv("00", "01")
        + _tlv("01", "12" if dynamic else "11")
        + _tlv("38", merchant)
        + _tlv("53", CURRENCY_VND)
        + (_tlv("54", str(qr.amount_vnd)) if dynamic else "")
        + _tlv("58", "VN")
        + (_tlv("62", _tlv("08", qr.purpose)) if qr.purpose else "")
        + "6304"
    )
    return body + f"{crc16_ccitt_false(body.encode('ascii')):04X}"


def parse_payload(payload: str) -> VietQr:
    """The transfer a payload asks for; VietQrError if its CRC, structure or service is not VietQR's."""
    if len(payload) < 8 or not _ALLOWED.fullmatch(payload) or not payload[-8:-4] == "6304":
        raise VietQrError("not an EMVCo payload ending in a CRC field")
    if payload[-4:].upper() != f"{crc16_ccitt_false(payload[:-4].encode('ascii')):04X}":
        raise VietQrError("CRC mismatch")
    root = _fields(payload[:-8])
    merchant = _fields(root.get("38", ""))
    account = _fields(merchant.get("01", ""))
    if merchant.get("00") != NAPAS_GUID or root.get("53", CURRENCY_VND) != CURRENCY_VND:
        raise VietQrError("not a NAPAS VietQR payload in VND")
    if merchant.get("02") != SERVICE_ACCOUNT or "00" not in account or "01" not in account:
        raise VietQrError("not a transfer to an account number")
    return VietQr(account["00"], account["01"], _amount(root.get("54")), _fields(root.get("62", "")).get("08", ""))


def _check(qr: VietQr) -> None:
    if not (len(qr.bank_bin) == 6 and qr.bank_bin.isascii() and qr.bank_bin.isdigit()):
        raise VietQrError("the bank BIN is six digits")
    if not (0 < len(qr.account_number) <= 19 and qr.account_number.isascii() and qr.account_number.isalnum()):
        raise VietQrError("the account number is 1-19 letters or digits")
    if qr.amount_vnd is not None and not 0 < qr.amount_vnd < 10**13:
        raise VietQrError("the amount is a positive number of đồng, at most 13 digits")
    if len(qr.purpose) > _MAX_PURPOSE or not _ALLOWED.fullmatch(qr.purpose):
        raise VietQrError(f"the purpose is at most {_MAX_PURPOSE} printable ASCII characters")


def _tlv(tag: str, value: str) -> str:
    if len(value) > 99:
        raise VietQrError(f"field {tag} is longer than 99 characters")
    return f"{tag}{len(value):02d}{value}"


def _fields(data: str) -> dict[str, str]:
    fields, position = {}, 0
    while position < len(data):
        tag, length = data[position : position + 2], data[position + 2 : position + 4]
        if not (tag.isdigit() and length.isdigit()) or position + 4 + int(length) > len(data):
            raise VietQrError(f"malformed field at position {position}")
        fields[tag] = data[position + 4 : position + 4 + int(length)]
        position += 4 + int(length)
    return fields


def _amount(text: str | None) -> int | None:
    if text is None:
        return None
    if not text.isdigit():
        raise VietQrError("the amount of a VND transfer is whole đồng")
    return int(text)
