"""E-tax for the logged-in citizen (eID level 2): what the tax authority holds about them, read through the
cache (services/tax_reads.py). Every answer says when the authority said it (`as_of`) and whether it is a
kept copy shown because the authority could not be asked now (`stale`)."""

import time
from typing import Any
from urllib.parse import urlsplit

from chalice import Response

from chalicelib import wiring
from chalicelib.api.access import PUBLIC, citizen
from chalicelib.api.http import ApiBlueprint, json_response
from chalicelib.api.limits import CALENDAR_FEED_READS
from chalicelib.api.pages import in_memory_page, list_body, only_known
from chalicelib.domain.instants import utc_instant
from chalicelib.domain.sessions import Principal
from chalicelib.domain.tax import TaxAnswer, TaxDebt, TaxObligation, TaxOffice, TaxPayment, TaxProfile
from chalicelib.domain.tax_ics import calendar_text
from chalicelib.errors import FieldProblem, ValidationError
from chalicelib.services import tax_businesses, tax_calendar, tax_reads
from chalicelib.wiring import tax as tax_wiring

tax_api = ApiBlueprint(__name__)
_LEVEL = 2  # tax data: only a session whose eID was verified in person


@tax_api.route("/v1/me/tax/profile", methods=["GET"], caller=citizen(level=_LEVEL))
def get_my_tax_profile(principal: Principal):
    params = _params(("refresh",))
    answer = tax_reads.my_profile(tax_wiring.tax_read_ports(), principal, refresh=refresh_asked(params))
    return json_response({**profile_body(answer.value), **freshness(answer)})


@tax_api.route("/v1/me/tax/obligations", methods=["GET"], caller=citizen(level=_LEVEL))
def list_my_obligations(principal: Principal):
    params = _params(LIST_PARAMS + ("year",))
    ports = tax_wiring.tax_read_ports()
    year = year_asked(params, tax_reads.today_in_vietnam(ports).year)
    answer = tax_reads.my_obligations(ports, principal, year, refresh=refresh_asked(params))
    return json_response(obligations_list(answer, params, f"tax-obligations:{principal.citizen_id}:{year}", year))


@tax_api.route("/v1/me/tax/debts", methods=["GET"], caller=citizen(level=_LEVEL))
def list_my_debts(principal: Principal):
    params = _params(LIST_PARAMS)
    answer = tax_reads.my_debts(tax_wiring.tax_read_ports(), principal, refresh=refresh_asked(params))
    return json_response(debts_list(answer, params, f"tax-debts:{principal.citizen_id}"))


@tax_api.route("/v1/me/tax/payments", methods=["GET"], caller=citizen(level=_LEVEL))
def list_my_payments(principal: Principal):
    params = _params(LIST_PARAMS)
    answer = tax_reads.my_payments(tax_wiring.tax_read_ports(), principal, refresh=refresh_asked(params))
    return json_response(payments_list(answer, params, f"tax-payments:{principal.citizen_id}"))


@tax_api.route("/v1/me/tax/calendar", methods=["GET"], caller=citizen(level=_LEVEL))
def list_my_tax_calendar(principal: Principal):
    params = _params(LIST_PARAMS)
    refresh = refresh_asked(params)
    readable = tax_businesses.my_businesses(tax_wiring.business_ports(), principal, refresh)
    businesses = [item.business for item in readable]
    answer = tax_reads.my_calendar(tax_wiring.tax_read_ports(), principal, businesses, refresh)
    kind = f"tax-calendar:{principal.citizen_id}"
    page = in_memory_page(answer.value, params, kind)
    return json_response(
        list_body(page, kind, calendar_entry_body, horizon_days=tax_reads.CALENDAR_DAYS, **freshness(answer))
    )


def calendar_entry_body(entry: tax_reads.CalendarEntry) -> dict[str, Any]:
    whose = {"tax_code": entry.tax_code, "role": "business" if entry.business_name else "self"}
    if entry.business_name:
        whose["name"] = entry.business_name
    return {**obligation_body(entry.deadline.obligation), "days_left": entry.deadline.days_left, "taxpayer": whose}


@tax_api.route("/v1/me/tax/calendar/feed", methods=["POST"], caller=citizen(level=_LEVEL))
def create_my_tax_calendar_feed(principal: Principal):
    """A new subscription link for the phone's calendar; any earlier link stops working."""
    _params(())
    token = tax_calendar.new_feed_token(principal, tax_wiring.calendar_feeds(), int(time.time()))
    url = f"{wiring.settings().credential_issuer}/v1/tax/calendar/{token}.ics"
    return json_response({"url": url, "webcal_url": "webcal://" + url.partition("://")[2]}, status=201)


@tax_api.route("/v1/me/tax/calendar/feed", methods=["DELETE"], caller=citizen(level=_LEVEL))
def revoke_my_tax_calendar_feed(principal: Principal):
    tax_calendar.revoke_feed(principal, tax_wiring.calendar_feeds())
    return json_response(None, status=204)


