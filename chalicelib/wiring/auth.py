"""Citizen login and sessions, the access tokens both audiences use, and the agencies' machine logins."""

from typing import Any

from chalicelib.wiring import _kms, _once, person_keys, secrets, settings, table


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
