"""Everything of one citizen, by category: a registry where each category lists that citizen's items through the
existing ports, as plain JSON data. The export writes one file per category from it; the deletion reuses it to
erase and to state what it erased and what it kept."""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, is_dataclass
from enum import Enum
from itertools import chain
from typing import Any, Protocol

from chalicelib.domain import exports
from chalicelib.domain.access_log import EVERYTHING
from chalicelib.domain.delegations import Delegation
from chalicelib.domain.instants import utc_instant
from chalicelib.domain.pages import Page
from chalicelib.domain.tax import TaxAnswer
from chalicelib.domain.uploaded_documents import UploadedDocument
from chalicelib.services.access_log import AccessLog
from chalicelib.services.auth_ports import Citizens, Sessions
from chalicelib.services.dossier_ports import Dossiers
from chalicelib.services.notification_ports import Devices, Inbox, PreferenceStore
from chalicelib.services.wallet_ports import Documents, Shares

PAGE = 100
# Never in an export: our keyed hashes (they link records, they are not the citizen's data) and push tokens.
_INTERNAL = frozenset(
    {"person_key", "token", "installation", "version", "status_ms", "receipt_due_bucket", "published", "occurred_ms"}
)


@dataclass(frozen=True)
class Subject:
    citizen_id: str
    person_key: str


class KeptTaxAnswers(Protocol):
    def kept(self, tax_code: str) -> list[tuple[str, TaxAnswer]]: ...


class Grants(Protocol):
    def of_business(self, tax_code: str) -> list[Delegation]: ...
    def live_for_delegate(self, delegate_key: str, now: float) -> list[Delegation]: ...


@dataclass(frozen=True)
class CitizenDataPorts:
    citizens: Citizens
    sessions: Sessions
    devices: Devices
    inbox: Inbox
    preferences: PreferenceStore
    dossiers: Dossiers
    documents: Documents
    shares: Shares
    access_log: AccessLog
    tax_cache: KeptTaxAnswers
    delegations: Grants


@dataclass(frozen=True)
class Category:
    """One file of the export: its name, what it holds (vi, en; the README says it) and how to list it."""

    name: str
    about_vi: str
    about_en: str
    items: Callable[[CitizenDataPorts, Subject], list[dict[str, Any]]]


def plain(value: Any) -> Any:
    """A domain object as JSON data, without what is ours rather than the citizen's (_INTERNAL)."""
    if is_dataclass(value) and not isinstance(value, type):
        return {k: plain(v) for k, v in asdict(value).items() if k not in _INTERNAL}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items() if k not in _INTERNAL}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, Enum):
        return value.name.lower() if isinstance(value.value, int) else value.value
    return value


def every(read: Callable[[str | None], Page[Any]]) -> Iterator[Any]:
    """All items of a paged listing, page after page."""
    after: str | None = None
    while True:
        page = read(after)
        yield from page.items
        if page.after is None:
            return
        after = page.after


def _profile(ports: CitizenDataPorts, subject: Subject) -> list[dict[str, Any]]:
    citizen = ports.citizens.get(subject.citizen_id)
    return [_instants(plain(citizen), "created_at", "updated_at")] if citizen else []


def _sessions(ports: CitizenDataPorts, subject: Subject) -> list[dict[str, Any]]:
    keys = ("created_at", "last_refreshed_at", "idle_expires_at", "absolute_expires_at")
    return [_instants(plain(s), *keys) for s in ports.sessions.list(subject.citizen_id)]


def _devices(ports: CitizenDataPorts, subject: Subject) -> list[dict[str, Any]]:
    return [_instants(plain(d), "created_at", "updated_at") for d in ports.devices.list(subject.citizen_id)]


def _notifications(ports: CitizenDataPorts, subject: Subject) -> list[dict[str, Any]]:
    def read(after: str | None) -> Page[Any]:
        page = ports.inbox.page(subject.citizen_id, PAGE, after)
        return Page(page.entries, page.after)

    return [plain(entry) for entry in every(read)]


def _preferences(ports: CitizenDataPorts, subject: Subject) -> list[dict[str, Any]]:
    return [plain(ports.preferences.get(subject.citizen_id))]


def _dossiers(ports: CitizenDataPorts, subject: Subject) -> list[dict[str, Any]]:
    found = []
    for dossier in every(lambda after: ports.dossiers.list_for_person(subject.person_key, "", after, PAGE)):
        loaded = ports.dossiers.load(subject.person_key, dossier.dossier_id)
        events = loaded[1] if loaded else []
        found.append({**plain(loaded[0] if loaded else dossier), "timeline": [plain(e) for e in events]})
    return found


def _wallet(ports: CitizenDataPorts, subject: Subject) -> Iterator[Any]:
    return every(lambda after: ports.documents.list_for_person(subject.person_key, "", after, PAGE))


def _wallet_documents(ports: CitizenDataPorts, subject: Subject) -> list[dict[str, Any]]:
    keys = ("issued_at", "expires_at")
    return [_instants(plain(d), *keys) for d in _wallet(ports, subject) if not isinstance(d, UploadedDocument)]


