"""OpenID for Verifiable Credential Issuance 1.0, pre-authorized code flow: the offer a wallet app scans, the
short-lived single-use secrets it trades in (pre-authorized code, access token, c_nonce), and the metadata that
tells a standard wallet where everything is. One credential configuration per document type, `dc+sd-jwt`."""

import hashlib
import json
import secrets
import urllib.parse
from dataclasses import dataclass
from typing import Any

from chalicelib.domain.credentials import CredentialType

PRE_AUTHORIZED_GRANT = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
FORMAT = "dc+sd-jwt"
OFFER_SCHEME = "openid-credential-offer://"
CODE_TTL, TOKEN_TTL, NONCE_TTL = 300, 300, 300
CODE, TOKEN, NONCE = "CODE", "TOKEN", "NONCE"
TOKEN_PATH, NONCE_PATH, CREDENTIAL_PATH = "/v1/oid4vci/token", "/v1/oid4vci/nonce", "/v1/oid4vci/credential"


class IssuanceRefused(Exception):
    """Answered in the shape OAuth and OpenID4VCI fix ({error, error_description}), not as problem+json."""

    def __init__(self, error: str, description: str, status: int = 400):
        super().__init__(error)
        self.error, self.description, self.status = error, description, status


@dataclass(frozen=True)
class IssuanceGrant:
    """What a secret stands for: one document of one person (empty for a c_nonce), until `expires_at`."""

    person_key: str
    document_id: str
    expires_at: int

    def is_live(self, now: int) -> bool:
        return now < self.expires_at


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def secret_hash(secret: str) -> str:
    """Secrets are kept only as their hash: a read of the table gives nobody a usable code or token."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def credential_offer(issuer: str, configuration_id: str, code: str) -> dict[str, Any]:
    return {
        "credential_issuer": issuer,
        "credential_configuration_ids": [configuration_id],
        "grants": {PRE_AUTHORIZED_GRANT: {"pre-authorized_code": code}},
    }


def offer_uri(offer: dict[str, Any]) -> str:
    """By value, so the wallet needs no further fetch to start."""
    text = json.dumps(offer, separators=(",", ":"))
    return f"{OFFER_SCHEME}?credential_offer={urllib.parse.quote(text, safe='')}"


def issuer_metadata(issuer: str, types: list[CredentialType]) -> dict[str, Any]:
    """Credential Issuer Metadata (OpenID4VCI 1.0 section 12.2); the authorization server is the issuer itself."""
    return {
        "credential_issuer": issuer,
        "credential_endpoint": issuer + CREDENTIAL_PATH,
        "nonce_endpoint": issuer + NONCE_PATH,
        "display": [
            {"name": "Ví giấy tờ công dân", "locale": "vi"},
            {"name": "Citizen document wallet", "locale": "en"},
        ],
        "credential_configurations_supported": {t.code: _configuration(t) for t in types},
    }


def _configuration(credential_type: CredentialType) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "vct": credential_type.vct,
        "scope": credential_type.code,
        "cryptographic_binding_methods_supported": ["jwk"],
        "credential_signing_alg_values_supported": ["ES256"],
        "proof_types_supported": {"jwt": {"proof_signing_alg_values_supported": ["ES256"]}},
        "credential_metadata": {
            "display": [
                {"name": credential_type.name_vi, "locale": "vi"},
                {"name": credential_type.name_en, "locale": "en"},
            ],
            "claims": [{"path": [spec.name]} for spec in credential_type.claims],
        },
    }


def authorization_server_metadata(issuer: str) -> dict[str, Any]:
    """RFC 8414, for the pre-authorized code only: a wallet needs no client registration to trade a code."""
    return {
        "issuer": issuer,
        "token_endpoint": issuer + TOKEN_PATH,
        "grant_types_supported": [PRE_AUTHORIZED_GRANT],
        "pre-authorized_grant_anonymous_access_supported": True,
        "response_types_supported": [],
    }
