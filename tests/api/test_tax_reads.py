"""A citizen's obligations, debts and receipts through HTTP, from the local tax authority over its real HTTP
API: the numbers are the authority's demo ledger, late-payment interest is computed here from that ledger and
the rule of the law, not copied; a kept copy is served stale while the authority fails."""

from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest

from devstack.tax_data import AN, BINH, BINH_MINH
from tests.api.test_tax_profile import authority  # noqa: F401 (fixture)
from tests.conftest import HOLDER
from tests.contract.openapi import assert_response_matches

VIETNAM = timedelta(hours=7)


def vietnam_today(clock) -> date:
    return (datetime.fromtimestamp(clock(), UTC) + VIETNAM).date()


def ledger_items(stack, code: str) -> list[dict]:
    return stack.tax_authority.ledger.obligations[code]


def test_an_sees_his_obligations_of_a_year_as_the_authority_holds_them(api, an, stack, clock):
    year = vietnam_today(clock).year
    answer = api.get("/v1/me/tax/obligations", headers=an.auth, params={"year": str(year)})
    assert answer.status_code == 200, answer.text
    assert_response_matches(answer, "/v1/me/tax/obligations", "GET")
    expected = [o for o in ledger_items(stack, AN) if o["due_date"].startswith(f"{year}-")]
    got = {o["obligation_id"]: o for o in answer.json()["items"]}
    assert set(got) == {o["obligation_id"] for o in expected} and got
    for item in expected:
        mine = got[item["obligation_id"]]
        assert (mine["declared_vnd"], mine["paid_vnd"], mine["outstanding_vnd"], mine["due_date"]) == (
            item["declared_vnd"],
            item["paid_vnd"],
            item["outstanding_vnd"],
            item["due_date"],
        )
        assert mine["tax_type"]["name"]["vi"] == item["tax_type"]["name_vi"]
    dues = [o["due_date"] for o in answer.json()["items"]]
    assert dues == sorted(dues) and answer.json()["year"] == year


def test_an_s_debt_carries_interest_at_three_in_ten_thousand_a_day(api, an, stack, clock):
    answer = api.get("/v1/me/tax/debts", headers=an.auth)
    assert answer.status_code == 200, answer.text
    assert_response_matches(answer, "/v1/me/tax/debts", "GET")
    today = vietnam_today(clock)
    overdue = [o for o in ledger_items(stack, AN) if o["outstanding_vnd"] and date.fromisoformat(o["due_date"]) < today]
    body = answer.json()
    assert [d["obligation_id"] for d in body["items"]] == [o["obligation_id"] for o in overdue] and overdue
    debt, source = body["items"][0], overdue[0]
    days_late = (today - date.fromisoformat(source["due_date"])).days
    exact = Decimal(source["outstanding_vnd"]) * Decimal("0.0003") * (days_late - 1)
    expected_interest = int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    assert (debt["overdue_days"], debt["interest_days"]) == (days_late, days_late - 1)
    assert debt["interest_vnd"] == expected_interest
    assert debt["total_vnd"] == source["outstanding_vnd"] + expected_interest
    assert body["interest_to"] == today.isoformat()
    assert body["totals"]["total_vnd"] == sum(d["total_vnd"] for d in body["items"])


def test_an_sees_his_receipts_newest_first(api, an, stack):
    answer = api.get("/v1/me/tax/payments", headers=an.auth)
    assert answer.status_code == 200, answer.text
    assert_response_matches(answer, "/v1/me/tax/payments", "GET")
    items = answer.json()["items"]
    demo = {p["receipt_number"]: p for p in stack.tax_authority.ledger.payments[AN]}
    assert {p["receipt_number"] for p in items} >= set(demo) and items
    assert [p["paid_at"] for p in items] == sorted((p["paid_at"] for p in items), reverse=True)
    first = next(p for p in items if p["receipt_number"] in demo)
    assert first["amount_vnd"] == demo[first["receipt_number"]]["amount_vnd"]


def test_binh_sees_hers_not_ans(api, binh, stack):
    answer = api.get("/v1/me/tax/obligations", headers=binh.auth)
    assert answer.status_code == 200
    ids = {o["obligation_id"] for o in answer.json()["items"]}
    assert ids and all(i.endswith(BINH[-4:]) for i in ids)


