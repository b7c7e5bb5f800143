"""Citizens' photos and scans to clean JPEGs: decoded no larger than needed (JPEG draft), turned upright,
colours converted to sRGB, every metadata field dropped; bombs, truncated files and mismatches refused."""

import io
import math
import warnings

import pillow_heif
from PIL import Image, ImageCms

from chalicelib.domain.uploads import (
    FULL_LONG_SIDE,
    HEIC,
    IMAGE_TYPES,
    JPEG,
    MAX_PIXELS,
    PNG,
    THUMBNAIL_LONG_SIDE,
    WEBP,
    ProcessedUpload,
    UploadRejectedError,
    check_content,
)

# Pillow checks this in Image.open for every format, HEIF included; it warns above it and fails at twice it.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
pillow_heif.register_heif_opener()

_PIL_FORMATS = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP", HEIC: "HEIF"}
_ORIENTATION_TAG = 0x0112
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_RESIZABLE_MODES = ("L", "LA", "RGB", "RGBA", "CMYK")
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
# What a damaged or lying file raises from the decoders (UnidentifiedImageError is an OSError).
_DAMAGED = (OSError, SyntaxError, ValueError, EOFError, RuntimeError)


class PillowImageProcessor:
    """One upload's bytes in, a ProcessedUpload out, or UploadRejectedError with a stable code."""

    def __init__(self, quality: int = 85):
        self._quality = quality

    def process(self, data: bytes, declared_type: str) -> ProcessedUpload:
        content_type = check_content(data, declared_type)
        if content_type not in IMAGE_TYPES:
            raise UploadRejectedError("type_mismatch")
        full = decode_upright(data, content_type, FULL_LONG_SIDE)
        thumbnail = fit_long_side(full, THUMBNAIL_LONG_SIDE)
        return ProcessedUpload(
            kind="image",
            content_type=content_type,
            full_jpeg=encode_jpeg(full, self._quality),
            thumbnail_jpeg=encode_jpeg(thumbnail, self._quality),
            width=full.width,
            height=full.height,
        )


def decode_upright(data: bytes, content_type: str, long_side: int) -> Image.Image:
    """The image as displayed (EXIF orientation applied), RGB in sRGB, at most long_side px."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            return _decode(data, content_type, long_side)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise UploadRejectedError("too_many_pixels") from None
        except _DAMAGED:
            raise UploadRejectedError("image_damaged") from None


def _decode(data: bytes, content_type: str, long_side: int) -> Image.Image:
    # An in-memory buffer: nothing to close, and the decoded source goes when this function returns.
    image = Image.open(io.BytesIO(data), formats=[_PIL_FORMATS[content_type]])
    if image.width * image.height > MAX_PIXELS:
        raise UploadRejectedError("too_many_pixels")
    orientation = image.getexif().get(_ORIENTATION_TAG, 1)
    icc_profile = image.info.get("icc_profile")
    if image.format == "JPEG":
        # The DCT decoder scales by 1/2, 1/4 or 1/8 for free: never decode 12 MP to keep 2.
        image.draft("RGB", _fit_size(image.size, long_side))
    image.load()
    if image.mode not in _RESIZABLE_MODES:
        image = image.convert("RGBA" if image.has_transparency_data else "RGB")
    reduced = _to_srgb(_flatten(fit_long_side(image, long_side)), icc_profile)
    transpose = _TRANSPOSE.get(orientation)
    return reduced.transpose(transpose) if transpose is not None else reduced


def fit_long_side(image: Image.Image, long_side: int) -> Image.Image:
    """A resized copy with its long side at most long_side (never enlarged). Bicubic: text stays crisp at
    three quarters of Lanczos's CPU; the reducing gap box-averages large factors first, as thumbnail() does."""
    if max(image.size) <= long_side:
        return image.copy()
    return image.resize(_fit_size(image.size, long_side), Image.Resampling.BICUBIC, reducing_gap=2.0)


def _fit_size(size: tuple[int, int], long_side: int) -> tuple[int, int]:
    scale = min(1.0, long_side / max(size))
    return max(1, math.ceil(size[0] * scale - 0.5)), max(1, math.ceil(size[1] * scale - 0.5))


def _flatten(image: Image.Image) -> Image.Image:
    """Transparent screenshots on white, as they look on the phone, not on JPEG's implicit black."""
    if image.mode not in ("LA", "RGBA"):
        return image
    rgba = image.convert("RGBA")
    background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    return Image.alpha_composite(background, rgba).convert("RGB")


def _to_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    if icc_profile:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
            return ImageCms.profileToProfile(image, source, _SRGB, outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass  # scanners write broken profiles: showing the page as sRGB beats refusing it
    return image.convert("RGB") if image.mode != "RGB" else image


def encode_jpeg(image: Image.Image, quality: int = 85) -> bytes:
    """A baseline JPEG carrying nothing but pixels: no EXIF, GPS, XMP, IPTC or ICC."""
    image.info = {}
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality, exif=b"", icc_profile=None)
    return out.getvalue()
