"""DynamoDB repository of wallet documents: in the person's partition (listed newest first, or by type through
gsi1), found by id through a pointer item, created with their Idempotency-Key and access-log entry in one
transaction, and their status changed together with the status list's bits."""

import json
from decimal import Decimal
from typing import Any

from chalicelib.adapters import dynamo, dynamo_table
from chalicelib.adapters.dynamo_dossier_items import NEW, access_operations, claim_operation
from chalicelib.adapters.dynamo_status_lists import bits_operation
from chalicelib.adapters.dynamo_table import ConditionFailed, DynamoTable
from chalicelib.adapters.dynamo_uploads import upload_of
from chalicelib.domain.credentials import CredentialStatus
from chalicelib.domain.dossiers import AccessEntry, IdempotencyClaim
from chalicelib.domain.pages import Page
from chalicelib.domain.uploaded_documents import UPLOAD_KIND, UploadedDocument
from chalicelib.domain.uploads import UploadStatus
from chalicelib.domain.wallet import ISSUED_PDF_OWNER, StaleDocument, WalletDocument

_INTS = ("issued_at", "status_list_id", "status_index", "version")
_PDF_UPLOAD_ITEM_SECONDS = 2 * 86400  # the raw object expires after a day


class DynamoWalletRepository:
    def __init__(self, table: DynamoTable):
        self._table = table

    def create(self, document: WalletDocument, claim: IdempotencyClaim, access: AccessEntry, now: int) -> None:
        """StaleDocument when the Idempotency-Key was claimed meanwhile (a concurrent twin request)."""
        pointer = {
            **dynamo.document_pointer_key(document.document_id),
            "person_key": document.person_key,
            "issuer_agency_id": document.issuer_agency_id,
        }
        operations = [
            dynamo_table.put_operation(document_item(document), NEW),
            dynamo_table.put_operation(pointer, NEW),
            claim_operation(claim, now),
            *access_operations(document.person_key, access),
        ]
        if document.pdf_upload_id:  # the worker finds the document from the raw key's upload id
            operations.append(dynamo_table.put_operation(_pdf_upload_item(document, now), NEW))
        try:
            self._table.transact(operations)
        except ConditionFailed as lost:
            raise StaleDocument() from lost

    def find(self, document_id: str) -> tuple[str, str] | None:
        """(person_key, issuing agency id) of a document, for the issuer's routes."""
        item = self._table.get(dynamo.document_pointer_key(document_id), consistent=True)
        return (item["person_key"], item["issuer_agency_id"]) if item else None

    def load(self, person_key: str, document_id: str) -> WalletDocument | None:
        item = self._table.get(dynamo.wallet_document_key(person_key, document_id), consistent=True)
        return document_of(item) if item else None

    def list_for_person(self, person_key: str, credential_type: str, after: str | None, limit: int) -> Page:
        if credential_type:
            pk = dynamo.wallet_type_index(person_key, credential_type, "")["gsi1pk"]
            items, last = self._table.query_page(pk, index="gsi1", newest_first=True, after=after, limit=limit)
        else:
            items, last = self._table.query_page(
                dynamo.person_pk(person_key), dynamo.WALLET_PREFIX, newest_first=True, after=after, limit=limit
            )
        return Page([document_of(item) for item in items], last)

    def change_status(self, before: WalletDocument, after: WalletDocument, access: AccessEntry) -> None:
        """Document, status list bits and access-log entry together; StaleDocument when a rival wrote first."""
        update = dynamo_table.update_operation(
            dynamo.wallet_document_key(before.person_key, before.document_id),
            "SET #s = :s, version = :v",
            {":s": int(after.status), ":v": after.version, ":old": before.version},
            condition="version = :old",
        )
        update["Update"]["ExpressionAttributeNames"] = {"#s": "status"}
        operations = [
            update,
            bits_operation(self._table, after.status_list_id, after.status_index, after.status),
            *access_operations(after.person_key, access),
        ]
        try:
            self._table.transact(operations)
        except ConditionFailed as lost:
            raise StaleDocument() from lost

    def finish_pdf(self, document: WalletDocument) -> bool:
        """The signed PDF pending -> ready/rejected, only from pending: False when another delivery came first."""
        try:
            self._table.update(
                dynamo.wallet_document_key(document.person_key, document.document_id),
                "SET pdf_status = :s, pdf_reason = :reason, pdf_pages = :pages",
                {
                    ":s": document.pdf_status.value if document.pdf_status else "",
                    ":reason": document.pdf_reason,
                    ":pages": document.pdf_pages or 0,
                    ":pending": UploadStatus.PENDING.value,
                },
                condition="pdf_status = :pending",
            )
        except ConditionFailed:
            return False
        return True

    def citizen_of(self, person_key: str) -> str | None:
        """The citizen who logged in with this person's eID, if they ever did."""
        item = self._table.get(dynamo.person_link_key(person_key))
        return item["citizen_id"] if item else None


