"""Share QR codes: PNG and SVG that phone cameras read, and a clear refusal when the payload cannot fit."""

import io

import pytest
import segno
from PIL import Image

from chalicelib.adapters.qr_codes import BORDER, DENSE_VERSION, MIN_PIXELS, SegnoQrCodeRenderer, make_qr
from chalicelib.errors import ValidationError

SHORT = "https://wallet.example.gov.vn/s/Kq3v9Zt1"


def test_png_is_at_least_phone_size_with_a_quiet_zone():
    image = Image.open(io.BytesIO(SegnoQrCodeRenderer().png(SHORT)))
    assert image.format == "PNG" and image.width == image.height >= MIN_PIXELS
    assert image.convert("L").getpixel((0, 0)) == 255  # the quiet zone is light


def test_svg_is_scaled_like_the_png():
    svg = SegnoQrCodeRenderer().svg(SHORT).decode("utf-8")
    assert svg.startswith("<svg") and 'width="' in svg
    width = int(svg.split('width="')[1].split('"')[0])
    assert width >= MIN_PIXELS


def test_short_payloads_keep_error_correction_m():
    assert make_qr(SHORT).error == "M"


def test_a_long_presentation_falls_back_to_l_and_still_fits():
    payload = "eyJhbGciOiJFUzI1NiJ9." + "A" * 1400 + "~"
    qr = make_qr(payload)
    assert qr.error == "L" and qr.version > DENSE_VERSION
    assert qr.symbol_size(scale=1, border=BORDER)[0] == qr.symbol_size(scale=1, border=0)[0] + 2 * BORDER


def test_a_payload_too_large_for_any_qr_code_is_a_domain_error():
    with pytest.raises(ValidationError) as refused:
        SegnoQrCodeRenderer().png("x" * 3000)
    assert refused.value.code == "qr_payload_too_large"


def test_what_is_encoded_is_the_payload():
    qr = make_qr(SHORT)
    assert qr == segno.make(SHORT, error="m", micro=False, boost_error=False)
