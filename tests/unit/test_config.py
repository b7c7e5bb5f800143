"""Settings fail fast, and a deployed stage refuses the dev-only parts."""

import pytest

from chalicelib.config import ConfigurationError, load_settings
from tests.unit.conftest import REQUIRED_ENV as BASE


@pytest.fixture
def environment(monkeypatch):
    for name in ("AWS_ENDPOINT_URL", "STAGE", "EID_ISSUER", *BASE):
        monkeypatch.delenv(name, raising=False)
    for name, value in BASE.items():
        monkeypatch.setenv(name, value)
    return monkeypatch


def test_missing_setting_names_itself(environment):
    environment.setenv("STAGE", "local")
    with pytest.raises(ConfigurationError, match="EID_ISSUER"):
        load_settings()


def test_prod_refuses_the_local_eid_provider(environment):
    environment.setenv("STAGE", "prod")
    environment.setenv("EID_ISSUER", "http://127.0.0.1:8001")
    with pytest.raises(ConfigurationError, match="real eID provider"):
        load_settings()


def test_prod_refuses_an_embedded_aws_endpoint(environment):
    environment.setenv("STAGE", "prod")
    environment.setenv("EID_ISSUER", "https://eid.example.gov.vn")
    environment.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4566")
    with pytest.raises(ConfigurationError, match="AWS_ENDPOINT_URL"):
        load_settings()


def test_access_tokens_never_live_longer_than_ten_minutes(environment):
    environment.setenv("STAGE", "prod")
    environment.setenv("EID_ISSUER", "https://eid.example.gov.vn")
    environment.setenv("ACCESS_TOKEN_TTL", "3600")
    assert load_settings().access_token_ttl == 600


def _prod(environment, redirect_uris: str):
    environment.setenv("STAGE", "prod")
    environment.setenv("EID_ISSUER", "https://eid.example.gov.vn")
    environment.setenv("LOGIN_REDIRECT_URIS", redirect_uris)


def test_app_links_and_private_use_schemes_are_allowed_redirect_uris(environment):
    allowed = (
        "citizenapp://auth/callback",
        "vn.gov.hanoi.citizen:/oauth2redirect",
        "https://app.hanoi.gov.vn/auth/callback",
        "https://app.hanoi.gov.vn:8443/auth/callback?app=citizen",
    )
    _prod(environment, " , ".join(allowed))
    assert load_settings().login_redirect_uris == allowed


@pytest.mark.parametrize(
    "entry, reason",
    [
        ("http://app.hanoi.gov.vn/callback", "http is allowed only for a loopback host"),
        ("http://127.0.0.1:8080/callback", "http is allowed only for a loopback host"),
        ("https://app.hanoi.gov.vn/callback#top", "fragment"),
        ("/auth/callback", "not an absolute URI"),
        ("citizenapp:", "not an absolute URI"),
        ("https:///callback", "needs a host"),
        ("https://user:pw@app.hanoi.gov.vn/callback", "needs a host and no user information"),
        ("javascript://auth/%0Aalert(1)", "neither https nor a private-use scheme"),
        ("data://auth/callback", "neither https nor a private-use scheme"),
        ("file:///etc/passwd", "neither https nor a private-use scheme"),
        ("vn..gov:/callback", "neither https nor a private-use scheme"),
        ("CitizenApp://auth/callback", "lowercase"),
        ("citizenapp://auth/*", "wildcards"),
        ("https://app.hanoi.gov.vn/a b", "spaces"),
    ],
)
def test_an_unsafe_redirect_uri_stops_the_process_and_is_named(environment, entry, reason):
    _prod(environment, "citizenapp://auth/callback," + entry)
    with pytest.raises(ConfigurationError, match="LOGIN_REDIRECT_URIS") as refused:
        load_settings()
    assert repr(entry) in str(refused.value) and reason in str(refused.value)


def test_loopback_http_redirects_only_on_the_local_stage(environment):
    environment.setenv("STAGE", "local")
    environment.setenv("EID_ISSUER", "http://127.0.0.1:8001")
    environment.setenv("LOGIN_REDIRECT_URIS", "http://127.0.0.1:8080/callback,http://localhost/cb,http://[::1]:9/cb")
    assert len(load_settings().login_redirect_uris) == 3
    environment.setenv("LOGIN_REDIRECT_URIS", "http://192.168.1.20:8080/callback")
    with pytest.raises(ConfigurationError, match="loopback"):
        load_settings()


def test_the_refresh_grace_window_is_capped_at_thirty_seconds(environment):
    _prod(environment, "citizenapp://auth/callback")
    assert load_settings().refresh_reuse_grace_seconds == 30
    environment.setenv("REFRESH_REUSE_GRACE_SECONDS", "300")
    assert load_settings().refresh_reuse_grace_seconds == 30
    environment.setenv("REFRESH_REUSE_GRACE_SECONDS", "0")
    assert load_settings().refresh_reuse_grace_seconds == 0


def test_cors_origins_are_normalised_and_must_be_origins(environment):
    environment.setenv("STAGE", "local")
    environment.setenv("EID_ISSUER", "http://127.0.0.1:8001")
    environment.setenv("CORS_ALLOWED_ORIGINS", "https://Portal.Hanoi.example/, http://localhost:3000")
    assert load_settings().cors_allowed_origins == ("https://portal.hanoi.example", "http://localhost:3000")
    for wrong in ("https://*.hanoi.example", "https://portal.example/app", "portal.example", "null"):
        environment.setenv("CORS_ALLOWED_ORIGINS", wrong)
        with pytest.raises(ConfigurationError, match="CORS_ALLOWED_ORIGINS"):
            load_settings()


def test_prod_refuses_the_local_tax_authority_and_payment_gateway(environment):
    for name, local_url in (
        ("TAX_AUTHORITY_URL", "http://127.0.0.1:8003"),
        ("PAYMENT_GATEWAY_URL", "http://127.0.0.1:8004"),
    ):
        environment.setenv("STAGE", "prod")
        environment.setenv("EID_ISSUER", "https://eid.example.gov.vn")
        environment.setenv(name, local_url)
        with pytest.raises(ConfigurationError, match=name):
            load_settings()
        environment.setenv(name, BASE[name])


def test_a_stage_without_its_tax_authority_refuses_to_start(environment):
    environment.setenv("STAGE", "prod")
    environment.setenv("EID_ISSUER", "https://eid.example.gov.vn")
    environment.delenv("TAX_AUTHORITY_URL")
    with pytest.raises(ConfigurationError, match="TAX_AUTHORITY_URL"):
        load_settings()
