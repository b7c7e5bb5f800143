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


def test_cors_origins_are_normalised_and_must_be_origins(environment):
    environment.setenv("STAGE", "local")
    environment.setenv("EID_ISSUER", "http://127.0.0.1:8001")
    environment.setenv("CORS_ALLOWED_ORIGINS", "https://Portal.Hanoi.example/, http://localhost:3000")
    assert load_settings().cors_allowed_origins == ("https://portal.hanoi.example", "http://localhost:3000")
    for wrong in ("https://*.hanoi.example", "https://portal.example/app", "portal.example", "null"):
        environment.setenv("CORS_ALLOWED_ORIGINS", wrong)
        with pytest.raises(ConfigurationError, match="CORS_ALLOWED_ORIGINS"):
            load_settings()
