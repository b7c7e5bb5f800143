"""The data wallet: credentials signed in KMS, their status lists, shares and holder keys."""

from typing import Any

from chalicelib.wiring import (
    _kms,
    _once,
    access_log,
    idempotency,
    notifications_publisher,
    person_keys,
    settings,
    table,
)
from chalicelib.wiring.auth import agencies


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


def wallet_documents() -> Any:
    from chalicelib.adapters.dynamo_wallet import DynamoWalletRepository

    return _once("wallet_documents", lambda: DynamoWalletRepository(table()))


def wallet_ports() -> Any:
    from chalicelib.adapters.dynamo_holder_keys import DynamoHolderKeys
    from chalicelib.adapters.dynamo_issuance_grants import DynamoIssuanceGrants
    from chalicelib.adapters.dynamo_status_lists import DynamoStatusLists
    from chalicelib.adapters.dynamo_wallet_shares import DynamoShareRepository
    from chalicelib.adapters.qr_codes import SegnoQrCodeRenderer
    from chalicelib.services.wallet_ports import WalletPorts, WalletSettings

    current = settings()
    return WalletPorts(
        documents=wallet_documents(),
        status_lists=_once("status_lists", lambda: DynamoStatusLists(table())),
        shares=_once("wallet_shares", lambda: DynamoShareRepository(table())),
        holder_keys=_once("holder_keys", lambda: DynamoHolderKeys(table())),
        grants=_once("issuance_grants", lambda: DynamoIssuanceGrants(table())),
        credentials=credentials(),
        qr_codes=_once("qr_codes", SegnoQrCodeRenderer),
        access_log=access_log(),
        idempotency=idempotency(),
        person_keys=person_keys(),
        agencies=agencies(),
        publisher=notifications_publisher(),
        settings=WalletSettings(
            current.credential_issuer, current.status_list_ttl, current.max_live_shares, current.upload_url_seconds
        ),
        store=_LazyDocumentStore(),
    )


class _LazyDocumentStore:
    """The documents bucket, built at the first use: most wallet requests never need an S3 client."""

    def __getattr__(self, name: str) -> Any:
        from chalicelib.wiring.dossiers import document_store  # that module builds on this one

        return getattr(document_store(), name)
