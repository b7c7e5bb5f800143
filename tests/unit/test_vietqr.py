"""VietQR payloads: the CRC, published samples, round trips and what the parser refuses."""

import pytest

from chalicelib.domain.vietqr import VietQr, VietQrError, build_payload, crc16_ccitt_false, parse_payload

# Published in the README of github.com/subiz/vietqr: 120,000 đ to VietinBank account 0011001932418.
SUBIZ_SAMPLE = (
    "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA5303704"
    "54061200005802VN62170813ung ho lu lut6304C15C"
)


def test_crc_check_value_of_the_standard():
    assert crc16_ccitt_false(b"123456789") == 0x29B1
    assert crc16_ccitt_false(b"") == 0xFFFF


def test_the_published_sample_parses_and_is_rebuilt_to_the_same_string():
    qr = parse_payload(SUBIZ_SAMPLE)
    assert qr == VietQr("970415", "0011001932418", 120_000, "ung ho lu lut")
    assert build_payload(qr) == SUBIZ_SAMPLE


def test_a_dynamic_payment_payload_field_by_field():
    payload = build_payload(VietQr("970415", "3751071234567", 4_850_000, "TAX2026AB12"))
    assert payload.startswith(
        "000201"
        "010212"
        "3857"
        "0010A000000727"
        "0127"
        "0006970415"
        "01133751071234567"
        "0208QRIBFTTA"
        "5303704"
        "54074850000"
        "5802VN"
        "62150811TAX2026AB12"
        "6304"
    )
    assert payload[-4:] == f"{crc16_ccitt_false(payload[:-4].encode()):04X}"


@pytest.mark.parametrize(
    "qr",
    [
        VietQr("970436", "0011001932418"),
        VietQr("970422", "A1B2", 1, ""),
        VietQr("970415", "1" * 19, 10**13 - 1, "x" * 25),
    ],
)
def test_round_trip(qr):
    assert parse_payload(build_payload(qr)) == qr


def test_a_static_qr_has_no_amount_and_says_11():
    assert build_payload(VietQr("970436", "0011001932418"))[6:12] == "010211"


def test_a_changed_character_breaks_the_crc():
    tampered = SUBIZ_SAMPLE.replace("5406120000", "5406920000")
    with pytest.raises(VietQrError, match="CRC"):
        parse_payload(tampered)


@pytest.mark.parametrize("payload", ["", "6304ABCD", "hello world", SUBIZ_SAMPLE[:-8]])
def test_not_a_payload(payload):
    with pytest.raises(VietQrError):
        parse_payload(payload)


def test_another_scheme_is_refused():
    body = "00020101021126140010A00000077553037045802VN6304"
    with pytest.raises(VietQrError, match="NAPAS"):
        parse_payload(body + f"{crc16_ccitt_false(body.encode()):04X}")


@pytest.mark.parametrize(
    "qr",
    [
        VietQr("97041", "1"),
        VietQr("970415", ""),
        VietQr("970415", "1" * 20),
        VietQr("970415", "12", 0),
        VietQr("970415", "12", 1, "x" * 26),
        VietQr("970415", "12", 1, "Nộp thuế"),
    ],
)
def test_what_cannot_be_encoded(qr):
    with pytest.raises(VietQrError):
        build_payload(qr)
