"""How an uploaded document reads in the wallet's list and detail (kind "upload", beside issued ones)."""

from chalicelib.domain.instants import utc_instant
from chalicelib.domain.uploaded_documents import UPLOAD_KIND, UPLOAD_NAME, UploadedDocument
from chalicelib.domain.uploads import PresignedDownload


def upload_summary(document: UploadedDocument) -> dict:
    rejected = document.reason
    return {
        "document_id": document.document_id,
        "kind": UPLOAD_KIND,
        "type": UPLOAD_KIND,
        "type_name_vi": UPLOAD_NAME["vi"],
        "type_name_en": UPLOAD_NAME["en"],
        "status": document.status.value,
        "reason": (
            {"code": rejected, "vi": document.reason_text("vi"), "en": document.reason_text("en")} if rejected else None
        ),
        "purpose": document.purpose,
        "dossier_id": document.dossier_id or None,
        "content_type": document.content_type or document.declared_type,
        "uploaded_at": utc_instant(document.created_at),
        "processed_at": utc_instant(document.processed_at) if document.processed_at is not None else None,
        "width": document.width or None,
        "height": document.height or None,
        "page_count": document.page_count,
    }


def upload_file(role: str, link: PresignedDownload) -> dict:
    return {"name": role, "url": link.url, "expires_at": link.expires_at}
