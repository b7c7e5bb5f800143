"""The access log: every read or write of a citizen's data by anyone but the citizen, readable by the citizen.

Any feature where another party touches a citizen's data calls record_access (or passes an entry to a transaction).
"""

import re
import unicodedata
import urllib.parse
from typing import Protocol

from chalicelib.domain.access_log import EVERYTHING, AccessQuery
from chalicelib.domain.agencies import AgencyPrincipal
from chalicelib.domain.citizens import normalize_text
from chalicelib.domain.dossiers import AccessEntry
from chalicelib.domain.instants import utc_instant
from chalicelib.domain.pages import Page
from chalicelib.errors import FieldProblem, ValidationError

# The limit and the alphabet apply to the header as sent (openapi.yaml can state those): visible ASCII and spaces,
# percent-encoding the rest. 1500 sent characters are 500 Vietnamese letters of three encoded bytes.
MAX_PURPOSE = 1500
_SENT = re.compile(r"[!-~]([ -~]*[!-~])?")


class AccessLog(Protocol):
    def record(self, person_keys: list[str], entry: AccessEntry) -> None: ...
    def list(
        self, person_key: str, after: str | None, limit: int, query: AccessQuery = EVERYTHING
    ) -> Page[AccessEntry]: ...
    def people_in_month(self, month: str, shard: int, after: str | None, limit: int) -> Page[str]: ...


def required_purpose(purpose: str | None) -> str:
    """Agencies must say why they touch a citizen's data (X-Purpose): the citizen reads it, so it must be plain
    text. Headers are Latin-1, so Vietnamese text comes percent-encoded UTF-8; bytes that are not UTF-8, control
    characters and invisible format characters (bidi overrides, zero-width) would garble or spoof the entry."""
    sent = purpose or ""
    if len(sent) > MAX_PURPOSE:
        raise ValidationError("purpose_required", errors=(FieldProblem("X-Purpose", "too_long"),))
    if not sent:
        raise ValidationError("purpose_required", errors=(FieldProblem("X-Purpose", "required"),))
    if not _SENT.fullmatch(sent):
        raise ValidationError("purpose_required", errors=(FieldProblem("X-Purpose", "invalid_format"),))
    try:
        purpose = normalize_text(urllib.parse.unquote(sent, errors="strict"))
    except UnicodeDecodeError:
        raise _not_plain_text() from None
    if not purpose or any(unicodedata.category(c) in ("Cc", "Cf") for c in purpose):  # "%20": blank once decoded
        raise _not_plain_text()
    return purpose


def _not_plain_text() -> ValidationError:
    """Well-formed as sent (what a schema can say) but not plain text once decoded: its own code, so a client
    tells a header it built wrong from text it must clean."""
    return ValidationError("purpose_required", errors=(FieldProblem("X-Purpose", "not_plain_text"),))


def access_entry(
    principal: AgencyPrincipal,
    names: tuple[str, str],
    action: str,
    target: str,
    purpose: str,
    now: float,
    *,
    category: str = "dossier",
    channel: str = "agency_api",
    related: tuple[str, ...] = (),
) -> AccessEntry:
    return AccessEntry(
        agency_id=principal.agency_id,
        agency_name_vi=names[0],
        agency_name_en=names[1],
        client_id=principal.client_id,
        action=action,
        target=target,
        purpose=purpose,
        at=utc_instant(now),
        category=category,
        channel=channel,
        related=related,
    )


def record_access(
    log: AccessLog,
    person_keys: list[str],
    principal: AgencyPrincipal,
    names: tuple[str, str],
    action: str,
    target: str,
    purpose: str,
    now: float,
    related: tuple[str, ...] = (),
) -> None:
    if person_keys:
        log.record(person_keys, access_entry(principal, names, action, target, purpose, now, related=related))
