"""Citizen document uploads: what may be uploaded and how big, what the content really is (by its bytes),
where raw uploads and derivatives are stored, and why an upload is refused (stable codes, vi/en reasons).
The uploaded document's own record is in domain/uploaded_documents.py."""

from dataclasses import dataclass
from enum import Enum

from chalicelib.errors import FieldProblem, ValidationError

JPEG, PNG, WEBP, HEIC, HEIF, PDF = (
    "image/jpeg",
    "image/png",
    "image/webp",
    "image/heic",
    "image/heif",
    "application/pdf",
)
IMAGE_TYPES = frozenset({JPEG, PNG, WEBP, HEIC, HEIF})
ALLOWED_CONTENT_TYPES = IMAGE_TYPES | {PDF}
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 50_000_000  # a 50 MP phone sensor; anything larger is not a photo of a paper
MAX_PDF_PAGES = 50
FULL_LONG_SIDE, THUMBNAIL_LONG_SIDE = 1600, 320
MAX_UPLOAD_URL_SECONDS = 300
PURPOSES = ("wallet", "dossier")
FULL_NAME, THUMBNAIL_NAME, PDF_NAME = "full.jpg", "thumb.jpg", "document.pdf"
# What each stored file is to whoever reads it (the citizen's wallet, the agency's dossier view).
FILE_ROLES = {FULL_NAME: "image", PDF_NAME: "document", THUMBNAIL_NAME: "thumbnail"}

# HEVC-coded HEIF brands, as phones write them; HEIC and HEIF are one family, so either declared type
# accepts either. AVIF shares the container (and the generic mif1 brand) but is not accepted.
_HEIF_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx"})
_SAME_FAMILY = {HEIF: HEIC}


class UploadStatus(str, Enum):
    PENDING = "pending"
    READY = "ready"
    REJECTED = "rejected"


REJECTION_REASONS: dict[str, dict[str, str]] = {
    "purpose_unknown": {"vi": "Mục đích tải lên không hợp lệ.", "en": "The upload purpose is not valid."},
    "dossier_required": {
        "vi": "Hãy chọn hồ sơ mà giấy tờ này thuộc về.",
        "en": "Choose the dossier this document belongs to.",
    },
    "dossier_not_allowed": {
        "vi": "Giấy tờ lưu vào ví không gắn với hồ sơ.",
        "en": "A document for the wallet is not attached to a dossier.",
    },
    "type_not_allowed": {
        "vi": "Chỉ nhận ảnh JPEG, PNG, WebP, HEIC hoặc tệp PDF.",
        "en": "Only JPEG, PNG, WebP or HEIC photos and PDF files are accepted.",
    },
    "content_unrecognised": {
        "vi": "Tệp này không phải ảnh hay tệp PDF.",
        "en": "This file is neither a photo nor a PDF.",
    },
    "type_mismatch": {
        "vi": "Nội dung tệp không khớp với loại tệp đã khai báo.",
        "en": "The file's content does not match its declared type.",
    },
    "empty": {"vi": "Tệp rỗng.", "en": "The file is empty."},
    "too_large": {"vi": "Tệp lớn hơn 10 MB.", "en": "The file is larger than 10 MB."},
    "too_many_pixels": {
        "vi": "Ảnh có độ phân giải quá lớn (tối đa 50 megapixel).",
        "en": "The image resolution is too high (50 megapixels at most).",
    },
    "image_damaged": {
        "vi": "Ảnh bị hỏng hoặc chưa tải lên đầy đủ; hãy chụp hoặc tải lại.",
        "en": "The image is damaged or incomplete; take or upload it again.",
    },
    "pdf_damaged": {"vi": "Tệp PDF bị hỏng; hãy xuất lại tệp.", "en": "The PDF is damaged; export it again."},
    "pdf_encrypted": {
        "vi": "Tệp PDF có mật khẩu hoặc bị mã hoá; hãy gỡ mật khẩu rồi tải lại.",
        "en": "The PDF is password-protected or encrypted; remove the password and upload it again.",
    },
    "pdf_too_many_pages": {"vi": "Tệp PDF có quá 50 trang.", "en": "The PDF has more than 50 pages."},
    "pdf_javascript": {
        "vi": "Tệp PDF chứa mã JavaScript nên không được chấp nhận.",
        "en": "The PDF contains JavaScript and is not accepted.",
    },
    "pdf_launch_action": {
        "vi": "Tệp PDF chứa lệnh mở chương trình nên không được chấp nhận.",
        "en": "The PDF contains an action that launches a program and is not accepted.",
    },
    "pdf_embedded_file": {
        "vi": "Tệp PDF có đính kèm tệp khác nên không được chấp nhận.",
        "en": "The PDF carries attached files and is not accepted.",
    },
}


class UploadRejectedError(ValidationError):
    """The upload is refused for good (no retry helps); `code` is a key of REJECTION_REASONS."""

    def __init__(self, code: str):
        if code not in REJECTION_REASONS:
            raise ValueError(f"unknown rejection code {code!r}")
        super().__init__(code)

    def reason(self, language: str = "vi") -> str:
        texts = REJECTION_REASONS[self.code]
        return texts.get(language, texts["vi"])


