"""The access log's pure rules: entries stored before category and channel read with them derived; the digest's
month in Vietnam time and its bounds in UTC; the digest's text in both languages."""

from datetime import UTC, datetime

import pytest

from chalicelib.domain.access_log import complete, digest_month, month_bounds, previous_month
from chalicelib.domain.dossiers import AccessEntry
from chalicelib.domain.events import AccessDigest
from chalicelib.domain.notification_templates import render_access_digest


def old(action: str, client_id: str = "hoan-kiem-one-stop") -> AccessEntry:
    return AccessEntry("a", "vi", "en", client_id, action, "x:1", "", "2026-11-30T14:03:49Z")


@pytest.mark.parametrize(
    "entry, category, channel",
    [
        (old("dossier.list"), "dossier", "agency_api"),
        (old("document.read"), "wallet_document", "agency_api"),
        (old("document.revoke", "ha-noi-justice-issuer"), "wallet_document", "issuer_api"),
        (old("document.share_view", "share:abc"), "share", "share_link"),
        (old("document.wallet_delivery", "openid4vci"), "wallet_document", "openid4vci"),
        (old("business_tax.profile.read", "delegation:d1"), "tax", "delegate"),
    ],
)
def test_an_entry_stored_before_categories_reads_with_them(entry, category, channel):
    read = complete(entry)
    assert (read.category, read.channel, read.related) == (category, channel, ())


def test_an_entry_that_names_them_keeps_them():
    entry = AccessEntry("a", "vi", "en", "c", "document.read", "x", "", "2026-11-30T14:03:49Z", "upload", "operator")
    assert complete(entry) == entry


def test_the_month_is_vietnams():
    assert digest_month("2026-11-30T17:00:00Z") == "2026-12"  # midnight in Hanoi
    assert digest_month("2026-11-30T16:59:59Z") == "2026-11"
    assert month_bounds("2026-12") == ("2026-11-30T17:00:00Z", "2026-12-31T17:00:00Z")
    assert previous_month(datetime(2027, 1, 1, 1, tzinfo=UTC)) == "2026-12"
    assert previous_month(datetime(2026, 11, 30, 18, tzinfo=UTC)) == "2026-11"  # already 1 December in Hanoi


def test_the_digest_says_how_many_organisations_in_which_month():
    digest = AccessDigest("e", "c", "2026-11", "3", "7")
    assert render_access_digest(digest, "en")[1] == "3 organisations accessed your data in November 2026."
    assert (
        render_access_digest(digest, "vi")[1] == "3 cơ quan, tổ chức đã truy cập dữ liệu của bạn trong tháng 11/2026."
    )
    assert "1 organisation accessed" in render_access_digest(AccessDigest("e", "c", "2026-01", "1", "1"), "en")[1]
