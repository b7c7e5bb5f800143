"""Rules of the wallet with fakes of its ports: status transitions, status list positions, share expiry and
limits, retries from fresh state, the status list token kept for its ttl."""

from dataclasses import replace

import pytest

from chalicelib.api import wallet_input
from chalicelib.domain.agencies import AgencyPrincipal
from chalicelib.domain.credentials import CredentialStatus as S
from chalicelib.domain.pages import Page
from chalicelib.domain.status_list import StatusList
from chalicelib.domain.wallet import (
    STATUS_LIST_SIZE,
    Share,
    StaleDocument,
    StatusSlot,
    WalletDocument,
    next_status,
    slot_of,
)
from chalicelib.errors import ConflictError, NotFoundError, ValidationError
from chalicelib.services import wallet, wallet_issuance
from chalicelib.services.wallet_ports import WalletPorts, WalletSettings

SETTINGS = WalletSettings("https://api.example.gov.vn", status_list_ttl=300, max_live_shares=2)
ISSUER = AgencyPrincipal("issuer-client", "issuer", frozenset({"documents:issue"}))
NOW = 1_800_000_000


@pytest.mark.parametrize(
    "current, action, after",
    [
        (S.VALID, "revoke", S.INVALID),
        (S.SUSPENDED, "revoke", S.INVALID),
        (S.INVALID, "revoke", S.INVALID),
        (S.VALID, "suspend", S.SUSPENDED),
        (S.SUSPENDED, "suspend", S.SUSPENDED),
        (S.SUSPENDED, "reinstate", S.VALID),
        (S.VALID, "reinstate", S.VALID),
    ],
)
def test_status_transitions(current, action, after):
    assert next_status(current, action) == after


@pytest.mark.parametrize("action", ["suspend", "reinstate"])
def test_a_revoked_document_stays_revoked(action):
    with pytest.raises(ConflictError, match="document_revoked"):
        next_status(S.INVALID, action)


def test_positions_fill_one_list_then_the_next():
    assert slot_of(0) == StatusSlot(0, 0)
    assert slot_of(STATUS_LIST_SIZE - 1) == StatusSlot(0, STATUS_LIST_SIZE - 1)
    assert slot_of(STATUS_LIST_SIZE) == StatusSlot(1, 0)


def test_only_our_own_status_list_uris_name_a_list():
    assert SETTINGS.list_id_of("https://api.example.gov.vn/v1/status-lists/7") == 7
    for uri in ("https://evil.example/v1/status-lists/7", "https://api.example.gov.vn/v1/status-lists/7x", ""):
        assert SETTINGS.list_id_of(uri) is None


@pytest.mark.parametrize(
    "body, field",
    [
        ({"disclose": []}, "disclose"),
        ({"disclose": ["a", "a"]}, "disclose"),
        ({"disclose": ["a"], "ttl_seconds": 86401}, "ttl_seconds"),
        ({"disclose": ["a"], "ttl_seconds": 59}, "ttl_seconds"),
        ({"disclose": ["a"], "ttl_seconds": True}, "ttl_seconds"),
        ({"disclose": ["a"], "audience": "x" * 201}, "audience"),
    ],
)
def test_share_requests_are_checked(body, field):
    with pytest.raises(ValidationError) as refused:
        wallet_input.share_request(body)
    assert [p.field for p in refused.value.errors] == [field]


def test_a_personal_id_is_twelve_ascii_digits():
    arabic_digits = "٠٠١٠٩٠٠٠٠٠٠١"
    with pytest.raises(ValidationError) as refused:
        wallet_input.document_issue({"personal_id": arabic_digits, "type": "NOPE", "claims": {}})
    assert {p.field for p in refused.value.errors} == {"personal_id", "type"}


# --- services with fakes --------------------------------------------------------------------------------


def _document(**changes) -> WalletDocument:
    base = WalletDocument(
        document_id="d1",
        person_key="p1",
        credential_type="BIRTH_CERTIFICATE_EXTRACT",
        vct="urn:vct",
        issuer=SETTINGS.issuer,
        issuer_agency_id="issuer",
        issuer_name_vi="Sở",
        issuer_name_en="Department",
        claims={"full_name": "An"},
        status=S.VALID,
        issued_at=NOW,
        expires_at=None,
        status_list_id=0,
        status_index=3,
        sd_jwt="jwt~d~",
    )
    return replace(base, **changes)


class FakeDocuments:
    def __init__(self, document: WalletDocument, stale_writes: int = 0):
        self.document, self.stale_writes, self.writes = document, stale_writes, []

    def find(self, document_id):
        return (self.document.person_key, self.document.issuer_agency_id) if document_id == "d1" else None

    def load(self, person_key, document_id):
        return self.document if (person_key, document_id) == ("p1", "d1") else None

    def change_status(self, before, after, access):
        if self.stale_writes:
            self.stale_writes -= 1
            raise StaleDocument()
        self.writes.append((before.status, after.status, access.action))
        self.document = after

    def citizen_of(self, person_key):
        return "c1"


