"""Uploaded PDFs: parsed with pypdf and refused when encrypted, malformed, too long, or carrying active
content (JavaScript, launch actions, attached files); the first page rendered to a thumbnail by PDFium."""

import io
from typing import Any

import pypdfium2
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from chalicelib.adapters.pillow_images import encode_jpeg
from chalicelib.domain.uploads import (
    MAX_PDF_PAGES,
    PDF,
    THUMBNAIL_LONG_SIDE,
    ProcessedUpload,
    UploadRejectedError,
    check_content,
)

# A 10 MB scan has a few thousand objects; a file with vastly more is built to exhaust the worker.
_MAX_OBJECTS = 200_000
_MALFORMED = (PyPdfError, ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError, OSError)


class PypdfDocumentProcessor:
    """One uploaded PDF's bytes in, a ProcessedUpload (thumbnail only: the PDF itself is what is kept)."""

    def __init__(self, quality: int = 85):
        self._quality = quality

    def process(self, data: bytes, declared_type: str) -> ProcessedUpload:
        if check_content(data, declared_type) != PDF:
            raise UploadRejectedError("type_mismatch")
        page_count = check_pdf(data)
        thumbnail = render_first_page(data, THUMBNAIL_LONG_SIDE)
        return ProcessedUpload(
            kind="pdf",
            content_type=PDF,
            full_jpeg=None,
            thumbnail_jpeg=encode_jpeg(thumbnail, self._quality),
            width=thumbnail.width,
            height=thumbnail.height,
            page_count=page_count,
        )


def check_pdf(data: bytes) -> int:
    """The page count of an acceptable PDF; UploadRejectedError with the first problem found otherwise."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise UploadRejectedError("pdf_encrypted")
        page_count = len(reader.pages)
        if page_count > MAX_PDF_PAGES:
            raise UploadRejectedError("pdf_too_many_pages")
        problem = find_active_content(reader.trailer["/Root"])
    except _MALFORMED:
        raise UploadRejectedError("pdf_damaged") from None
    if problem:
        raise UploadRejectedError(problem)
    if page_count < 1:
        raise UploadRejectedError("pdf_damaged")
    return page_count


def find_active_content(root: Any) -> str | None:
    """Walks every object reachable from the catalog (names tree, open action, outlines, pages, annotations,
    form fields, actions' /Next chains) so that no place a viewer looks for actions is missed."""
    seen: set[tuple[int, int]] = set()
    pending, visited = [root], 0
    while pending:
        node = pending.pop()
        if isinstance(node, IndirectObject):
            if (node.idnum, node.generation) in seen:
                continue
            seen.add((node.idnum, node.generation))
            node = node.get_object()
        visited += 1
        if visited > _MAX_OBJECTS:
            raise UploadRejectedError("pdf_damaged")
        if isinstance(node, DictionaryObject):
            problem = _active_content_of(node)
            if problem:
                return problem
            pending.extend(dict.values(node))  # raw values: indirect references stay unresolved
        elif isinstance(node, ArrayObject):
            pending.extend(list.__iter__(node))
    return None


def _active_content_of(node: DictionaryObject) -> str | None:
    keys = set(dict.keys(node))
    action, subtype, kind = (_name(node, key) for key in ("/S", "/Subtype", "/Type"))
    # XFA forms carry their own scripts, run by the viewers that support them.
    if keys & {"/JS", "/JavaScript", "/XFA"} or action == "/JavaScript":
        return "pdf_javascript"
    if action == "/Launch":
        return "pdf_launch_action"
    if (
        keys & {"/EmbeddedFiles", "/EF"}
        or action == "/GoToE"
        or subtype == "/FileAttachment"
        or kind == "/EmbeddedFile"
    ):
        return "pdf_embedded_file"
    return None


def _name(node: DictionaryObject, key: str) -> str | None:
    value = node.get(key)
    value = value.get_object() if isinstance(value, IndirectObject) else value
    return value if isinstance(value, str) else None


def render_first_page(data: bytes, long_side: int) -> Any:
    """The first page as an RGB PIL image, its long side long_side px (PDFium runs no JavaScript)."""
    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError:
        raise UploadRejectedError("pdf_damaged") from None
    try:
        page = document[0]
        scale = long_side / max(page.get_size())
        return page.render(scale=scale).to_pil().convert("RGB")
    except (pypdfium2.PdfiumError, ValueError, ZeroDivisionError):
        raise UploadRejectedError("pdf_damaged") from None
    finally:
        document.close()
