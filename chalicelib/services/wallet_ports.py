"""The ports the wallet use cases need, bundled: adapters implement them; unit tests pass fakes."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from chalicelib.domain.credentials import CredentialType, IssuedCredential, VerifiedPresentation
from chalicelib.domain.dossiers import AccessEntry, IdempotencyClaim
from chalicelib.domain.openid4vci import IssuanceGrant
from chalicelib.domain.pages import Page
from chalicelib.domain.status_list import StatusList
from chalicelib.domain.wallet import HolderKey, Share, StatusSlot, WalletDocument
from chalicelib.services.access_log import AccessLog
from chalicelib.services.dossier_ports import AgencyDirectory, Idempotency, PersonKeys, Publisher
from chalicelib.services.upload_ports import DocumentStore


class Documents(Protocol):
    def create(self, document: WalletDocument, claim: IdempotencyClaim, access: AccessEntry, now: int) -> None: ...
    def find(self, document_id: str) -> tuple[str, str] | None: ...
    def load(self, person_key: str, document_id: str) -> WalletDocument | None: ...
    def list_for_person(
        self, person_key: str, credential_type: str, after: str | None, limit: int
    ) -> Page[WalletDocument]: ...
    def change_status(self, before: WalletDocument, after: WalletDocument, access: AccessEntry) -> None: ...
    def citizen_of(self, person_key: str) -> str | None: ...


class StoredList(Protocol):
    list_id: int
    status_list: StatusList
    version: int
    token: str
    token_issued_at: int


class StatusLists(Protocol):
    def allocate(self) -> StatusSlot: ...
    def read(self, list_id: int) -> StoredList | None: ...
    def status_of(self, list_id: int, index: int) -> int | None: ...
    def keep_token(self, stored: Any, token: str, issued_at: int) -> None: ...


class Shares(Protocol):
    def create(self, share: Share) -> None: ...
    def get(self, share_id: str) -> Share | None: ...
    def list_for_person(self, person_key: str, after: str | None, limit: int) -> Page[Share]: ...
    def count_live(self, person_key: str, now: int, at_most: int) -> int: ...
    def delete(self, person_key: str, share_id: str) -> bool: ...


class Credentials(Protocol):
    issuer: str

    def issue(
        self,
        credential_type: CredentialType,
        claims: dict[str, Any],
        *,
        issued_at: int,
        expires_at: int | None,
        status_uri: str,
        status_index: int,
        holder_jwk: dict[str, Any] | None = None,
    ) -> IssuedCredential: ...
    def present(self, sd_jwt: str, disclose: tuple[str, ...]) -> str: ...
    def verify(
        self,
        presentation: str,
        status: Callable[[str, int], int | None] | None,
        now: int,
        *,
        audience: str | None = None,
        nonce: str | None = None,
        kb_max_age: int = 300,
    ) -> VerifiedPresentation: ...
    def holder_key(self, jwk: Any, now: int) -> HolderKey: ...
    def check_proof(self, proof_jwt: str, now: int) -> tuple[dict[str, Any], str | None]: ...
    def metadata(self) -> dict[str, Any]: ...
    def jwks(self) -> dict[str, Any]: ...
    def sign_status_list(self, status_list: StatusList, uri: str, issued_at: int, ttl: int, expires_at: int) -> str: ...


class HolderKeys(Protocol):
    def put(self, person_key: str, key: HolderKey) -> None: ...
    def get(self, person_key: str) -> HolderKey | None: ...
    def delete(self, person_key: str, key_id: str) -> bool: ...


class IssuanceGrants(Protocol):
    def keep(self, kind: str, secret_hash: str, grant: IssuanceGrant) -> None: ...
    def read(self, kind: str, secret_hash: str, now: int) -> IssuanceGrant | None: ...
    def take(self, kind: str, secret_hash: str, now: int) -> IssuanceGrant | None: ...


class QrCodes(Protocol):
    def png(self, payload: str) -> bytes: ...
    def svg(self, payload: str) -> bytes: ...


@dataclass(frozen=True)
class WalletSettings:
    issuer: str  # the API's public base URL: `iss`, and the base of status list and share URLs
    status_list_ttl: int
    max_live_shares: int
    url_seconds: int = 300  # life of a presigned POST (the issuer's signed PDF) or download link

    def status_list_uri(self, list_id: int) -> str:
        return f"{self.issuer}/v1/status-lists/{list_id}"

    def list_id_of(self, uri: str) -> int | None:
        """The list one of our credentials names; None for any other URI (another issuer's list)."""
        prefix = f"{self.issuer}/v1/status-lists/"
        tail = uri[len(prefix) :] if uri.startswith(prefix) else ""
        return int(tail) if tail.isascii() and tail.isdigit() and len(tail) <= 9 else None

    def type_metadata_uri(self, code: str) -> str:
        return f"{self.issuer}/v1/wallet/types/{code}"

    def share_url(self, share_id: str) -> str:
        return f"{self.issuer}/v1/shares/{share_id}"


@dataclass(frozen=True)
class WalletPorts:
    documents: Documents
    status_lists: StatusLists
    shares: Shares
    holder_keys: HolderKeys
    grants: IssuanceGrants
    credentials: Credentials
    qr_codes: QrCodes
    access_log: AccessLog
    idempotency: Idempotency
    person_keys: PersonKeys
    agencies: AgencyDirectory
    publisher: Publisher
    settings: WalletSettings
    store: DocumentStore | None = None  # the documents bucket: the issuer's signed PDF, links to it
