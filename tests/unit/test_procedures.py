"""Pure rules of the procedure catalog: folding, search, the seeded data, and the cursor codec."""

import unicodedata

import pytest

from chalicelib import wiring
from chalicelib.api.cursors import decode_cursor, encode_cursor
from chalicelib.domain import procedure_catalog
from chalicelib.domain.procedures import OnlineLevel, fold, search
from chalicelib.errors import NotFoundError, ValidationError
from chalicelib.services import procedures

CATALOG = list(procedure_catalog.procedures_by_code().values())


def codes(found) -> set[str]:
    return {p.code for p in found}


@pytest.mark.parametrize(
    "text, folded",
    [
        ("Đăng ký khai sinh", "dang ky khai sinh"),
        ("ĐỒNG Ý, đường", "dong y duong"),
        (unicodedata.normalize("NFD", "Giấy phép lái xe"), "giay phep lai xe"),
        ("  Cấp  lại   hộ chiếu!  ", "cap lai ho chieu"),
        ("KHAI_SINH", "khai sinh"),
    ],
)
def test_fold_strips_case_marks_and_d_stroke(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(
    "query",
    [
        "dang ky khai sinh",
        "ĐĂNG KÝ KHAI SINH",
        "Đăng ký khai sinh",
        unicodedata.normalize("NFD", "đăng ký khai sinh"),
        "birth registration",
    ],
)
def test_search_ignores_case_and_diacritics(query):
    assert "KHAI_SINH" in codes(search(procedure_catalog.search_index(), query))


def test_every_word_must_match_the_start_of_a_word():
    index = procedure_catalog.search_index()
    assert codes(search(index, "khai sinh thuong tru")) == {"LIEN_THONG_KHAI_SINH"}
    assert "GPLX_DOI" in codes(search(index, "lai xe"))
    assert not codes(search(index, "hai sinh"))
    assert not codes(search(index, "khai sinh zzz"))


def test_search_by_agency_and_empty_query():
    index = procedure_catalog.search_index()
    assert len(search(index, "")) == len(CATALOG)
    police = search(index, "", agency="CONG_AN_XA")
    assert police and all(p.agency.code == "CONG_AN_XA" for p in police)
    assert {"THUONG_TRU", "TAM_TRU"} <= codes(police)
    assert search(index, "", agency="NO_SUCH_AGENCY") == []


def test_catalog_seeds_the_essential_services():
    assert len(CATALOG) >= 25
    assert len({p.code for p in CATALOG}) == len(CATALOG)
    essentials = {
        "KHAI_SINH",
        "KHAI_TU",
        "KET_HON",
        "THUONG_TRU",
        "TAM_TRU",
        "LY_LICH_TU_PHAP",
        "GPLX_DOI",
        "HO_KINH_DOANH",
        "BHYT_CAP_LAI",
        "TRO_CAP_THAT_NGHIEP",
        "LUONG_HUU",
        "GIAY_PHEP_XAY_DUNG",
        "DAT_DAI_LAN_DAU",
        "HO_CHIEU",
        "DANG_KY_XE_MO_TO",
        "DANG_KY_XE_O_TO",
    }
    assert essentials <= {p.code for p in CATALOG}


@pytest.mark.parametrize("procedure", CATALOG, ids=lambda p: p.code)
def test_each_procedure_is_complete_in_both_languages(procedure):
    texts = [procedure.name_vi, procedure.name_en, procedure.agency.name_vi, procedure.agency.name_en]
    texts += [t for fee in procedure.fees for t in (fee.description_vi, fee.description_en)]
    texts += [t for doc in procedure.documents for t in (doc.name_vi, doc.name_en)]
    texts += [t for field in procedure.form_fields for t in (field.label_vi, field.label_en)]
    assert all(text.strip() and text == unicodedata.normalize("NFC", text) for text in texts)
    assert procedure.fees and all(fee.amount_vnd >= 0 for fee in procedure.fees)
    assert procedure.processing_working_days > 0 and procedure.documents
    assert bool(procedure.form_fields) == procedure.can_be_done_online
    assert len({field.name for field in procedure.form_fields}) == len(procedure.form_fields)


def test_catalog_is_ordered_by_code_and_mostly_online():
    assert [p.code for p in CATALOG] == sorted(p.code for p in CATALOG)
    assert sum(p.online_level is OnlineLevel.FULL for p in CATALOG) > len(CATALOG) / 2


def test_service_pages_follow_each_other_without_gaps():
    seen, cursor = [], None
    while True:
        page = procedures.search_procedures("", None, cursor, 7)
        seen += [p.code for p in page.items]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == [p.code for p in CATALOG]


def test_service_unknown_code_is_not_found():
    assert procedures.get_procedure("KHAI_SINH").name_vi == "Đăng ký khai sinh"
    with pytest.raises(NotFoundError) as raised:
        procedures.get_procedure("NO_SUCH")
    assert raised.value.code == "procedure_not_found"


# --- the cursor codec ---------------------------------------------------------------------------------


class _Secrets:
    """An in-memory stand-in for the Secrets Manager adapter (same get() as the real one)."""

    def __init__(self, value: str):
        self.value = value

    def get(self, secret_id: str) -> str:
        return self.value


@pytest.fixture
def signing_key(settings_env):
    secrets = _Secrets("unit-test-key")
    wiring.override("secrets", secrets)
    yield secrets
    wiring.reset()


def test_cursor_round_trip(signing_key):
    payload = {"q": "khai sinh", "after": "KHAI_SINH", "agency": None}
    assert decode_cursor("procedures", encode_cursor("procedures", payload)) == payload


@pytest.mark.parametrize(
    "mangle",
    [
        lambda c: c[:-2] + ("AA" if not c.endswith("AA") else "BB"),
        lambda c: "eyJhZnRlciI6IlpaWiJ9",  # a readable JSON payload, as cursors once were
        lambda c: c[:20],
        lambda c: "not a cursor",
        lambda c: "é" + c[1:],
        lambda c: c + "x" * 2000,
    ],
)
def test_cursor_tampered_or_malformed_is_refused(signing_key, mangle):
    cursor = encode_cursor("procedures", {"after": "KHAI_SINH"})
    with pytest.raises(ValidationError) as raised:
        decode_cursor("procedures", mangle(cursor))
    assert raised.value.code == "cursor_invalid"


def test_cursor_of_another_kind_or_key_is_refused(signing_key, monkeypatch):
    cursor = encode_cursor("dossiers", {"after": "x"})
    with pytest.raises(ValidationError):
        decode_cursor("procedures", cursor)
    signing_key.value = "another-key"
    with pytest.raises(ValidationError):
        decode_cursor("dossiers", cursor)