def _uploads(ports: CitizenDataPorts, subject: Subject) -> list[dict[str, Any]]:
    keys = ("created_at", "processed_at")
    return [_instants(plain(d), *keys) for d in _wallet(ports, subject) if isinstance(d, UploadedDocument)]


def _shares(ports: CitizenDataPorts, subject: Subject) -> list[dict[str, Any]]:
    shares = every(lambda after: ports.shares.list_for_person(subject.person_key, after, PAGE))
    return [_instants(plain(s), "created_at", "expires_at") for s in shares]


def _access_log(ports: CitizenDataPorts, subject: Subject) -> list[dict[str, Any]]:
    entries = every(lambda after: ports.access_log.list(subject.person_key, after, PAGE, EVERYTHING))
    return [plain(entry) for entry in entries]


def _tax(ports: CitizenDataPorts, subject: Subject) -> list[dict[str, Any]]:
    """What the tax authority said of the citizen (their tax code is their personal ID), as kept here."""
    citizen = ports.citizens.get(subject.citizen_id)
    kept = ports.tax_cache.kept(citizen.personal_id) if citizen else []
    return [{"topic": topic, "as_of": utc_instant(a.as_of), "answer": a.value} for topic, a in kept]


def _delegations(ports: CitizenDataPorts, subject: Subject) -> list[dict[str, Any]]:
    """Grants the citizen made for the businesses they represent, and grants made to them (still stored)."""
    citizen = ports.citizens.get(subject.citizen_id)
    made = [g for code in (citizen.represents if citizen else ()) for g in ports.delegations.of_business(code)]
    made = [g for g in made if g.granted_by_key == subject.person_key]
    received = ports.delegations.live_for_delegate(subject.person_key, 0)
    return [_grant(g, "granted") for g in made] + [_grant(g, "received") for g in received]


def _grant(grant: Delegation, role: str) -> dict[str, Any]:
    shown = {k: v for k, v in plain(grant).items() if k not in ("delegate_key", "granted_by_key")}
    return {**_instants(shown, "created_at", "expires_at"), "role": role}


def _instants(item: dict[str, Any], *names: str) -> dict[str, Any]:
    """Epoch seconds as the contract's instants (RFC 3339 UTC); an absent one stays null."""
    return {**item, **{n: utc_instant(item[n]) if item.get(n) is not None else None for n in names if n in item}}


CATEGORIES: tuple[Category, ...] = (
    Category("profile", "Hồ sơ công dân từ định danh điện tử.", "Your profile, as your eID gave it.", _profile),
    Category("sessions", "Các phiên đăng nhập.", "Your login sessions.", _sessions),
    Category("devices", "Thiết bị nhận thông báo (không kèm mã đẩy).", "Push devices (no push token).", _devices),
    Category("dossiers", "Hồ sơ thủ tục và tiến trình xử lý.", "Your dossiers with their timelines.", _dossiers),
    Category("notifications", "Hộp thư thông báo.", "Your notification inbox.", _notifications),
    Category("preferences", "Cài đặt thông báo.", "Your notification preferences.", _preferences),
    Category(
        "wallet_documents",
        "Giấy tờ trong ví, kèm chứng thư số (SD-JWT VC).",
        "Your wallet documents with their credentials (SD-JWT VC).",
        _wallet_documents,
    ),
    Category("uploads", "Ảnh và tệp bạn đã tải lên.", "The photos and files you uploaded.", _uploads),
    Category("shares", "Các lần chia sẻ giấy tờ.", "Your document shares.", _shares),
    Category("tax", "Dữ liệu thuế lưu tạm tại đây.", "Tax data cached here from the tax authority.", _tax),
    Category(
        "delegations",
        "Ủy quyền xem dữ liệu thuế doanh nghiệp: đã cấp và được nhận.",
        "Delegations of business tax data: granted and received.",
        _delegations,
    ),
    Category(
        "access_log",
        "Ai đã truy cập dữ liệu của bạn, khi nào và vì sao.",
        "Who accessed your data, when and why.",
        _access_log,
    ),
)


def collect(ports: CitizenDataPorts, subject: Subject) -> dict[str, list[dict[str, Any]]]:
    """Every category's items for one citizen, in the registry's order."""
    return {category.name: category.items(ports, subject) for category in CATEGORIES}


def export_archive(
    ports: CitizenDataPorts, subject: Subject, exported_at: str, stored: Iterable[tuple[str, bytes]] = ()
) -> bytes:
    """The ZIP of everything of the citizen: one JSON file per category, the README (domain/exports.py) and the
    stored files of their documents (`stored`: (files/<document_id>/<name>, bytes), read as they are zipped)."""
    collected = collect(ports, subject)
    files = {
        f"{name}.json": exports.category_file(name, subject.citizen_id, exported_at, items)
        for name, items in collected.items()
    }
    about = ((c.name, c.about_vi, c.about_en) for c in CATEGORIES)
    return exports.build_zip(chain({"README.txt": exports.readme(about, exported_at), **files}.items(), stored))
