"""Dossiers at the one-stop shops and the files citizens upload to them."""

from pathlib import Path
from typing import Any

from chalicelib.wiring import (
    _aws_client,
    _once,
    access_log,
    idempotency,
    notifications_publisher,
    person_keys,
    rate_counters,
    settings,
    table,
)
from chalicelib.wiring.auth import agencies
from chalicelib.wiring.wallet import wallet_documents

_SHIPPED_HOLIDAYS = Path(__file__).resolve().parent.parent / "data" / "holidays_vn.json"


def holiday_calendar() -> Any:
    """The public-holiday calendar; HOLIDAY_CALENDAR_PATH points at another year's official list."""
    import json

    from chalicelib.domain.working_days import calendar_from_json

    path = Path(settings().holiday_calendar_path or _SHIPPED_HOLIDAYS)
    return _once("holiday_calendar", lambda: calendar_from_json(json.loads(path.read_text(encoding="utf-8"))))


def _dossiers() -> Any:
    from chalicelib.adapters.dynamo_dossiers import DynamoDossierRepository

    return _once("dossiers", lambda: DynamoDossierRepository(table()))


def dossier_ports() -> Any:
    from chalicelib.adapters.procedure_lookup import CatalogProcedureLookup
    from chalicelib.services.dossier_ports import DossierPorts

    # Not cached as a whole: each part is, and tests swap the publisher or the table one by one.
    return DossierPorts(
        dossiers=_dossiers(),
        access_log=access_log(),
        idempotency=idempotency(),
        procedures=_once("procedure_lookup", CatalogProcedureLookup),
        person_keys=person_keys(),
        publisher=notifications_publisher(),
        calendar=holiday_calendar(),
        agencies=agencies(),
        counters=rate_counters(),
        wallet_documents=wallet_documents(),
        file_links=_DocumentLinks(),
    )


class _DocumentLinks:
    """The document store, built at the first link asked for: most dossier requests never need an S3 client."""

    def presigned_download(self, key: str) -> Any:
        return document_store().presigned_download(key, settings().upload_url_seconds)


def pin_policy() -> Any:
    from chalicelib.services.receipt_lookup import PinPolicy

    limits = settings().limits
    return PinPolicy(limits.pin_failures_per_client, limits.pin_failures_per_receipt, limits.pin_lock_seconds)


def document_store() -> Any:
    from chalicelib.adapters.s3_documents import S3DocumentStore

    def build() -> Any:
        from chalicelib.adapters.aws import aws_client

        current = settings()
        public = current.documents_public_endpoint_url  # locally: the embedded AWS at the address phones use
        presigner = aws_client("s3", current.region, public) if public else None
        # No SSE key of our own: the bucket's default encryption is the data key (infra/storage.py).
        return S3DocumentStore(_aws_client("s3"), current.documents_bucket, presigner=presigner)

    return _once("document_store", build)


def _uploads() -> Any:
    from chalicelib.adapters.dynamo_uploads import DynamoUploadRepository

    return _once("uploads", lambda: DynamoUploadRepository(table()))


def upload_ports() -> Any:
    from chalicelib.services.upload_ports import UploadPorts, UploadSettings

    current = settings()
    return UploadPorts(
        uploads=_uploads(),
        wallet=wallet_documents(),
        store=document_store(),
        dossiers=_dossiers(),
        idempotency=idempotency(),
        person_keys=person_keys(),
        publisher=notifications_publisher(),
        settings=UploadSettings(current.limits.pending_uploads_per_citizen, current.upload_url_seconds),
    )


def upload_worker_ports() -> Any:
    """Only the upload worker's function asks for this: it is where Pillow, pillow-heif, pypdf and PDFium load."""
    from chalicelib.adapters.pdf_documents import PypdfDocumentProcessor
    from chalicelib.adapters.pillow_images import PillowImageProcessor
    from chalicelib.services.upload_ports import WorkerPorts

    return WorkerPorts(
        uploads=_uploads(),
        dossiers=_dossiers(),
        store=document_store(),
        images=_once("image_processor", PillowImageProcessor),
        pdfs=_once("pdf_processor", PypdfDocumentProcessor),
        publisher=notifications_publisher(),
        issued=wallet_documents(),
    )


def citizen_data_ports() -> Any:
    """Every store of a citizen's data, for the export (and the deletion that reuses its registry)."""
    from chalicelib.services.citizen_data import CitizenDataPorts
    from chalicelib.wiring.auth import citizens, sessions
    from chalicelib.wiring.notifications import devices, inbox, notification_preferences
    from chalicelib.wiring.tax import business_ports, tax_cache
    from chalicelib.wiring.wallet import wallet_ports

    dossiers, wallet = dossier_ports(), wallet_ports()
    return CitizenDataPorts(
        citizens=citizens(),
        sessions=sessions(),
        devices=devices(),
        inbox=inbox(),
        preferences=notification_preferences(),
        dossiers=dossiers.dossiers,
        documents=wallet.documents,
        shares=wallet.shares,
        access_log=access_log(),
        tax_cache=tax_cache(),
        delegations=business_ports().delegations,
    )