@tax_api.route("/v1/tax/calendar/{feed}", methods=["GET"], caller=PUBLIC, limit=CALENDAR_FEED_READS)
def get_tax_calendar_feed(feed):
    """The feed itself (text/calendar), for calendar apps: the link is the credential."""
    _params(())
    token = feed.removesuffix(".ics")
    answer = tax_calendar.feed_calendar(
        token, tax_wiring.calendar_feeds(), wiring.citizens(), tax_wiring.tax_read_ports(), _readable_businesses
    )
    entries = [(entry.deadline, entry.tax_code, entry.business_name) for entry in answer.value]
    text = calendar_text(entries, answer.as_of, urlsplit(wiring.settings().credential_issuer).hostname or "localhost")
    headers = {"Content-Type": "text/calendar; charset=utf-8", "Cache-Control": "private, max-age=900"}
    return Response(body=text, status_code=200, headers=headers)


def _readable_businesses(principal: Principal) -> list:
    return [item.business for item in tax_businesses.my_businesses(tax_wiring.business_ports(), principal)]


# --- shared by the citizen's own routes and a business's (api/businesses.py): one shape for both ------------

LIST_PARAMS = ("refresh", "limit", "cursor")
YEARS = range(2000, 2100)  # the authority's electronic records start in 2000; a year ahead is simply empty


def year_asked(params: dict[str, str], this_year: int) -> int:
    """`year=YYYY` within YEARS; this year in Vietnam if absent."""
    raw = params.get("year")
    if raw is None:
        return this_year
    if not (raw.isascii() and raw.isdigit() and len(raw) == 4 and int(raw) in YEARS):
        raise ValidationError(errors=(FieldProblem("year", "tax_year_out_of_range"),))
    return int(raw)


def obligations_list(answer: TaxAnswer, params: dict[str, str], kind: str, year: int) -> dict[str, Any]:
    page = in_memory_page(sorted(answer.value, key=_due_order), params, kind)
    return list_body(page, kind, obligation_body, year=year, **freshness(answer))


def debts_list(answer: TaxAnswer, params: dict[str, str], kind: str) -> dict[str, Any]:
    report: tax_reads.DebtReport = answer.value
    page = in_memory_page(report.debts, params, kind)
    totals = {
        "outstanding_vnd": report.outstanding_vnd,
        "interest_vnd": report.interest_vnd,
        "total_vnd": report.outstanding_vnd + report.interest_vnd,
    }
    extra = {"interest_to": report.interest_to.isoformat(), "daily_rate_percent": "0.03", "totals": totals}
    return list_body(page, kind, debt_body, **extra, **freshness(answer))


def payments_list(answer: TaxAnswer, params: dict[str, str], kind: str) -> dict[str, Any]:
    return list_body(in_memory_page(answer.value, params, kind), kind, payment_body, **freshness(answer))


def obligation_body(obligation: TaxObligation) -> dict[str, Any]:
    kind = obligation.tax_type
    return {
        "obligation_id": obligation.obligation_id,
        "tax_type": {"code": kind.code, "name": {"vi": kind.name_vi, "en": kind.name_en}},
        "period": obligation.period,
        "declared_vnd": obligation.declared_vnd,
        "due_date": obligation.due_date.isoformat(),
        "paid_vnd": obligation.paid_vnd,
        "outstanding_vnd": obligation.outstanding_vnd,
    }


def debt_body(debt: TaxDebt) -> dict[str, Any]:
    return {
        **obligation_body(debt.obligation),
        "overdue_days": debt.overdue_days,
        "interest_days": debt.interest_days,
        "interest_vnd": debt.interest_vnd,
        "total_vnd": debt.total_vnd,
    }


def payment_body(payment: TaxPayment) -> dict[str, Any]:
    return {
        "receipt_number": payment.receipt_number,
        "paid_at": utc_instant(payment.paid_at.timestamp()),
        "amount_vnd": payment.amount_vnd,
        "obligation_ids": list(payment.obligation_ids),
    }


def _due_order(obligation: TaxObligation) -> tuple:
    return (obligation.due_date, obligation.obligation_id)


def _params(known: tuple[str, ...]) -> dict[str, str]:
    params = tax_api.current_request.query_params or {}
    only_known(params, known)
    return params


def refresh_asked(params: dict[str, str]) -> bool:
    raw = params.get("refresh", "false")
    if raw not in ("true", "false"):
        raise ValidationError(errors=(FieldProblem("refresh", "invalid_format"),))
    return raw == "true"


def freshness(answer: TaxAnswer) -> dict[str, Any]:
    return {"as_of": utc_instant(answer.as_of), "stale": answer.stale}


def profile_body(profile: TaxProfile) -> dict[str, Any]:
    return {
        "tax_code": profile.tax_code,
        "full_name": profile.full_name,
        "tax_office": office_body(profile.tax_office),
        "status": profile.status,
        "dependants": [
            {
                "full_name": dependant.full_name,
                "relationship": dependant.relationship,
                "tax_code": dependant.tax_code,
                "registered_from": dependant.registered_from.isoformat(),
            }
            for dependant in profile.dependants
        ],
    }


def office_body(office: TaxOffice) -> dict[str, str]:
    return {"code": office.code, "name": office.name}
