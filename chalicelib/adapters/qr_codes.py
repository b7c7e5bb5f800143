"""QR codes for wallet shares and offline presentations, as PNG and SVG, sized for phone cameras."""

import io
import math

import segno

from chalicelib.errors import ValidationError

# Error correction M reads through glare and smudges; past this version the modules get too small for a
# phone held at arm's length, so a long payload trades correction for size (L) instead of growing further.
DENSE_VERSION = 25
BORDER = 4  # the quiet zone ISO/IEC 18004 requires
MIN_PIXELS = 300


class SegnoQrCodeRenderer:
    """ValidationError("qr_payload_too_large") when even version 40 at level L cannot hold the payload."""

    def png(self, payload: str) -> bytes:
        qr = make_qr(payload)
        out = io.BytesIO()
        qr.save(out, kind="png", scale=scale_for(qr), border=BORDER)
        return out.getvalue()

    def svg(self, payload: str) -> bytes:
        qr = make_qr(payload)
        out = io.BytesIO()
        qr.save(out, kind="svg", scale=scale_for(qr), border=BORDER, xmldecl=False)
        return out.getvalue()


def make_qr(payload: str) -> segno.QRCode:
    if not payload:
        raise ValidationError("qr_payload_empty")
    try:
        qr = segno.make(payload, error="m", micro=False, boost_error=False)
        if qr.version > DENSE_VERSION:
            qr = segno.make(payload, error="l", micro=False, boost_error=False)
    except segno.DataOverflowError as error:
        raise ValidationError("qr_payload_too_large") from error
    return qr


def scale_for(qr: segno.QRCode) -> int:
    """Whole pixels per module (a fractional scale blurs module edges) reaching at least MIN_PIXELS."""
    width, _ = qr.symbol_size(scale=1, border=BORDER)
    return max(2, math.ceil(MIN_PIXELS / width))
