"""The access log's closed vocabularies (what was touched, through which channel) and the reading of entries
stored before an entry named them; the month an entry counts in for the citizen's monthly digest."""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from chalicelib.domain.dossiers import AccessEntry
from chalicelib.domain.instants import utc_instant
from chalicelib.domain.working_days import VIETNAM

CATEGORIES = ("dossier", "wallet_document", "share", "tax", "upload", "profile")
# Every entry of a month rewrites its person's mark in the month's index: spread over this many partitions.
MONTH_SHARDS = 16
CHANNELS = ("agency_api", "issuer_api", "share_link", "delegate", "operator", "openid4vci")


@dataclass(frozen=True)
class AccessQuery:
    """The citizen's filters: one category, and instants (ISO 8601 UTC) from (inclusive) and to (exclusive)."""

    category: str = ""
    since: str = ""
    until: str = ""


EVERYTHING = AccessQuery()


# Before entries carried a category, the action said it (an upload filed with a dossier was a "document.read").
LEGACY_ACTION_PREFIXES = {
    "dossier": ("dossier.",),
    "tax": ("business_tax.",),
    "share": ("document.share_view",),
    "wallet_document": (
        "document.issue",
        "document.revoke",
        "document.suspend",
        "document.reinstate",
        "document.wallet_delivery",
        "document.read",
    ),
    "upload": (),
    "profile": (),
}


def legacy_category(action: str) -> str:
    for category, prefixes in LEGACY_ACTION_PREFIXES.items():
        if action.startswith(prefixes):
            return category
    return "dossier"


def legacy_channel(entry: AccessEntry) -> str:
    if entry.client_id.startswith("share:"):
        return "share_link"
    if entry.client_id.startswith("delegation:"):
        return "delegate"
    if entry.client_id == "openid4vci":
        return "openid4vci"
    if entry.action in ("document.issue", "document.revoke", "document.suspend", "document.reinstate"):
        return "issuer_api"
    return "agency_api"


def complete(entry: AccessEntry) -> AccessEntry:
    """An entry as read: one written before category and channel existed gets them from what it said then."""
    if entry.category and entry.channel:
        return entry
    return replace(
        entry, category=entry.category or legacy_category(entry.action), channel=entry.channel or legacy_channel(entry)
    )


def digest_month(at_iso: str) -> str:
    """The month (Vietnam time, YYYY-MM) an entry at this UTC instant counts in."""
    moment = datetime.fromisoformat(at_iso.replace("Z", "+00:00"))
    return moment.astimezone(VIETNAM).strftime("%Y-%m")


def month_bounds(month: str) -> tuple[str, str]:
    """The UTC instants (as the log's sort keys write them) a Vietnam-time month starts and ends at."""
    start = datetime.strptime(month + "-01", "%Y-%m-%d").replace(tzinfo=VIETNAM)
    end = (start + timedelta(days=32)).replace(day=1)
    return utc_instant(start), utc_instant(end)


def previous_month(now: datetime) -> str:
    first = now.astimezone(VIETNAM).replace(day=1)
    return (first - timedelta(days=1)).strftime("%Y-%m")
