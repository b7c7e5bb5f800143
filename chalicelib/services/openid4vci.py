"""OpenID4VCI 1.0 pre-authorized code flow: the citizen's app asks for an offer of one of its documents; a
standard wallet app trades the offer's code for an access token, fetches a c_nonce, and receives the document
as a new SD-JWT VC bound to the key of its proof. Every secret is short-lived and stored only as a hash; the
code and each c_nonce are single use."""

from dataclasses import dataclass
from typing import Any

from chalicelib.domain.credentials import CredentialStatus, credential_types
from chalicelib.domain.dossiers import AccessEntry
from chalicelib.domain.instants import utc_instant
from chalicelib.domain.openid4vci import (
    CODE,
    CODE_TTL,
    NONCE,
    NONCE_TTL,
    PRE_AUTHORIZED_GRANT,
    TOKEN,
    TOKEN_TTL,
    IssuanceGrant,
    IssuanceRefused,
    authorization_server_metadata,
    credential_offer,
    issuer_metadata,
    new_secret,
    offer_uri,
    secret_hash,
)
from chalicelib.domain.sessions import Principal
from chalicelib.domain.wallet import WalletDocument
from chalicelib.errors import ConflictError, ValidationError
from chalicelib.services.auth_ports import Citizens
from chalicelib.services.wallet import get_my_document
from chalicelib.services.wallet_ports import WalletPorts


@dataclass(frozen=True)
class Offer:
    uri: str
    offer: dict[str, Any]
    expires_at: int
    qr_png: bytes
    qr_svg: bytes


def make_offer(principal: Principal, document_id: str, citizens: Citizens, ports: WalletPorts, now: int) -> Offer:
    document = get_my_document(principal, document_id, citizens, ports, now)
    if not isinstance(document, WalletDocument):
        raise ConflictError("document_not_shareable")  # an upload has no credential to hand to a wallet
    if document.status != CredentialStatus.VALID:
        raise ConflictError("document_revoked" if document.status == CredentialStatus.INVALID else "document_suspended")
    code = new_secret()
    ports.grants.keep(CODE, secret_hash(code), IssuanceGrant(document.person_key, document_id, now + CODE_TTL))
    offer = credential_offer(ports.settings.issuer, document.credential_type, code)
    uri = offer_uri(offer)
    return Offer(uri, offer, now + CODE_TTL, ports.qr_codes.png(uri), ports.qr_codes.svg(uri))


def exchange_code(form: dict[str, str], ports: WalletPorts, now: int) -> tuple[str, int]:
    """(access token, its lifetime); the code is spent even when it had expired."""
    if form.get("grant_type") != PRE_AUTHORIZED_GRANT:
        error = "invalid_request" if not form.get("grant_type") else "unsupported_grant_type"
        raise IssuanceRefused(error, "grant_type must be " + PRE_AUTHORIZED_GRANT)
    code = form.get("pre-authorized_code") or ""
    if not code:
        raise IssuanceRefused("invalid_request", "pre-authorized_code is required")
    grant = ports.grants.take(CODE, secret_hash(code), now)
    if grant is None:
        raise IssuanceRefused("invalid_grant", "the pre-authorized code is unknown, used or expired")
    token = new_secret()
    ports.grants.keep(TOKEN, secret_hash(token), IssuanceGrant(grant.person_key, grant.document_id, now + TOKEN_TTL))
    return token, TOKEN_TTL


def new_nonce(ports: WalletPorts, now: int) -> str:
    nonce = new_secret()
    ports.grants.keep(NONCE, secret_hash(nonce), IssuanceGrant("", "", now + NONCE_TTL))
    return nonce


def issue_credential(access_token: str, body: dict[str, Any], ports: WalletPorts, now: int) -> str:
    """The document the token was granted for, issued again (same claims, validity and status entry, so its
    revocation reaches this copy too) and bound to the proof's key."""
    grant = ports.grants.read(TOKEN, secret_hash(access_token), now) if access_token else None
    if grant is None:
        raise IssuanceRefused("invalid_token", "the access token is unknown or expired", status=401)
    document = ports.documents.load(grant.person_key, grant.document_id)
    if document is None or document.status != CredentialStatus.VALID:
        raise IssuanceRefused("credential_request_denied", "the document is no longer valid")
    proof = _one_proof(body, document)
    holder_jwk = _proof_key(proof, ports, now)
    credential = _reissued(document, holder_jwk, ports, now)
    # Logged before it is handed over: a copy the citizen cannot see in the access log is never delivered.
    ports.access_log.record([document.person_key], _delivery_entry(document, now))
    return credential


# The pre-authorized flow carries no client identity: the entry names the channel, not an app the issuer knows.
WALLET_APP = ("Ứng dụng ví (OpenID4VCI)", "Wallet app (OpenID4VCI)")
WALLET_PURPOSE = "Nhận giấy tờ vào ứng dụng ví / Document received into a wallet app"


def _delivery_entry(document: WalletDocument, now: int) -> AccessEntry:
    return AccessEntry(
        agency_id="",
        agency_name_vi=WALLET_APP[0],
        agency_name_en=WALLET_APP[1],
        client_id="openid4vci",
        action="document.wallet_delivery",
        target=f"document:{document.document_id}",
        purpose=WALLET_PURPOSE,
        at=utc_instant(now),
        category="wallet_document",
        channel="openid4vci",
    )


def _one_proof(body: dict[str, Any], document: WalletDocument) -> str:
    configuration = body.get("credential_configuration_id")
    if not isinstance(configuration, str) or "credential_identifier" in body:
        raise IssuanceRefused("invalid_credential_request", "send credential_configuration_id")
    if configuration != document.credential_type:
        raise IssuanceRefused("unknown_credential_configuration", "the offer was for another configuration")
    proofs = body.get("proofs")
    jwts = proofs.get("jwt") if isinstance(proofs, dict) and set(proofs) == {"jwt"} else None
    if not isinstance(jwts, list) or len(jwts) != 1 or not isinstance(jwts[0], str):
        raise IssuanceRefused("invalid_credential_request", "send exactly one proof as proofs.jwt[0]")
    return jwts[0]


def _proof_key(proof: str, ports: WalletPorts, now: int) -> dict[str, Any]:
    """The c_nonce is redeemed only after the proof's signature checked out, so a forged proof burns nothing."""
    try:
        holder_jwk, nonce = ports.credentials.check_proof(proof, now)
    except ValidationError as refused:
        raise IssuanceRefused("invalid_proof", "the proof JWT is not valid for this issuer") from refused
    if nonce is None or ports.grants.take(NONCE, secret_hash(nonce), now) is None:
        raise IssuanceRefused("invalid_nonce", "fetch a c_nonce from the nonce endpoint and sign the proof again")
    return holder_jwk


def _reissued(document: WalletDocument, holder_jwk: dict[str, Any], ports: WalletPorts, now: int) -> str:
    issued = ports.credentials.issue(
        credential_types()[document.credential_type],
        document.claims,
        issued_at=now,
        expires_at=document.expires_at,
        status_uri=ports.settings.status_list_uri(document.status_list_id),
        status_index=document.status_index,
        holder_jwk=holder_jwk,
    )
    return issued.sd_jwt


def metadata(ports: WalletPorts) -> dict[str, Any]:
    return issuer_metadata(ports.settings.issuer, list(credential_types().values()))


def authorization_server(ports: WalletPorts) -> dict[str, Any]:
    return authorization_server_metadata(ports.settings.issuer)