@dataclass(frozen=True)
class ProcessedUpload:
    """What the worker keeps. Images: a clean JPEG and its thumbnail, width/height of the full JPEG.
    PDFs: full_jpeg is None (the checked PDF itself is kept), width/height of the thumbnail."""

    kind: str  # "image" or "pdf"
    content_type: str  # as sniffed from the bytes
    full_jpeg: bytes | None
    thumbnail_jpeg: bytes
    width: int
    height: int
    page_count: int | None = None


@dataclass(frozen=True)
class PresignedUpload:
    url: str
    fields: dict[str, str]
    expires_at: str  # RFC 3339 UTC with Z


@dataclass(frozen=True)
class PresignedDownload:
    url: str
    expires_at: str


@dataclass(frozen=True)
class StoredFile:
    """A file of a document in the documents bucket: its role (image, document, thumbnail) and its key. Any
    document that keeps files lists them as these, so readers build links without knowing its kind."""

    name: str
    key: str


# The rejection reasons a declared upload (before any file) can get, as field codes of its request.
DECLARED_UPLOAD_REFUSALS = (
    "purpose_unknown",
    "dossier_required",
    "dossier_not_allowed",
    "type_not_allowed",
    "empty",
    "too_large",
)


def validate_upload_request(
    purpose: str, content_type: str, size: int, dossier_id: str | None = None
) -> tuple[FieldProblem, ...]:
    """The problems of a declared upload, as field problems with rejection codes; () when acceptable."""
    problems = []
    if purpose not in PURPOSES:
        problems.append(FieldProblem("purpose", "purpose_unknown"))
    elif purpose == "dossier" and not dossier_id:
        problems.append(FieldProblem("dossier_id", "dossier_required"))
    elif purpose == "wallet" and dossier_id:
        problems.append(FieldProblem("dossier_id", "dossier_not_allowed"))
    if content_type not in ALLOWED_CONTENT_TYPES:
        problems.append(FieldProblem("content_type", "type_not_allowed"))
    size_problem = size_problem_of(size)
    if size_problem:
        problems.append(FieldProblem("size", size_problem))
    return tuple(problems)


def size_problem_of(size: int) -> str | None:
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        return "empty"
    return "too_large" if size > MAX_UPLOAD_BYTES else None


def sniff_content_type(data: bytes) -> str | None:
    """The allowed type the bytes are, by their magic numbers, whatever the name or declared type says."""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data[4:8] == b"ftyp" and _is_heif(data):
        return HEIC
    if data.startswith(b"%PDF-"):
        return PDF
    return None


def _is_heif(data: bytes) -> bool:
    """The ftyp box: major brand, minor version, then compatible brands, 4 bytes each."""
    box_size = int.from_bytes(data[:4], "big")
    if not 16 <= box_size <= min(len(data), 256):
        return False
    brands = [data[8:12]] + [data[i : i + 4] for i in range(16, box_size - 3, 4)]
    return any(brand in _HEIF_BRANDS for brand in brands)


def check_content(data: bytes, declared_type: str) -> str:
    """The worker's re-check of what the upload policy promised: size, allowed type, type = declared."""
    size_problem = size_problem_of(len(data))
    if size_problem:
        raise UploadRejectedError(size_problem)
    if declared_type not in ALLOWED_CONTENT_TYPES:
        raise UploadRejectedError("type_not_allowed")
    sniffed = sniff_content_type(data)
    if sniffed is None:
        raise UploadRejectedError("content_unrecognised")
    if sniffed != _SAME_FAMILY.get(declared_type, declared_type):
        raise UploadRejectedError("type_mismatch")
    return sniffed


def raw_prefix(citizen_id: str) -> str:
    """Where a citizen's raw uploads land (erased whole with the account)."""
    return f"raw/{_segment(citizen_id)}/"


def raw_key(citizen_id: str, upload_id: str) -> str:
    return f"{raw_prefix(citizen_id)}{_segment(upload_id)}"


def parse_raw_key(key: str) -> tuple[str, str]:
    """(citizen_id, upload_id) of a raw upload key, as an S3 notification names it."""
    parts = key.split("/")
    if len(parts) != 3 or parts[0] != "raw":
        raise ValueError("not a raw upload key")
    return _segment(parts[1]), _segment(parts[2])


def derivative_key(citizen_id: str, document_id: str, name: str) -> str:
    if name not in (FULL_NAME, THUMBNAIL_NAME, PDF_NAME):
        raise ValueError(f"unknown derivative {name!r}")
    return f"{derivatives_prefix(citizen_id)}{_segment(document_id)}/{name}"


def derivatives_prefix(owner: str) -> str:
    """Where an owner's derivatives live: a citizen's uploads by citizen id, issued PDFs by person key."""
    return f"documents/{_segment(owner)}/"


def _segment(value: str) -> str:
    """One key segment: ids are opaque, but never empty, never a path and never odd characters."""
    if not value or len(value) > 128 or not all(c.isascii() and (c.isalnum() or c in "-_") for c in value):
        raise ValueError("an id in an S3 key must be 1-128 of A-Z a-z 0-9 - _")
    return value
