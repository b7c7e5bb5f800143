"""The public procedure catalog over HTTP: search, pagination by sealed cursor, detail, errors, caching."""

import unicodedata

import pytest

from tests.contract.openapi import assert_response_matches

SEARCH, DETAIL = "/v1/procedures", "/v1/procedures/{code}"


def search(api, **params):
    answer = api.get(SEARCH, params=params)
    assert_response_matches(answer, SEARCH, "GET")
    return answer


def codes(answer) -> list[str]:
    assert answer.status_code == 200, answer.text
    return [item["code"] for item in answer.json()["items"]]


@pytest.mark.parametrize(
    "q",
    ["dang ky khai sinh", "Đăng ký khai sinh", "ĐĂNG KÝ KHAI SINH", unicodedata.normalize("NFD", "đăng ký khai sinh")],
)
def test_search_ignores_case_and_diacritics(api, q):
    answer = search(api, q=q)
    assert "KHAI_SINH" in codes(answer)
    assert answer.headers["Cache-Control"] == "public, max-age=300"


def test_search_needs_no_login_and_answers_both_languages(api):
    item = next(i for i in search(api, q="ly lich tu phap").json()["items"] if i["code"] == "LY_LICH_TU_PHAP")
    assert item["name_vi"] == "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam"
    assert item["name_en"] and item["agency"]["code"] == "SO_TU_PHAP" and item["can_be_done_online"]


def test_agency_filter(api):
    items = search(api, agency="CONG_AN_XA", limit="50").json()["items"]
    assert {"THUONG_TRU", "TAM_TRU"} <= {i["code"] for i in items}
    assert all(i["agency"]["code"] == "CONG_AN_XA" for i in items)
    assert codes(search(api, agency="CONG_AN_XA", q="khai sinh")) == []


def test_pagination_walks_every_result_once(api):
    everything = codes(search(api, limit="50"))
    assert len(everything) >= 25
    seen, params = [], {"limit": "7"}
    while True:
        page = search(api, **params).json()
        seen += [item["code"] for item in page["items"]]
        if page["next_cursor"] is None:
            break
        params = {"limit": "7", "cursor": page["next_cursor"]}
    assert seen == everything and len(set(seen)) == len(seen)


def test_pagination_keeps_the_search(api):
    first = search(api, q="dang ky", limit="2").json()
    second = search(api, q="dang ky", limit="50", cursor=first["next_cursor"]).json()
    assert all(item["code"] > first["items"][-1]["code"] for item in second["items"])
    other = search(api, q="cap lai", cursor=first["next_cursor"])
    assert other.status_code == 400 and other.json()["code"] == "cursor_invalid"


@pytest.mark.parametrize(
    "tamper",
    [
        lambda c: c[:-3] + ("xyz" if not c.endswith("xyz") else "abc"),
        lambda c: c.split(".")[0] + ".",
        lambda c: "garbage",
    ],
)
def test_tampered_cursor_is_400(api, tamper):
    cursor = search(api, limit="1").json()["next_cursor"]
    answer = search(api, limit="1", cursor=tamper(cursor))
    assert answer.status_code == 400 and answer.json()["code"] == "cursor_invalid", answer.text
    assert answer.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("limit", ["0", "101", "abc", "-1", "1.5", "٣"])
def test_bad_limit_is_400_with_a_field_problem(api, limit):
    answer = search(api, limit=limit)
    assert answer.status_code == 400, answer.text
    body = answer.json()
    assert body["code"] == "invalid_request" and [e["field"] for e in body["errors"]] == ["limit"]


def test_all_bad_parameters_are_reported_at_once(api):
    answer = search(api, q="x" * 201, agency="A" * 65, limit="101")
    assert answer.status_code == 400
    assert {e["field"] for e in answer.json()["errors"]} == {"q", "agency", "limit"}


def test_detail_has_everything(api):
    answer = api.get("/v1/procedures/KHAI_SINH")
    assert answer.status_code == 200, answer.text
    assert_response_matches(answer, DETAIL, "GET")
    assert answer.headers["Cache-Control"] == "public, max-age=300"
    body = answer.json()
    assert body["name_vi"] == "Đăng ký khai sinh" and body["name_en"] == "Birth registration"
    assert body["processing_working_days"] >= 1 and body["fees"] and body["required_documents"]
    assert body["online_level"] == "full" and {"child_full_name", "child_birthdate"} <= {
        f["name"] for f in body["form_fields"]
    }


def test_every_listed_procedure_has_a_valid_detail(api):
    for code in codes(search(api, limit="50")):
        answer = api.get(f"/v1/procedures/{code}")
        assert answer.status_code == 200, answer.text
        assert_response_matches(answer, DETAIL, "GET")


@pytest.mark.parametrize("language, fragment", [("vi", "thủ tục"), ("en", "procedure")])
def test_unknown_code_is_404_in_the_callers_language(api, language, fragment):
    answer = api.get("/v1/procedures/NO_SUCH_PROCEDURE", headers={"Accept-Language": language})
    assert answer.status_code == 404, answer.text
    assert_response_matches(answer, DETAIL, "GET")
    assert answer.json()["code"] == "procedure_not_found" and answer.headers["Content-Language"] == language
    assert fragment in answer.json()["detail"]


AGENCIES = "/v1/procedures/{code}/agencies"


def online_agencies(api, code, **params):
    answer = api.get(AGENCIES.format(code=code), params=params)
    assert_response_matches(answer, AGENCIES, "GET")
    return answer


def test_a_citizen_app_sees_which_agencies_take_an_online_filing(api):
    """The `agency_id` of an online filing was nowhere a citizen app could see (issue 8)."""
    both = online_agencies(api, "KHAI_SINH")
    assert both.status_code == 200 and both.headers["Cache-Control"] == "public, max-age=60"
    assert [a["agency_id"] for a in both.json()["items"]] == ["ubnd-ba-dinh", "ubnd-hoan-kiem"]
    assert both.json()["items"][1]["name_vi"] == "UBND phường Hoàn Kiếm — Bộ phận một cửa"
    first = online_agencies(api, "KHAI_SINH", limit="1").json()
    rest = online_agencies(api, "KHAI_SINH", limit="1", cursor=first["next_cursor"]).json()
    assert [a["agency_id"] for a in first["items"] + rest["items"]] == ["ubnd-ba-dinh", "ubnd-hoan-kiem"]
    assert rest["next_cursor"] is None
    assert [a["agency_id"] for a in online_agencies(api, "KET_HON").json()["items"]] == ["ubnd-ba-dinh"]


def test_no_connected_agency_is_an_empty_list_and_an_unknown_procedure_404(api):
    assert online_agencies(api, "KHAI_TU").json() == {"items": [], "next_cursor": None}
    unknown = online_agencies(api, "NOT_A_PROCEDURE")
    assert unknown.status_code == 404 and unknown.json()["code"] == "procedure_not_found"
    other_list = online_agencies(
        api, "KET_HON", cursor=online_agencies(api, "KHAI_SINH", limit="1").json()["next_cursor"]
    )
    assert other_list.status_code == 400 and other_list.json()["code"] == "cursor_invalid"
