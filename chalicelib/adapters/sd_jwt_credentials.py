"""The wallet's credential port over the SD-JWT VC library: issue with the issuer's key (KMS), present chosen
claims, verify a presentation with our own published keys, and sign status lists."""

from collections.abc import Callable
from typing import Any

from chalicelib.adapters.jws import Es256Signer
from chalicelib.adapters.openid4vci_proofs import proof_key_and_nonce
from chalicelib.adapters.sd_jwt_vc import (
    issue_credential,
    issuer_metadata,
    jwk_thumbprint,
    present_sd_jwt_vc,
    public_holder_jwk,
)
from chalicelib.adapters.sd_jwt_verify import KB_MAX_AGE_SECONDS, load_issuer_keys, verify_presentation
from chalicelib.adapters.status_list_tokens import sign_status_list_token
from chalicelib.domain.credentials import CredentialType, IssuedCredential, VerifiedPresentation
from chalicelib.domain.status_list import StatusList
from chalicelib.domain.wallet import HolderKey


class SdJwtCredentials:
    def __init__(self, signer: Es256Signer, issuer: str):
        self._signer, self.issuer = signer, issuer

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
    ) -> IssuedCredential:
        return issue_credential(
            self._signer,
            credential_type,
            claims,
            issuer=self.issuer,
            issued_at=issued_at,
            expires_at=expires_at,
            status_uri=status_uri,
            status_index=status_index,
            holder_jwk=holder_jwk,
        )

    def present(self, sd_jwt: str, disclose: tuple[str, ...]) -> str:
        return present_sd_jwt_vc(sd_jwt, disclose)

    def verify(
        self,
        presentation: str,
        status: Callable[[str, int], int | None] | None,
        now: int,
        *,
        audience: str | None = None,
        nonce: str | None = None,
        kb_max_age: int = KB_MAX_AGE_SECONDS,
    ) -> VerifiedPresentation:
        """With only the keys we publish, as an outside verifier would; key binding required when audience or
        nonce is given."""
        return verify_presentation(
            presentation,
            load_issuer_keys(self.jwks()),
            status=status,
            now=now,
            audience=audience,
            nonce=nonce,
            kb_max_age=kb_max_age,
        )

    def check_proof(self, proof_jwt: str, now: int) -> tuple[dict[str, Any], str | None]:
        """An OpenID4VCI proof JWT for us: the key to bind and its c_nonce; ValidationError invalid_proof."""
        return proof_key_and_nonce(proof_jwt, issuer=self.issuer, now=now)

    def holder_key(self, jwk: Any, now: int) -> HolderKey:
        """ValidationError holder_key_invalid for anything but a public P-256 JWK."""
        public = public_holder_jwk(jwk)
        return HolderKey(jwk_thumbprint(public), public, now)

    def metadata(self) -> dict[str, Any]:
        return issuer_metadata(self.issuer, [self._signer])

    def jwks(self) -> dict[str, Any]:
        return {"keys": [self._signer.public_jwk()]}

    def sign_status_list(self, status_list: StatusList, uri: str, issued_at: int, ttl: int, expires_at: int) -> str:
        return sign_status_list_token(
            self._signer, status_list, uri=uri, issuer=self.issuer, issued_at=issued_at, ttl=ttl, expires_at=expires_at
        )
