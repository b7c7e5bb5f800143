"""The data wallet: documents issued to a person as SD-JWT VCs, their status on a Token Status List, the
issuer's status changes, and the citizen's shares of chosen claims."""

import secrets
from dataclasses import dataclass
from typing import Any

from chalicelib.domain.agencies import ISSUE_SCOPE
from chalicelib.domain.credentials import CredentialStatus
from chalicelib.domain.uploaded_documents import UPLOAD_KIND, UploadedDocument
from chalicelib.domain.uploads import (
    FILE_ROLES,
    PDF_NAME,
    REJECTION_REASONS,
    THUMBNAIL_NAME,
    StoredFile,
    UploadStatus,
    derivative_key,
)
from chalicelib.errors import ConflictError

# 2 bits per credential: 2^17 entries are 32 KiB raw, a few hundred bytes compressed while few are revoked.
STATUS_LIST_SIZE = 1 << 17
MIN_SHARE_TTL, MAX_SHARE_TTL, DEFAULT_SHARE_TTL = 60, 86400, 3600
MAX_AUDIENCE = 200
STATUS_NAMES = {
    CredentialStatus.VALID: "valid",
    CredentialStatus.INVALID: "revoked",
    CredentialStatus.SUSPENDED: "suspended",
}
# The raw key's owner segment of an issuer's signed PDF (raw/issued/<upload id>): never a citizen id (a UUID).
ISSUED_PDF_OWNER = "issued"
# action -> (statuses it applies to, the status it leads to)
_TRANSITIONS = {
    "revoke": ({CredentialStatus.VALID, CredentialStatus.SUSPENDED}, CredentialStatus.INVALID),
    "suspend": ({CredentialStatus.VALID}, CredentialStatus.SUSPENDED),
    "reinstate": ({CredentialStatus.SUSPENDED}, CredentialStatus.VALID),
}
ACTIONS = tuple(_TRANSITIONS)
CHANGE_OF_ACTION = {"revoke": "revoked", "suspend": "suspended", "reinstate": "reinstated"}


class StaleDocument(Exception):
    """The document (or its Idempotency-Key, or its status list) changed between our read and our write."""


def issue_scope_for(credential_type: str) -> str:
    return f"{ISSUE_SCOPE}:{credential_type}"


@dataclass(frozen=True)
class StatusSlot:
    """Where a credential's status lives: entry `index` of list `list_id`."""

    list_id: int
    index: int