class FakePublisher:
    def __init__(self):
        self.messages = []

    def publish(self, message, delay_seconds=0, attributes=None):
        self.messages.append(message)


class FakeShares:
    def __init__(self, shares=()):
        self.shares = {s.share_id: s for s in shares}

    def get(self, share_id):
        return self.shares.get(share_id)

    def count_live(self, person_key, now, at_most):
        return sum(1 for s in self.shares.values() if s.person_key == person_key and s.is_live(now))

    def create(self, share):
        self.shares[share.share_id] = share

    def list_for_person(self, person_key, after, limit):
        return Page([s for s in self.shares.values() if s.person_key == person_key])


class FakeStatusLists:
    def __init__(self, token="", token_issued_at=0):
        self.stored = type("Stored", (), {})()
        self.stored.list_id, self.stored.status_list, self.stored.version = 0, StatusList(16), 1
        self.stored.token, self.stored.token_issued_at = token, token_issued_at
        self.kept = []

    def read(self, list_id):
        return self.stored if list_id == 0 else None

    def keep_token(self, stored, token, issued_at):
        self.kept.append((token, issued_at))


class FakeCredentials:
    issuer = SETTINGS.issuer

    def __init__(self):
        self.signed = 0

    def sign_status_list(self, status_list, uri, issued_at, ttl, expires_at):
        self.signed += 1
        return f"signed-{issued_at}"

    def present(self, sd_jwt, disclose):
        return "presentation"


def _ports(**parts) -> WalletPorts:
    defaults = dict.fromkeys(WalletPorts.__dataclass_fields__)
    defaults.update(settings=SETTINGS, publisher=FakePublisher(), **parts)
    return WalletPorts(**defaults)


def test_a_stale_status_change_is_retried_from_fresh_state():
    documents = FakeDocuments(_document(), stale_writes=2)
    ports = _ports(documents=documents)
    after = wallet_issuance.change_document_status(ISSUER, "d1", "suspend", "kiểm tra", ports, NOW)
    assert after.status == S.SUSPENDED and after.version == 1
    assert documents.writes == [(S.VALID, S.SUSPENDED, "document.suspend")]
    assert [m["event_id"] for m in ports.publisher.messages] == ["d1-suspended-1"]


def test_repeating_a_status_change_writes_nothing_and_tells_the_same_event_again():
    documents = FakeDocuments(_document(status=S.SUSPENDED, version=1))
    ports = _ports(documents=documents)
    wallet_issuance.change_document_status(ISSUER, "d1", "suspend", "kiểm tra", ports, NOW)
    assert documents.writes == []
    assert [m["event_id"] for m in ports.publisher.messages] == ["d1-suspended-1"]


def test_another_issuers_document_is_not_found():
    other = AgencyPrincipal("other-client", "other", frozenset({"documents:issue"}))
    with pytest.raises(NotFoundError, match="document_not_found"):
        wallet_issuance.change_document_status(
            other, "d1", "revoke", "x", _ports(documents=FakeDocuments(_document())), NOW
        )


def _share(share_id="s1", expires_at=NOW + 60) -> Share:
    return Share(share_id, "p1", "d1", "BIRTH_CERTIFICATE_EXTRACT", ("full_name",), "", "p", NOW - 10, expires_at)


def test_an_expired_share_is_not_found_even_before_ttl_deletes_it():
    ports = _ports(shares=FakeShares([_share(expires_at=NOW)]), documents=FakeDocuments(_document()))
    with pytest.raises(NotFoundError, match="share_not_found"):
        wallet.view_share("s1", ports, NOW)


def test_the_share_limit_counts_only_live_shares(monkeypatch):
    monkeypatch.setattr(wallet, "get_my_document", lambda *args: _document())
    live = [_share("a"), _share("b")]
    ports = _ports(shares=FakeShares([*live, _share("old", expires_at=NOW - 1)]))
    request = wallet_input.share_request({"disclose": ["full_name"]})
    with pytest.raises(ConflictError, match="share_limit_reached"):
        wallet.create_share(None, "d1", request, None, ports, NOW)
    expired = _ports(
        shares=FakeShares([_share("a"), _share("old", expires_at=NOW - 1)]),
        qr_codes=_Qr(),
        credentials=FakeCredentials(),
    )
    assert wallet.create_share(None, "d1", request, None, expired, NOW).share.presentation == "presentation"


class _Qr:
    def png(self, payload):
        return b"png"

    def svg(self, payload):
        return b"svg"


def test_the_status_list_token_is_kept_for_its_ttl_then_signed_again():
    credentials = FakeCredentials()
    fresh = _ports(status_lists=FakeStatusLists("kept", NOW - 299), credentials=credentials)
    assert wallet.status_list_token(0, fresh, NOW) == "kept" and credentials.signed == 0
    lists = FakeStatusLists("kept", NOW - 300)
    aged = _ports(status_lists=lists, credentials=credentials)
    assert wallet.status_list_token(0, aged, NOW) == f"signed-{NOW}" and lists.kept == [(f"signed-{NOW}", NOW)]
    with pytest.raises(NotFoundError, match="status_list_not_found"):
        wallet.status_list_token(5, aged, NOW)
