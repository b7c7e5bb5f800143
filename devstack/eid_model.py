"""What the dev eID provider knows: demo citizens, registered relying parties and the OAuth error.

Dev-only data: the personal IDs are fictitious but shaped like real 12-digit citizen ID numbers.
"""

import hashlib
from dataclasses import dataclass

# Claims an ID token and the userinfo response carry about the citizen, beyond the JWT basics.
CITIZEN_CLAIMS = ("sub", "personal_id", "name", "birthdate", "gender", "place_of_residence", "represents")
_PRIVATE_JWK_MEMBERS = {"d", "p", "q", "dp", "dq", "qi", "k"}


@dataclass(frozen=True)
class DemoCitizen:
    personal_id: str
    full_name: str
    birthdate: str
    gender: str
    place_of_residence: str
    level: str
    represents: tuple[str, ...] = ()

    @property
    def sub(self) -> str:
        # Opaque and stable, so relying parties never learn to key accounts on the personal ID.
        digest = hashlib.sha256(f"vneid-sub:{self.personal_id}".encode("ascii")).hexdigest()
        return "vneid-" + digest[:24]


DEMO_CITIZENS: tuple[DemoCitizen, ...] = (
    DemoCitizen("001090000001", "Nguyễn Văn An", "1990-03-15", "male", "Phường Hoàn Kiếm, Hà Nội", "2"),
    # Legal representative of Công ty TNHH Bình Minh Hà Nội.
    DemoCitizen(
        "001190000002",
        "Trần Thị Bình",
        "1990-07-22",
        "female",
        "Phường Ba Đình, Hà Nội",
        "2",
        represents=("0109123458",),
    ),
    DemoCitizen("001095000003", "Lê Văn Cường", "1995-11-02", "male", "Phường Cầu Giấy, Hà Nội", "1"),
)


@dataclass(frozen=True)
class RegisteredClient:
    client_id: str
    public_jwk: dict
    redirect_uris: tuple[str, ...]

    def __post_init__(self) -> None:
        check_public_jwk(self.public_jwk)
        if not self.client_id or not self.redirect_uris:
            raise ValueError("a registered client needs a client_id and at least one redirect_uri")
        if any("#" in uri for uri in self.redirect_uris):
            raise ValueError("redirect URIs must not contain a fragment (RFC 6749 section 3.1.2)")


class OAuthError(Exception):
    """An error answered as OAuth specifies: a status and a JSON {error, error_description}."""

    def __init__(self, status: int, error: str, description: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(f"{error}: {description}")
        self.status = status
        self.error = error
        self.description = description
        self.headers = headers or {}

    def body(self) -> dict:
        return {"error": self.error, "error_description": self.description}


def check_public_jwk(jwk: dict) -> None:
    """Refuse keys the token endpoint could not safely pin an algorithm for."""
    if jwk.get("kty") == "EC" and jwk.get("crv") != "P-256":
        raise ValueError("EC client keys must be on P-256 (ES256)")
    if jwk.get("kty") not in ("EC", "RSA"):
        raise ValueError("client keys must be EC P-256 or RSA; symmetric keys are refused")
    if _PRIVATE_JWK_MEMBERS & set(jwk):
        raise ValueError("register the client's PUBLIC key only")
    if not jwk.get("kid"):
        raise ValueError("the client's public JWK needs a kid")


def assertion_algorithms(jwk: dict) -> list[str]:
    """Algorithms pinned per key type, so an asymmetric key can never be used as an HMAC secret."""
    return ["ES256"] if jwk["kty"] == "EC" else ["RS256", "PS256"]


def citizen_claims(citizen: DemoCitizen) -> dict:
    return {
        "sub": citizen.sub,
        "personal_id": citizen.personal_id,
        "name": citizen.full_name,
        "birthdate": citizen.birthdate,
        "gender": citizen.gender,
        "place_of_residence": citizen.place_of_residence,
        "represents": list(citizen.represents),
    }


def mask_personal_id(personal_id: str) -> str:
    return personal_id[:4] + "*" * (len(personal_id) - 7) + personal_id[-3:]