def slot_of(position: int) -> StatusSlot:
    """Position n in a single numbering of all lists; each list holds STATUS_LIST_SIZE of them."""
    return StatusSlot(position // STATUS_LIST_SIZE, position % STATUS_LIST_SIZE)


@dataclass(frozen=True)
class DocumentIssue:
    """What an issuer asks for: claims already checked against the type's schema."""

    personal_id: str
    credential_type: str
    claims: dict[str, Any]
    expires_at: int | None
    pdf_size: int | None = None  # the signed PDF the issuer declared it will upload, in bytes


@dataclass(frozen=True)
class WalletDocument:
    document_id: str
    person_key: str
    credential_type: str
    vct: str
    issuer: str  # the credential's `iss`
    issuer_agency_id: str
    issuer_name_vi: str
    issuer_name_en: str
    claims: dict[str, Any]
    status: CredentialStatus
    issued_at: int
    expires_at: int | None
    status_list_id: int
    status_index: int
    sd_jwt: str  # every Disclosure: the document's contents, never logged
    holder_bound: bool = False
    version: int = 0  # counts status changes: writes are conditional on it
    pdf_upload_id: str = ""  # the issuer's signed PDF, when one was declared: its raw key's last segment
    pdf_status: UploadStatus | None = None
    pdf_reason: str = ""  # a REJECTION_REASONS code when the PDF was refused
    pdf_pages: int | None = None

    @property
    def status_name(self) -> str:
        return STATUS_NAMES[self.status]

    def is_expired(self, now: float) -> bool:
        return self.expires_at is not None and self.expires_at <= now

    def stored_files(self) -> tuple[StoredFile, ...]:
        """The issuer's signed PDF and its first page's thumbnail, once checked and stored; none before."""
        if self.pdf_status != UploadStatus.READY:
            return ()
        return tuple(
            StoredFile(FILE_ROLES[name], derivative_key(self.person_key, self.document_id, name))
            for name in (PDF_NAME, THUMBNAIL_NAME)
        )

    def pdf_reason_text(self, language: str) -> str:
        return REJECTION_REASONS[self.pdf_reason].get(language, REJECTION_REASONS[self.pdf_reason]["vi"])


MAX_ATTACHED = 20
ISSUED_KIND = "issued"
_UPLOAD_REFUSALS = {UploadStatus.PENDING: "upload_pending", UploadStatus.REJECTED: "upload_rejected"}


def attach_refusal(document: WalletDocument | UploadedDocument, now: float) -> str:
    """Why a wallet document cannot go with a filing ("" when it can): a valid, unexpired issued one, or the
    citizen's own upload once it is ready (its clean files stored), not while pending or after a rejection."""
    if isinstance(document, UploadedDocument):
        return _UPLOAD_REFUSALS.get(document.status, "")
    if document.status != CredentialStatus.VALID:
        return "document_" + document.status_name
    return "document_expired" if document.is_expired(now) else ""


def attachment(document: WalletDocument | UploadedDocument) -> dict[str, Any]:
    """What a filing keeps of an attached document: an issued one's claims as the issuer signed them, an
    upload's description; for both, where their files are (the agency gets short-lived links to them)."""
    files = [{"name": f.name, "key": f.key} for f in document.stored_files()]
    if isinstance(document, UploadedDocument):
        return {
            "document_id": document.document_id,
            "kind": UPLOAD_KIND,
            "content_type": document.content_type,
            "page_count": document.page_count,
            "width": document.width,
            "height": document.height,
            "uploaded_at": document.created_at,
            "files": files,
        }
    return {
        "document_id": document.document_id,
        "kind": ISSUED_KIND,
        "type": document.credential_type,
        "issuer_agency_id": document.issuer_agency_id,
        "issuer_name_vi": document.issuer_name_vi,
        "issuer_name_en": document.issuer_name_en,
        "claims": document.claims,
        "issued_at": document.issued_at,
        "expires_at": document.expires_at,
        "files": files,
    }


def attached_files(attached: dict[str, Any]) -> tuple[StoredFile, ...]:
    """The files a filing kept of an attached document (none for those filed before documents had files)."""
    return tuple(StoredFile(f["name"], f["key"]) for f in attached.get("files") or ())


def next_status(current: CredentialStatus, action: str) -> CredentialStatus:
    """The status after `action`; the same status when it is already there (a retried call changes nothing)."""
    allowed_from, target = _TRANSITIONS[action]
    if current == target:
        return current
    if current not in allowed_from:
        raise ConflictError("document_revoked" if current == CredentialStatus.INVALID else "document_not_suspended")
    return target


def change_event_id(document_id: str, change: str, version: int) -> str:
    """The notification's dedupe key: a retried change is told once, a later suspension again."""
    return f"{document_id}-{change}-{version}"


def new_document_id(now: float) -> str:
    """Time-ordered (ms prefix), so sorting ids sorts documents by when they were issued."""
    return f"{int(now * 1000):013x}{secrets.token_hex(6)}"


def new_share_id() -> str:
    """The public link is the capability: 128 random bits."""
    return secrets.token_urlsafe(16)


@dataclass(frozen=True)
class Share:
    share_id: str
    person_key: str
    document_id: str
    credential_type: str
    disclose: tuple[str, ...]
    audience: str
    presentation: str  # the compact SD-JWT with only the chosen Disclosures: what the QR code carries
    created_at: int
    expires_at: int
    nonce: str = ""  # a holder-bound share's Key Binding JWT nonce, checked again at every view

    def is_live(self, now: float) -> bool:
        return now < self.expires_at


@dataclass(frozen=True)
class ShareRequest:
    disclose: tuple[str, ...]
    audience: str
    ttl_seconds: int
    key_binding_jwt: str = ""  # the device's signature over the presentation: required for a holder-bound document
    nonce: str = ""


@dataclass(frozen=True)
class HolderKey:
    """The person's device key (public P-256 JWK from the phone's secure hardware): later credentials carry it in
    `cnf`, so only that phone can present them. `key_id` is its RFC 7638 thumbprint."""

    key_id: str
    jwk: dict[str, Any]
    registered_at: int