def _pdf_upload_item(document: WalletDocument, now: int) -> dict[str, Any]:
    """What the worker reads for raw/issued/<upload id>; it outlives the raw object's lifecycle, then goes."""
    return {
        **dynamo.upload_key(document.pdf_upload_id),
        "person_key": document.person_key,
        "citizen_id": ISSUED_PDF_OWNER,
        "document_id": document.document_id,
        "expires_at": now + _PDF_UPLOAD_ITEM_SECONDS,
    }


def _pdf_item(document: WalletDocument) -> dict[str, Any]:
    if not document.pdf_upload_id:
        return {}
    return {
        "pdf_upload_id": document.pdf_upload_id,
        "pdf_status": document.pdf_status.value if document.pdf_status else "",
        "pdf_reason": document.pdf_reason,
        "pdf_pages": document.pdf_pages or 0,
    }


def _pdf_of(item: dict[str, Any]) -> dict[str, Any]:
    if not item.get("pdf_upload_id"):
        return {}
    pages = item.get("pdf_pages")
    return {
        "pdf_upload_id": item["pdf_upload_id"],
        "pdf_status": UploadStatus(item["pdf_status"]),
        "pdf_reason": item.get("pdf_reason", ""),
        "pdf_pages": int(pages) if isinstance(pages, Decimal | int) and pages else None,
    }


def document_item(document: WalletDocument) -> dict[str, Any]:
    """`valid_until`, not `expires_at`: that name is the table's TTL attribute, and a document outlives its
    expiry in the wallet (the citizen sees it expired)."""
    return {
        **dynamo.wallet_document_key(document.person_key, document.document_id),
        **dynamo.wallet_type_index(document.person_key, document.credential_type, document.document_id),
        "document_id": document.document_id,
        "person_key": document.person_key,
        "credential_type": document.credential_type,
        "vct": document.vct,
        "issuer": document.issuer,
        "issuer_agency_id": document.issuer_agency_id,
        "issuer_name_vi": document.issuer_name_vi,
        "issuer_name_en": document.issuer_name_en,
        "claims": json.dumps(document.claims, ensure_ascii=False),
        "status": int(document.status),
        "issued_at": document.issued_at,
        "valid_until": document.expires_at,
        "status_list_id": document.status_list_id,
        "status_index": document.status_index,
        "sd_jwt": document.sd_jwt,
        "holder_bound": document.holder_bound,
        "version": document.version,
        **_pdf_item(document),
    }


def document_of(item: dict[str, Any]) -> WalletDocument | UploadedDocument:
    """Issued documents and the citizen's own uploads share the wallet partition (one list, newest first)."""
    if item.get("kind") == UPLOAD_KIND:
        return upload_of(item)
    valid_until = item.get("valid_until")
    return WalletDocument(
        document_id=item["document_id"],
        person_key=item["person_key"],
        credential_type=item["credential_type"],
        vct=item["vct"],
        issuer=item["issuer"],
        issuer_agency_id=item["issuer_agency_id"],
        issuer_name_vi=item["issuer_name_vi"],
        issuer_name_en=item["issuer_name_en"],
        claims=json.loads(item["claims"]),
        status=CredentialStatus(int(item["status"])),
        expires_at=int(valid_until) if isinstance(valid_until, Decimal) else None,
        sd_jwt=item["sd_jwt"],
        holder_bound=bool(item.get("holder_bound")),
        **{name: int(item[name]) for name in _INTS},
        **_pdf_of(item),
    )
