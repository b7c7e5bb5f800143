"""Builds each adapter once per Lambda container, lazily, on first use, and assembles the port bundle of each
capability (auth_ports, dossier_ports, wallet_ports, upload_ports, fanout_ports, push_ports): views and workers ask here, never build.

Nothing here runs at import time: the first request pays for what it uses and nothing more. Tests swap
adapters with override().
"""

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from chalicelib.config import Settings, load_settings

T = TypeVar("T")
_instances: dict[str, Any] = {}
_lock = threading.RLock()
_SHIPPED_HOLIDAYS = Path(__file__).resolve().parent.parent / "data" / "holidays_vn.json"


def _once(name: str, build: Callable[[], T]) -> T:
    instance = _instances.get(name)
    if instance is None:
        with _lock:
            instance = _instances.get(name)
            if instance is None:
                instance = _instances[name] = build()
    return instance


def override(name: str, instance: Any) -> None:
    _instances[name] = instance


def reset() -> None:
    with _lock:
        _instances.clear()


def settings() -> Settings:
    return _once("settings", load_settings)


# --- AWS and shared adapters -------------------------------------------------------------------------


def _aws_client(service: str) -> Any:
    from chalicelib.adapters.aws import aws_client

    current = settings()
    return aws_client(service, current.region, current.aws_endpoint_url)


def table() -> Any:
    from chalicelib.adapters.dynamo_table import DynamoTable

    return _once("table", lambda: DynamoTable(_aws_client("dynamodb"), settings().table_name))


def secrets() -> Any:
    from chalicelib.adapters.secrets import SecretsManagerSecrets

    return _once("secrets", lambda: SecretsManagerSecrets(_aws_client("secretsmanager")))


def _kms() -> Any:
    return _once("kms", lambda: _aws_client("kms"))


def _sqs() -> Any:
    return _once("sqs", lambda: _aws_client("sqs"))


def _publisher(name: str, queue_url: Callable[[Settings], str]) -> Any:
    from chalicelib.adapters.sqs import SqsPublisher

    return _once(name, lambda: SqsPublisher(_sqs(), queue_url(settings())))


def cursor_sealer() -> Any:
    """The key is read through the secrets cache on each use, so a rotated key reaches running containers."""
    from chalicelib.adapters.sealed_cursors import AesGcmCursorSealer

    return _once(
        "cursor_sealer",
        lambda: AesGcmCursorSealer(lambda: secrets().get(settings().cursor_key_secret_id).encode("utf-8")),
    )


def person_keys() -> Any:
    from chalicelib.adapters.person_keys import HmacPersonKeys

    return _once("person_keys", lambda: HmacPersonKeys(lambda: secrets().get(settings().person_key_secret_id)))


def rate_counters() -> Any:
    from chalicelib.adapters.dynamo_rate_limits import DynamoRateCounters

    return _once("rate_counters", lambda: DynamoRateCounters(table()))


# --- tokens and sessions -----------------------------------------------------------------------------


def public_keys() -> Any:
    from chalicelib.adapters.access_tokens import KmsPublicKeys

    return _once("public_keys", lambda: KmsPublicKeys(_kms(), (settings().token_signing_key_id,)))


def token_signer() -> Any:
    from chalicelib.adapters.access_tokens import KmsAccessTokenSigner

    return _once("token_signer", lambda: KmsAccessTokenSigner(_kms(), settings().token_signing_key_id, public_keys()))


def token_verifier() -> Any:
    from chalicelib.adapters.access_tokens import AccessTokenVerifier

    return _once(
        "token_verifier", lambda: AccessTokenVerifier(public_keys(), settings().token_issuer, settings().token_audience)
    )


def agency_token_verifier() -> Any:
    """Same keys and issuer as citizen tokens, a different audience and claims: neither passes for the other."""
    from chalicelib.adapters.access_tokens import AccessTokenVerifier
    from chalicelib.domain.agencies import AGENCY_AUDIENCE

    claims = ("iss", "aud", "sub", "agency", "scope", "iat", "exp", "jti")
    return _once(
        "agency_token_verifier",
        lambda: AccessTokenVerifier(public_keys(), settings().token_issuer, AGENCY_AUDIENCE, claims),
    )


def citizens() -> Any:
    from chalicelib.adapters.dynamo_auth import DynamoCitizenRepository

    return _once("citizens", lambda: DynamoCitizenRepository(table(), person_keys().key_of))


def sessions() -> Any:
    from chalicelib.adapters.dynamo_auth import DynamoSessionRepository

    return _once("sessions", lambda: DynamoSessionRepository(table()))


def eid_client() -> Any:
    from chalicelib.adapters.eid_oidc import OidcEidClient

    def build() -> Any:
        current = settings()
        return OidcEidClient(
            current.eid_issuer,
            current.eid_client_id,
            lambda: secrets().get(current.eid_client_key_secret_id),
            timeout=current.eid_timeout_seconds,
        )

    return _once("eid_client", build)


def clock() -> Callable[[], float]:
    """The API's time source (seconds since the epoch); tests move it with override("clock", ...)."""
    import time

    return _once("clock", lambda: time.time)


