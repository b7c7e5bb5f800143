"""SD-JWT VC Type Metadata (draft-ietf-oauth-sd-jwt-vc, "Type Metadata") of each wallet document type: its name
and description per language, each claim's path, labels and selective disclosability, and a JSON Schema."""

from typing import Any

from chalicelib.domain.credentials import ALWAYS_VISIBLE_CLAIMS, ClaimSpec, CredentialType

# The locales wallets match against the device's language (BCP 47).
LOCALES = (("vi", "vi-VN"), ("en", "en-US"))
_JSON_TYPES = {
    "string": {"type": "string"},
    "date": {"type": "string", "format": "date"},
    "integer": {"type": "integer"},
}


def type_metadata(credential_type: CredentialType) -> dict[str, Any]:
    """Every claim of a type is issued behind a Disclosure ("always"); the type, issuer, validity and status
    never are, and so are not claims a wallet labels."""
    return {
        "vct": credential_type.vct,
        "name": credential_type.name_en,
        "description": credential_type.description_en,
        "display": [
            {
                "locale": locale,
                "name": getattr(credential_type, f"name_{language}"),
                "description": getattr(credential_type, f"description_{language}"),
            }
            for language, locale in LOCALES
        ],
        "claims": [_claim(spec) for spec in credential_type.claims],
        "schema": _schema(credential_type),
    }


def _claim(spec: ClaimSpec) -> dict[str, Any]:
    labels = {"vi": spec.label_vi, "en": spec.label_en}
    return {
        "path": [spec.name],
        "display": [{"locale": locale, "label": labels[language]} for language, locale in LOCALES],
        "sd": "always",
        "mandatory": spec.required,
    }


def _schema(credential_type: CredentialType) -> dict[str, Any]:
    """The credential's payload once its Disclosures are resolved (what a verifier sees with all of them)."""
    properties: dict[str, Any] = {name: {} for name in sorted(ALWAYS_VISIBLE_CLAIMS)}
    properties["vct"] = {"const": credential_type.vct}
    for spec in credential_type.claims:
        kind = dict(_JSON_TYPES[spec.kind])
        if spec.kind == "integer":
            kind["minimum"] = 0
        if spec.max_length is not None:
            kind["maxLength"] = spec.max_length
        properties[spec.name] = kind
    required = ["iss", "vct", *(spec.name for spec in credential_type.claims if spec.required)]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": properties,
        "required": required,
    }
