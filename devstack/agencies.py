"""Demo agency clients of the local stack: each gets a fresh EC key pair; the public half is registered."""

from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm

from chalicelib.adapters.access_tokens import jwk_thumbprint
from chalicelib.domain.agencies import Agency

# Codes of the public procedure catalog; then wallet document types (chalicelib/data/credential_types.json).
DEMO_AGENCIES = (
    (
        "ubnd-hoan-kiem",
        "hoan-kiem-one-stop",
        "UBND phường Hoàn Kiếm — Bộ phận một cửa",
        "Hoan Kiem Ward People's Committee — One-stop shop",
        ("KHAI_SINH", "THUONG_TRU", "LY_LICH_TU_PHAP", "HO_KINH_DOANH"),
    ),
    (
        "ubnd-ba-dinh",
        "ba-dinh-one-stop",
        "UBND phường Ba Đình — Bộ phận một cửa",
        "Ba Dinh Ward People's Committee — One-stop shop",
        ("KHAI_SINH", "KET_HON"),
        ("BIRTH_CERTIFICATE_EXTRACT",),  # KHAI_SINH yields it: a completed registration delivers the extract
    ),
    (  # an issuer of wallet documents only: it handles no procedure
        "so-tu-phap-ha-noi",
        "ha-noi-justice-issuer",
        "Sở Tư pháp thành phố Hà Nội",
        "Hanoi Department of Justice",
        (),
        ("BIRTH_CERTIFICATE_EXTRACT", "JUDICIAL_RECORD", "RESIDENCE_CONFIRMATION"),
    ),
)


@dataclass(frozen=True)
class DemoAgencyClient:
    agency: Agency
    private_key_pem: str
    kid: str


def make_demo_agencies() -> list[DemoAgencyClient]:
    return [_client(*entry) for entry in DEMO_AGENCIES]


def _client(
    agency_id: str,
    client_id: str,
    name_vi: str,
    name_en: str,
    codes: tuple[str, ...],
    credential_types: tuple[str, ...] = (),
) -> DemoAgencyClient:
    private_key = ec.generate_private_key(ec.SECP256R1())
    pem = private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode("ascii")
    jwk = ECAlgorithm.to_jwk(private_key.public_key(), as_dict=True)
    jwk.update({"kid": jwk_thumbprint(jwk), "use": "sig", "alg": "ES256"})
    agency = Agency(agency_id, client_id, name_vi, name_en, (jwk,), codes, credential_types=credential_types)
    return DemoAgencyClient(agency, pem, jwk["kid"])
