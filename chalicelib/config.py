"""Typed settings, read lazily from the environment; a missing setting fails fast with its name."""
import os
from dataclasses import dataclass

LOCAL_STAGE = "local"


class ConfigurationError(RuntimeError):
    """The process cannot serve: a setting is missing or unsafe for its stage."""


def required_env(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ConfigurationError(f"environment variable {name} is not set")
    return value


def _optional(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def _int(name: str, default: int) -> int:
    raw = _optional(name)
    return int(raw) if raw else default


@dataclass(frozen=True)
class Settings:
    stage: str
    region: str
    aws_endpoint_url: str          # empty on AWS; the embedded AWS locally
    table_name: str
    token_signing_key_id: str
    token_issuer: str
    token_audience: str
    access_token_ttl: int
    session_idle_ttl: int
    session_absolute_ttl: int
    login_state_ttl: int
    eid_issuer: str
    eid_client_id: str
    eid_client_key_secret_id: str
    eid_timeout_seconds: float
    login_redirect_uris: tuple[str, ...]
    max_body_bytes: int

    @property
    def is_local(self) -> bool:
        return self.stage == LOCAL_STAGE


def load_settings() -> Settings:
    stage = required_env("STAGE")
    settings = Settings(
        stage=stage,
        region=_optional("AWS_REGION") or _optional("AWS_DEFAULT_REGION", "ap-southeast-1"),
        aws_endpoint_url=_optional("AWS_ENDPOINT_URL"),
        table_name=required_env("TABLE_NAME"),
        token_signing_key_id=required_env("TOKEN_SIGNING_KEY_ID"),
        token_issuer=required_env("TOKEN_ISSUER"),
        token_audience=_optional("TOKEN_AUDIENCE", "citizen-app"),
        access_token_ttl=min(_int("ACCESS_TOKEN_TTL", 600), 600),
        session_idle_ttl=_int("SESSION_IDLE_TTL", 14 * 86400),
        session_absolute_ttl=_int("SESSION_ABSOLUTE_TTL", 90 * 86400),
        login_state_ttl=_int("LOGIN_STATE_TTL", 600),
        eid_issuer=required_env("EID_ISSUER"),
        eid_client_id=required_env("EID_CLIENT_ID"),
        eid_client_key_secret_id=required_env("EID_CLIENT_KEY_SECRET_ID"),
        eid_timeout_seconds=float(_optional("EID_TIMEOUT_SECONDS", "3")),
        login_redirect_uris=tuple(u for u in _optional("LOGIN_REDIRECT_URIS").split(",") if u),
        max_body_bytes=_int("MAX_BODY_BYTES", 64 * 1024),
    )
    _refuse_dev_parts_outside_local(settings)
    return settings


def _refuse_dev_parts_outside_local(settings: Settings) -> None:
    """A deployed stage must never trust the dev eID provider or an embedded AWS endpoint."""
    if settings.is_local:
        return
    if not settings.eid_issuer.startswith("https://"):
        raise ConfigurationError(
            f"stage {settings.stage} needs a real eID provider (https issuer); "
            f"the local eID provider is only for the '{LOCAL_STAGE}' stage"
        )
    if settings.aws_endpoint_url:
        raise ConfigurationError(f"stage {settings.stage} must not set AWS_ENDPOINT_URL")
