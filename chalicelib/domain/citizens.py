"""Citizens as the backend knows them: who the eID said they are, and how much we may show."""

import unicodedata
from dataclasses import dataclass, replace


class CitizenAlreadyExists(Exception):
    """A first login for this eID subject was recorded by a parallel request."""


@dataclass(frozen=True)
class EidIdentity:
    """What a verified eID ID token asserts about the person who just logged in."""

    subject: str
    personal_id: str
    full_name: str
    birthdate: str
    gender: str
    place_of_residence: str
    level: int
    represents: tuple[str, ...] = ()


@dataclass(frozen=True)
class Citizen:
    citizen_id: str  # our opaque id; the `sub` of our access tokens
    eid_subject: str
    personal_id: str
    full_name: str
    birthdate: str
    gender: str
    place_of_residence: str
    eid_level: int
    represents: tuple[str, ...]
    created_at: int
    updated_at: int


def normalize_text(value: str) -> str:
    """Vietnamese arrives in composed and decomposed forms; store and compare only NFC."""
    return unicodedata.normalize("NFC", value).strip()


def mask_personal_id(personal_id: str) -> str:
    """Keep the province code and the last three digits: enough to recognise, not to reuse."""
    if len(personal_id) <= 6:
        return "*" * len(personal_id)
    return personal_id[:3] + "*" * (len(personal_id) - 6) + personal_id[-3:]


def normalize_identity(identity: EidIdentity) -> EidIdentity:
    return replace(
        identity,
        full_name=normalize_text(identity.full_name),
        place_of_residence=normalize_text(identity.place_of_residence),
    )


def citizen_from_identity(citizen_id: str, identity: EidIdentity, now: int) -> Citizen:
    return Citizen(
        citizen_id=citizen_id,
        eid_subject=identity.subject,
        personal_id=identity.personal_id,
        full_name=identity.full_name,
        birthdate=identity.birthdate,
        gender=identity.gender,
        place_of_residence=identity.place_of_residence,
        eid_level=identity.level,
        represents=tuple(identity.represents),
        created_at=now,
        updated_at=now,
    )
