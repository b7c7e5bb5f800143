"""The tax authority's JSON documents read into domain objects, and the payment report written as one.

Any missing or ill-typed member raises KeyError, TypeError or ValueError; the HTTP adapter turns those
into tax_authority_unavailable, since a citizen can do nothing about a malformed upstream answer.
"""

from datetime import UTC, date, datetime
from typing import Any

from chalicelib.domain.tax import (
    BusinessState,
    BusinessStatus,
    Dependant,
    TaxObligation,
    TaxOffice,
    TaxPayment,
    TaxProfile,
    TaxType,
)


def profile_from(doc: dict[str, Any]) -> TaxProfile:
    return TaxProfile(
        tax_code=_text(doc, "tax_code"),
        full_name=_text(doc, "name"),
        tax_office=_office(doc["tax_office"]),
        status=_text(doc, "status"),
        dependants=tuple(_dependant(item) for item in doc.get("dependants", ())),
    )


def obligations_from(doc: dict[str, Any]) -> list[TaxObligation]:
    return [_obligation(item) for item in doc["items"]]


def payments_from(doc: dict[str, Any]) -> list[TaxPayment]:
    return [payment_from(item) for item in doc["items"]]


def business_from(doc: dict[str, Any]) -> BusinessStatus:
    return BusinessStatus(
        tax_code=_text(doc, "tax_code"),
        name=_text(doc, "name"),
        state=BusinessState(doc["status"]),
        tax_office=_office(doc["tax_office"]),
    )


def businesses_from(doc: dict[str, Any]) -> list[BusinessStatus]:
    return [business_from(item) for item in doc["items"]]


def payment_from(doc: dict[str, Any]) -> TaxPayment:
    return TaxPayment(
        receipt_number=_text(doc, "receipt_number"),
        paid_at=_instant(doc["paid_at"]),
        amount_vnd=_vnd(doc, "amount_vnd"),
        obligation_ids=tuple(str(item) for item in doc["obligation_ids"]),
        reference=str(doc.get("reference") or ""),
    )


def payment_report(
    obligation_ids: tuple[str, ...], amount_vnd: int, reference: str, paid_at: datetime
) -> dict[str, Any]:
    instant = paid_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "reference": reference,
        "obligation_ids": list(obligation_ids),
        "amount_vnd": amount_vnd,
        "paid_at": instant,
    }


def _obligation(doc: dict[str, Any]) -> TaxObligation:
    kind = doc["tax_type"]
    return TaxObligation(
        obligation_id=_text(doc, "obligation_id"),
        tax_type=TaxType(_text(kind, "code"), _text(kind, "name_vi"), _text(kind, "name_en")),
        period=_text(doc, "period"),
        declared_vnd=_vnd(doc, "declared_vnd"),
        due_date=date.fromisoformat(doc["due_date"]),
        paid_vnd=_vnd(doc, "paid_vnd"),
        outstanding_vnd=_vnd(doc, "outstanding_vnd"),
    )


def _dependant(doc: dict[str, Any]) -> Dependant:
    return Dependant(
        full_name=_text(doc, "name"),
        relationship=_text(doc, "relationship"),
        tax_code=_text(doc, "tax_code"),
        registered_from=date.fromisoformat(doc["registered_from"]),
    )


def _office(doc: dict[str, Any]) -> TaxOffice:
    return TaxOffice(code=_text(doc, "code"), name=_text(doc, "name"))


def _instant(text: str) -> datetime:
    instant = datetime.fromisoformat(text)
    if instant.tzinfo is None:
        raise ValueError("an instant without an offset")
    return instant.astimezone(UTC)


def _text(doc: dict[str, Any], name: str) -> str:
    value = doc[name]
    if not isinstance(value, str):
        raise TypeError(f"{name} is not a string")
    return value


def _vnd(doc: dict[str, Any], name: str) -> int:
    value = doc[name]
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise TypeError(f"{name} is not a whole number of đồng")
    return value