def auth_ports() -> Any:
    from chalicelib.adapters.dynamo_auth import DynamoLoginAttemptRepository
    from chalicelib.adapters.refresh_sealing import AesGcmSuccessorSealer
    from chalicelib.domain.sessions import SessionPolicy
    from chalicelib.services.auth_ports import AuthPorts, TokenSettings

    current = settings()
    policy = SessionPolicy(current.access_token_ttl, current.session_idle_ttl, current.session_absolute_ttl)
    return AuthPorts(
        login_attempts=_once("login_attempts", lambda: DynamoLoginAttemptRepository(table())),
        eid=eid_client(),
        citizens=citizens(),
        sessions=sessions(),
        signer=token_signer(),
        settings=TokenSettings(
            current.token_issuer, current.token_audience, policy, current.refresh_reuse_grace_seconds
        ),
        sealer=_once("successor_sealer", AesGcmSuccessorSealer),
    )


# --- agencies ----------------------------------------------------------------------------------------


def agencies() -> Any:
    from chalicelib.adapters.dynamo_agencies import DynamoAgencyRepository

    return _once("agencies", lambda: DynamoAgencyRepository(table()))


def agency_token_ports() -> Any:
    from chalicelib.adapters.client_assertions import JwtClientAssertions
    from chalicelib.services.agencies import AgencyTokenPorts, AgencyTokenSettings

    issuer = settings().token_issuer
    return AgencyTokenPorts(
        agencies=agencies(),
        assertions=_once("client_assertions", JwtClientAssertions),
        signer=token_signer(),
        settings=AgencyTokenSettings(issuer, issuer.rstrip("/") + "/v1/agency/oauth/token"),
    )


# --- dossiers ----------------------------------------------------------------------------------------


def notifications_publisher() -> Any:
    """Dossier updates and other citizen-facing events, consumed by the notification worker."""
    return _publisher("notifications_publisher", lambda s: s.notifications_queue_url)


def holiday_calendar() -> Any:
    """The public-holiday calendar; HOLIDAY_CALENDAR_PATH points at another year's official list."""
    import json

    from chalicelib.domain.working_days import calendar_from_json

    path = Path(settings().holiday_calendar_path or _SHIPPED_HOLIDAYS)
    return _once("holiday_calendar", lambda: calendar_from_json(json.loads(path.read_text(encoding="utf-8"))))


def dossier_ports() -> Any:
    from chalicelib.adapters.dynamo_access_log import DynamoAccessLog, DynamoIdempotency
    from chalicelib.adapters.dynamo_dossiers import DynamoDossierRepository
    from chalicelib.adapters.procedure_lookup import CatalogProcedureLookup
    from chalicelib.services.dossier_ports import DossierPorts

    # Not cached as a whole: each part is, and tests swap the publisher or the table one by one.
    return DossierPorts(
        dossiers=_once("dossiers", lambda: DynamoDossierRepository(table())),
        access_log=_once("access_log", lambda: DynamoAccessLog(table())),
        idempotency=_once("idempotency", lambda: DynamoIdempotency(table())),
        procedures=_once("procedure_lookup", CatalogProcedureLookup),
        person_keys=person_keys(),
        publisher=notifications_publisher(),
        calendar=holiday_calendar(),
        agencies=agencies(),
        counters=rate_counters(),
        wallet_documents=_once("wallet_documents", _wallet_repository),
        file_links=_DocumentLinks(),
    )


class _DocumentLinks:
    """The document store, built at the first link asked for: most dossier requests never need an S3 client."""

    def presigned_download(self, key: str) -> Any:
        return document_store().presigned_download(key, settings().upload_url_seconds)


def _wallet_repository() -> Any:
    from chalicelib.adapters.dynamo_wallet import DynamoWalletRepository

    return DynamoWalletRepository(table())


def pin_policy() -> Any:
    from chalicelib.services.receipt_lookup import PinPolicy

    limits = settings().limits
    return PinPolicy(limits.pin_failures_per_client, limits.pin_failures_per_receipt, limits.pin_lock_seconds)


# --- wallet ------------------------------------------------------------------------------------------


def credentials() -> Any:
    """SD-JWT VCs and status lists signed by the credential key in KMS; its public key is cached 5 minutes."""
    from chalicelib.adapters.access_tokens import KmsPublicKeys
    from chalicelib.adapters.jws import KmsEcSigner
    from chalicelib.adapters.sd_jwt_credentials import SdJwtCredentials

    def build() -> Any:
        key_id = settings().credential_signing_key_id
        signer = KmsEcSigner(_kms(), key_id, KmsPublicKeys(_kms(), (key_id,)))
        return SdJwtCredentials(signer, settings().credential_issuer)

    return _once("credentials", build)