@pytest.mark.parametrize("path", ["/v1/me/tax/obligations", "/v1/me/tax/debts", "/v1/me/tax/payments"])
def test_level_one_is_told_level_two_is_needed(api, cuong, path):
    answer = api.get(path, headers=cuong.auth)
    assert answer.status_code == 403 and answer.json()["code"] == "eid_level_too_low"
    assert_response_matches(answer, path, "GET")


@pytest.mark.parametrize("year", ["1999", "26", "20x6", "2100", "02026"])
def test_a_year_outside_the_records_is_400_naming_year(api, an, year):
    answer = api.get("/v1/me/tax/obligations", headers=an.auth, params={"year": year})
    assert answer.status_code == 400, answer.text
    assert answer.json()["errors"][0] == {
        "field": "year",
        "code": "tax_year_out_of_range",
        "detail": "Năm phải gồm 4 chữ số, từ 2000 đến 2099.",
    }
    assert_response_matches(answer, "/v1/me/tax/obligations", "GET")


def test_an_unknown_parameter_is_400(api, an):
    answer = api.get("/v1/me/tax/debts", headers=an.auth, params={"since": "2020"})
    assert answer.status_code == 400 and answer.json()["errors"][0]["field"] == "since"


def test_debts_are_served_stale_while_the_authority_fails_and_interest_still_runs(api, an, authority, clock):  # noqa: F811
    first = api.get("/v1/me/tax/debts?refresh=true", headers=an.auth).json()
    authority.set_fault("fail")
    clock.advance(2 * 86400)
    answer = api.get("/v1/me/tax/debts", headers=an.auth)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["stale"] is True and body["as_of"] == first["as_of"]
    assert body["items"][0]["interest_days"] == first["items"][0]["interest_days"] + 2


@pytest.mark.parametrize("path", ["/v1/me/tax/debts", "/v1/me/tax/profile"])
def test_an_unknown_taxpayer_is_404_and_with_nothing_kept_an_outage_is_503(api, authority, path):  # noqa: F811
    holder = api.login(HOLDER.personal_id)
    assert api.get(path, headers=holder.auth).json()["code"] == "taxpayer_not_found"
    authority.set_fault("fail")
    answer = api.get(path, headers=holder.auth)
    assert answer.status_code == 503 and answer.json()["code"] == "tax_authority_unavailable"
    assert int(answer.headers["Retry-After"]) > 0
    assert_response_matches(answer, path, "GET")


def test_binh_s_calendar_has_her_own_deadline_and_her_company_s(api, binh, stack, clock):
    answer = api.get("/v1/me/tax/calendar", headers=binh.auth)
    assert answer.status_code == 200, answer.text
    assert_response_matches(answer, "/v1/me/tax/calendar", "GET")
    today = vietnam_today(clock)
    expected = {
        (o["obligation_id"], code)
        for code in (BINH, BINH_MINH)
        for o in ledger_items(stack, code)
        if o["outstanding_vnd"] and 0 <= (date.fromisoformat(o["due_date"]) - today).days <= 90
    }
    items = answer.json()["items"]
    assert {(i["obligation_id"], i["taxpayer"]["tax_code"]) for i in items} == expected and expected
    company = next(i for i in items if i["taxpayer"]["role"] == "business")
    assert company["taxpayer"]["name"] == stack.tax_authority.ledger.businesses[BINH_MINH]["name"]
    assert company["days_left"] == (date.fromisoformat(company["due_date"]) - today).days
    assert [i["due_date"] for i in items] == sorted(i["due_date"] for i in items)


def test_a_timed_out_authority_serves_the_kept_receipts_stale(api, an, authority, clock):  # noqa: F811
    first = api.get("/v1/me/tax/payments?refresh=true", headers=an.auth).json()
    authority.set_fault("timeout", delay_seconds=5)  # longer than the adapter's 3-second timeout
    clock.advance(3600)
    answer = api.get("/v1/me/tax/payments", headers=an.auth)
    assert answer.status_code == 200, answer.text
    assert answer.json()["stale"] is True and answer.json()["items"] == first["items"]
