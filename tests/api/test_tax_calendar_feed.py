"""The tax calendar as an iCalendar feed: a link made by a level-2 session, read without login by the phone's
calendar app; a new link revokes the old, an unknown one is 404; the text follows RFC 5545."""

from chalicelib.domain.tax_ics import fold
from devstack.tax_data import BINH_MINH
from tests.contract.openapi import assert_response_matches

FEED = "/v1/me/tax/calendar/feed"


def feed_path(answer) -> str:
    return "/v1/tax/calendar/" + answer.json()["url"].rsplit("/", 1)[1]


def test_binh_s_feed_has_her_deadlines_and_her_company_s_with_a_reminder(api, binh, stack):
    made = api.post(FEED, headers=binh.auth)
    assert made.status_code == 201, made.text
    assert_response_matches(made, FEED, "POST")
    assert made.json()["webcal_url"].startswith("webcal://") and made.json()["url"].endswith(".ics")
    served = api.get(feed_path(made))
    assert served.status_code == 200, served.text
    assert served.headers["Content-Type"].startswith("text/calendar")
    raw = served.content
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    text = raw.decode("utf-8").replace("\r\n ", "")  # unfolded
    calendar = api.get("/v1/me/tax/calendar", headers=binh.auth).json()["items"]
    assert text.count("BEGIN:VEVENT") == len(calendar) and calendar
    for item in calendar:
        assert f"DTSTART;VALUE=DATE:{item['due_date'].replace('-', '')}" in text
    assert "Công ty TNHH Bình Minh Hà Nội" in text and BINH_MINH not in text.replace(f"{BINH_MINH[-4:]}@", "")
    assert text.count("TRIGGER:-P1D") == len(calendar)


def test_a_new_link_revokes_the_old_and_delete_revokes_it(api, binh):
    first = api.post(FEED, headers=binh.auth)
    second = api.post(FEED, headers=binh.auth)
    gone = api.get(feed_path(first))
    assert gone.status_code == 404 and gone.json()["code"] == "calendar_feed_not_found"
    assert_response_matches(gone, "/v1/tax/calendar/{feed}", "GET")
    assert api.get(feed_path(second)).status_code == 200
    assert api.delete(FEED, headers=binh.auth).status_code == 204
    assert api.get(feed_path(second)).status_code == 404
    again = api.delete(FEED, headers=binh.auth)
    assert again.status_code == 404 and again.json()["code"] == "calendar_feed_not_found"


def test_a_guessed_link_is_404_and_level_one_cannot_make_one(api, cuong):
    assert api.get("/v1/tax/calendar/" + "A" * 43 + ".ics").status_code == 404
    refused = api.post(FEED, headers=cuong.auth)
    assert refused.status_code == 403 and refused.json()["code"] == "eid_level_too_low"


def test_long_lines_fold_at_75_octets_without_splitting_a_character():
    line = "SUMMARY:" + "Thuế sử dụng đất phi nông nghiệp " * 5
    folded = fold(line).encode("utf-8")
    assert all(len(part) <= 75 for part in folded.split(b"\r\n"))
    assert folded.decode("utf-8").replace("\r\n ", "") == line
