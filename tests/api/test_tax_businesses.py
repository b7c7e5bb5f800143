"""The public status of a business: no login, no amounts, rate-limited per client; bad codes 400 naming the rule."""

import pytest

from tests.api.test_rate_limits import assert_rate_limited, first_refusal


def test_anyone_sees_a_business_status_without_amounts(api):
    answer = api.get("/v1/tax/businesses/0108765438/status")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["name"] == "Công ty Cổ phần Thương mại Sông Hồng" and body["state"] == "suspended"
    assert body["tax_office"]["name"] == "Thuế cơ sở 1 thành phố Hà Nội"
    assert not any("vnd" in name for name in body)


def test_an_unknown_business_is_404_and_a_person_is_no_business(api):
    assert api.get("/v1/tax/businesses/1000000019/status").json()["code"] == "business_not_found"
    assert api.get("/v1/tax/businesses/001090000001/status").json()["code"] == "business_not_found"


@pytest.mark.parametrize(
    ("code", "problem"),
    [("0109123457", "tax_code_check_digit"), ("12345", "tax_code_wrong_length"), ("01091234AB", "tax_code_not_digits")],
)
def test_an_invalid_tax_code_is_400_saying_what_is_wrong(api, code, problem):
    answer = api.get(f"/v1/tax/businesses/{code}/status")
    assert answer.status_code == 400 and answer.json()["code"] == problem


def test_business_status_is_limited_per_client_ip(api, limits):
    limits(business_status_views_per_minute=1)
    refused = first_refusal(lambda: api.get("/v1/tax/businesses/0108765438/status"))
    assert_rate_limited(refused, "/v1/tax/businesses/{tax_code}/status", "GET", 60)
