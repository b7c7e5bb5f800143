"""The image worker's processing, on inputs made here: phone JPEGs and HEICs come out upright, small and
bare; bombs, truncated files, renamed PDFs and executables are refused with their reason."""

import io
import struct
import warnings
import zlib

import pytest
from PIL import Image, ImageCms

from chalicelib.adapters.pillow_images import PillowImageProcessor
from chalicelib.domain.uploads import MAX_UPLOAD_BYTES, UploadRejectedError

GPS = {1: "N", 2: (21.0, 1.0, 42.0), 3: "E", 4: (105.0, 51.0, 12.0)}
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'
RED, BLUE = (255, 0, 0), (0, 0, 255)


def stored_sideways(width: int, height: int) -> Image.Image:
    """As a phone held upright stores it with orientation 6: landscape, the top of the scene on the left."""
    image = Image.new("RGB", (width, height), BLUE)
    image.paste(RED, (0, 0, width // 8, height))
    return image


def phone_exif() -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "Phone maker"
    exif.get_ifd(0x8825).update(GPS)
    return exif.tobytes()


def with_iptc(jpeg: bytes) -> bytes:
    payload = b"Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x0c\x1c\x02\x78\x00\x08Ha Noi 1"
    return jpeg[:2] + b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload + jpeg[2:]


def phone_jpeg(width: int = 3400, height: int = 2550) -> bytes:
    out = io.BytesIO()
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    stored_sideways(width, height).save(out, "JPEG", quality=80, exif=phone_exif(), xmp=XMP, icc_profile=srgb)
    return with_iptc(out.getvalue())


def jpeg_segments(data: bytes) -> list[int]:
    """The markers of a JPEG's header segments, up to the start of scan."""
    assert data[:2] == b"\xff\xd8"
    markers, at = [], 2
    while data[at + 1] != 0xDA:
        markers.append(data[at + 1])
        at += 2 + struct.unpack(">H", data[at + 2 : at + 4])[0]
    return markers


def assert_bare_upright_portrait(jpeg: bytes, long_side: int) -> None:
    image = Image.open(io.BytesIO(jpeg))
    assert image.format == "JPEG" and image.height == long_side and image.width < image.height
    assert not image.getexif() and "xmp" not in image.info and "icc_profile" not in image.info
    assert not set(jpeg_segments(jpeg)) - {0xE0, 0xDB, 0xC0, 0xC4}  # JFIF, tables, frame; no APPn else
    assert b"Phone maker" not in jpeg and b"Ha Noi" not in jpeg
    top_row = image.convert("RGB").crop((0, 0, image.width, image.height // 16)).resize((1, 1)).getpixel((0, 0))
    assert top_row[0] > 200 and top_row[2] < 60  # the red band stored on the left is now on top


@pytest.fixture(scope="module")
def processor():
    return PillowImageProcessor()


def test_a_phone_jpeg_comes_out_upright_small_and_without_any_metadata(processor):
    raw = phone_jpeg()
    source = Image.open(io.BytesIO(raw))
    assert source.getexif().get_ifd(0x8825)[2] == GPS[2] and "xmp" in source.info  # the input leaks
    result = processor.process(raw, "image/jpeg")
    assert (result.kind, result.content_type, result.width, result.height) == ("image", "image/jpeg", 1200, 1600)
    assert_bare_upright_portrait(result.full_jpeg, 1600)
    assert_bare_upright_portrait(result.thumbnail_jpeg, 320)


def test_a_heic_comes_out_upright_small_and_without_any_metadata(processor):
    out = io.BytesIO()
    stored_sideways(2000, 1500).save(out, format="HEIF", quality=60, exif=phone_exif(), xmp=XMP)
    result = processor.process(out.getvalue(), "image/heic")
    assert result.content_type == "image/heic" and (result.width, result.height) == (1200, 1600)
    assert_bare_upright_portrait(result.full_jpeg, 1600)
    assert_bare_upright_portrait(result.thumbnail_jpeg, 320)


def test_a_transparent_png_screenshot_is_flattened_on_white_and_kept_small_when_small(processor):
    screenshot = Image.new("RGBA", (300, 600), (0, 0, 0, 0))
    out = io.BytesIO()
    screenshot.save(out, "PNG")
    result = processor.process(out.getvalue(), "image/png")
    assert (result.width, result.height) == (300, 600)
    assert Image.open(io.BytesIO(result.full_jpeg)).convert("RGB").getpixel((10, 10)) >= (250, 250, 250)


def test_a_webp_is_accepted(processor):
    out = io.BytesIO()
    Image.new("RGB", (64, 48), RED).save(out, "WEBP")
    assert processor.process(out.getvalue(), "image/webp").thumbnail_jpeg.startswith(b"\xff\xd8")


def png_declaring(width: int, height: int) -> bytes:
    """A tiny valid PNG whose header then claims width x height pixels."""
    out = io.BytesIO()
    Image.new("L", (1, 1)).save(out, "PNG")
    data = bytearray(out.getvalue())
    header = b"IHDR" + struct.pack(">II", width, height) + bytes(data[24:29])
    data[12:29] = header
    data[29:33] = struct.pack(">I", zlib.crc32(header))
    return bytes(data)


@pytest.mark.parametrize("width, height", [(10_000, 5_001), (20_000, 20_000)])
def test_a_png_decompression_bomb_is_refused_before_decoding(processor, width, height):
    with pytest.raises(UploadRejectedError) as refused:
        processor.process(png_declaring(width, height), "image/png")
    assert refused.value.code == "too_many_pixels"
    assert "50 megapixel" in refused.value.reason("en")


def test_treating_the_bomb_warning_as_an_error_does_not_leak_out_of_the_processor(processor):
    with pytest.raises(UploadRejectedError):
        processor.process(png_declaring(10_000, 5_001), "image/png")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        warnings.warn("still a warning", Image.DecompressionBombWarning, stacklevel=1)
    assert len(caught) == 1


def test_a_truncated_jpeg_is_refused(processor):
    out = io.BytesIO()
    Image.effect_noise((400, 300), 50).convert("RGB").save(out, "JPEG")
    with pytest.raises(UploadRejectedError) as refused:
        processor.process(out.getvalue()[: len(out.getvalue()) // 2], "image/jpeg")
    assert refused.value.code == "image_damaged"


def test_a_pdf_renamed_jpg_is_refused_as_a_mismatch(processor):
    with pytest.raises(UploadRejectedError) as refused:
        processor.process(b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n", "image/jpeg")
    assert refused.value.code == "type_mismatch"


@pytest.mark.parametrize("header", [b"\x7fELF\x02\x01\x01\x00", b"MZ\x90\x00\x03\x00\x00\x00"])
def test_an_executable_renamed_png_is_refused(processor, header):
    with pytest.raises(UploadRejectedError) as refused:
        processor.process(header + b"\x00" * 120, "image/png")
    assert refused.value.code == "content_unrecognised"


def test_a_png_declared_as_jpeg_is_refused_as_a_mismatch(processor):
    with pytest.raises(UploadRejectedError) as refused:
        processor.process(png_declaring(4, 4), "image/jpeg")
    assert refused.value.code == "type_mismatch"


def test_ten_megabytes_and_one_byte_is_refused_by_the_worker(processor):
    with pytest.raises(UploadRejectedError) as refused:
        processor.process(b"\xff\xd8\xff\xe0" + b"\x00" * (MAX_UPLOAD_BYTES - 3), "image/jpeg")
    assert refused.value.code == "too_large"
