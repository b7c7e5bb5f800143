"""Upload rules: what a request may declare, what the bytes really are, where things are stored."""

import pytest

from chalicelib.domain.uploads import (
    MAX_UPLOAD_BYTES,
    REJECTION_REASONS,
    UploadRejectedError,
    UploadStatus,
    check_content,
    derivative_key,
    parse_raw_key,
    raw_key,
    sniff_content_type,
    validate_upload_request,
)
from chalicelib.errors import FieldProblem, ValidationError

PNG_HEAD = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
HEIC_HEAD = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 8
AVIF_HEAD = b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf" + b"\x00" * 8


def test_a_wallet_photo_of_ten_megabytes_is_acceptable():
    assert validate_upload_request("wallet", "image/heic", MAX_UPLOAD_BYTES) == ()


def test_ten_megabytes_and_one_byte_is_too_large():
    assert validate_upload_request("wallet", "image/jpeg", MAX_UPLOAD_BYTES + 1) == (FieldProblem("size", "too_large"),)


@pytest.mark.parametrize("size", [0, -1, True, "12"])
def test_a_size_that_is_not_a_positive_integer_is_empty(size):
    assert validate_upload_request("wallet", "image/jpeg", size) == (FieldProblem("size", "empty"),)


def test_every_problem_of_a_request_is_reported():
    problems = validate_upload_request("selfie", "application/x-msdownload", MAX_UPLOAD_BYTES + 1)
    assert [p.code for p in problems] == ["purpose_unknown", "type_not_allowed", "too_large"]


def test_a_dossier_upload_names_its_dossier_and_a_wallet_upload_does_not():
    assert validate_upload_request("dossier", "application/pdf", 10) == (
        FieldProblem("dossier_id", "dossier_required"),
    )
    assert validate_upload_request("dossier", "application/pdf", 10, dossier_id="D1") == ()
    assert validate_upload_request("wallet", "application/pdf", 10, dossier_id="D1") == (
        FieldProblem("dossier_id", "dossier_not_allowed"),
    )


@pytest.mark.parametrize(
    "head, expected",
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (PNG_HEAD, "image/png"),
        (b"RIFF\x10\x00\x00\x00WEBPVP8 ", "image/webp"),
        (HEIC_HEAD, "image/heic"),
        (b"%PDF-1.7\n", "application/pdf"),
        (b"MZ\x90\x00\x03", None),
        (b"\x7fELF\x02\x01\x01", None),
        (AVIF_HEAD, None),
        (b"", None),
    ],
)
def test_the_type_is_decided_by_the_magic_numbers(head, expected):
    assert sniff_content_type(head) == expected


def test_a_pdf_declared_as_jpeg_is_a_mismatch():
    with pytest.raises(UploadRejectedError) as refused:
        check_content(b"%PDF-1.7\n%%EOF", "image/jpeg")
    assert refused.value.code == "type_mismatch"


def test_an_executable_declared_as_png_is_unrecognised():
    with pytest.raises(UploadRejectedError) as refused:
        check_content(b"MZ\x90\x00" + b"\x00" * 60, "image/png")
    assert refused.value.code == "content_unrecognised"


def test_heic_and_heif_are_one_family():
    assert check_content(HEIC_HEAD, "image/heif") == "image/heic"


def test_the_worker_refuses_ten_megabytes_and_one_byte_whatever_the_request_said():
    with pytest.raises(UploadRejectedError) as refused:
        check_content(PNG_HEAD + b"\x00" * (MAX_UPLOAD_BYTES + 1 - len(PNG_HEAD)), "image/png")
    assert refused.value.code == "too_large"


def test_every_rejection_has_a_reason_in_vietnamese_and_english():
    for code, texts in REJECTION_REASONS.items():
        assert set(texts) == {"vi", "en"} and all(texts.values()), code
    error = UploadRejectedError("pdf_encrypted")
    assert error.code == "pdf_encrypted" and "mật khẩu" in error.reason("vi") and "password" in error.reason("en")
    assert isinstance(error, ValidationError)  # the edge answers 400


def test_an_unknown_rejection_code_is_a_programming_error():
    with pytest.raises(ValueError):
        UploadRejectedError("bad_vibes")


def test_keys_bind_the_citizen_and_the_upload():
    assert raw_key("c-123", "u_456") == "raw/c-123/u_456"
    assert parse_raw_key("raw/c-123/u_456") == ("c-123", "u_456")
    assert derivative_key("c-123", "d1", "thumb.jpg") == "documents/c-123/d1/thumb.jpg"
    assert UploadStatus("rejected") is UploadStatus.REJECTED


@pytest.mark.parametrize("citizen_id", ["", "..", "a/b", "c 1", "ç", "x" * 129])
def test_an_id_that_could_escape_its_prefix_is_refused(citizen_id):
    with pytest.raises(ValueError):
        raw_key(citizen_id, "u1")


@pytest.mark.parametrize("key", ["raw/c1", "documents/c1/u1", "raw/c1/u1/extra", "raw/../u1"])
def test_only_raw_upload_keys_parse(key):
    with pytest.raises(ValueError):
        parse_raw_key(key)


def test_a_derivative_has_a_known_name():
    with pytest.raises(ValueError):
        derivative_key("c1", "d1", "../../raw/c2/u2")