def wallet_ports() -> Any:
    from chalicelib.adapters.dynamo_access_log import DynamoAccessLog, DynamoIdempotency
    from chalicelib.adapters.dynamo_holder_keys import DynamoHolderKeys
    from chalicelib.adapters.dynamo_issuance_grants import DynamoIssuanceGrants
    from chalicelib.adapters.dynamo_status_lists import DynamoStatusLists
    from chalicelib.adapters.dynamo_wallet_shares import DynamoShareRepository
    from chalicelib.adapters.qr_codes import SegnoQrCodeRenderer
    from chalicelib.services.wallet_ports import WalletPorts, WalletSettings

    current = settings()
    return WalletPorts(
        documents=_once("wallet_documents", _wallet_repository),
        status_lists=_once("status_lists", lambda: DynamoStatusLists(table())),
        shares=_once("wallet_shares", lambda: DynamoShareRepository(table())),
        holder_keys=_once("holder_keys", lambda: DynamoHolderKeys(table())),
        grants=_once("issuance_grants", lambda: DynamoIssuanceGrants(table())),
        credentials=credentials(),
        qr_codes=_once("qr_codes", SegnoQrCodeRenderer),
        access_log=_once("access_log", lambda: DynamoAccessLog(table())),
        idempotency=_once("idempotency", lambda: DynamoIdempotency(table())),
        person_keys=person_keys(),
        agencies=agencies(),
        publisher=notifications_publisher(),
        settings=WalletSettings(current.credential_issuer, current.status_list_ttl, current.max_live_shares),
    )


# --- uploads -----------------------------------------------------------------------------------------


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
    from chalicelib.adapters.dynamo_access_log import DynamoIdempotency
    from chalicelib.adapters.dynamo_dossiers import DynamoDossierRepository
    from chalicelib.adapters.dynamo_wallet import DynamoWalletRepository
    from chalicelib.services.upload_ports import UploadPorts, UploadSettings

    current = settings()
    return UploadPorts(
        uploads=_uploads(),
        wallet=_once("wallet_documents", lambda: DynamoWalletRepository(table())),
        store=document_store(),
        dossiers=_once("dossiers", lambda: DynamoDossierRepository(table())),
        idempotency=_once("idempotency", lambda: DynamoIdempotency(table())),
        person_keys=person_keys(),
        publisher=notifications_publisher(),
        settings=UploadSettings(current.limits.pending_uploads_per_citizen, current.upload_url_seconds),
    )


def upload_worker_ports() -> Any:
    """Only the upload worker's function asks for this: it is where Pillow, pillow-heif, pypdf and PDFium load."""
    from chalicelib.adapters.dynamo_dossiers import DynamoDossierRepository
    from chalicelib.adapters.pdf_documents import PypdfDocumentProcessor
    from chalicelib.adapters.pillow_images import PillowImageProcessor
    from chalicelib.services.upload_ports import WorkerPorts

    return WorkerPorts(
        uploads=_uploads(),
        dossiers=_once("dossiers", lambda: DynamoDossierRepository(table())),
        store=document_store(),
        images=_once("image_processor", PillowImageProcessor),
        pdfs=_once("pdf_processor", PypdfDocumentProcessor),
        publisher=notifications_publisher(),
    )


# --- notifications -----------------------------------------------------------------------------------


def devices() -> Any:
    from chalicelib.adapters.dynamo_devices import DynamoDeviceRepository

    return _once("devices", lambda: DynamoDeviceRepository(table()))


def inbox() -> Any:
    from chalicelib.adapters.dynamo_notifications import DynamoInboxRepository

    return _once("inbox", lambda: DynamoInboxRepository(table()))


def notification_preferences() -> Any:
    from chalicelib.adapters.dynamo_notifications import DynamoPreferenceRepository

    return _once("notification_preferences", lambda: DynamoPreferenceRepository(table()))


def parked_pushes() -> Any:
    from chalicelib.adapters.dynamo_notifications import DynamoParkedPushes

    return _once("parked_pushes", lambda: DynamoParkedPushes(table()))


def push_publisher() -> Any:
    return _publisher("push_publisher", lambda s: s.push_queue_url)


def push_sender() -> Any:
    """FCM through firebase-admin (imported on first send); the local FCM endpoint in the local stage only."""
    from chalicelib.adapters.fcm import FcmPushSender

    current = settings()
    return _once(
        "push_sender",
        lambda: FcmPushSender(lambda: secrets().get(current.fcm_service_account_secret_id), current.fcm_endpoint),
    )


def fanout_ports() -> Any:
    from chalicelib.services.notification_ports import FanoutPorts

    return FanoutPorts(
        inbox=inbox(),
        devices=devices(),
        sessions=sessions(),
        preferences=notification_preferences(),
        push_queue=push_publisher(),
        parked=parked_pushes(),
    )


def push_ports() -> Any:
    from chalicelib.adapters.dynamo_notifications import DynamoPushMarkers
    from chalicelib.domain.notifications import RetryPolicy
    from chalicelib.services.notification_ports import PushPorts

    current = settings()
    return PushPorts(
        sender=push_sender(),
        markers=_once("push_markers", lambda: DynamoPushMarkers(table())),
        devices=devices(),
        push_queue=push_publisher(),
        dead_letters=_publisher("push_dead_letters", lambda s: s.push_dead_letter_queue_url),
        policy=RetryPolicy(current.push_max_attempts, current.push_retry_base_seconds),
    )
