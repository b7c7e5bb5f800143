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
from chalicelib.domain.tax_alerts import TaxChange, TaxChanges


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


# --- domain objects written back in the authority's shapes (the cache keeps answers as the authority gave them)


def profile_doc(profile: TaxProfile) -> dict[str, Any]:
    return {
        "tax_code": profile.tax_code,
        "name": profile.full_name,
        "tax_office": _office_doc(profile.tax_office),
        "status": profile.status,
        "dependants": [
            {
                "name": d.full_name,
                "relationship": d.relationship,
                "tax_code": d.tax_code,
                "registered_from": d.registered_from.isoformat(),
            }
            for d in profile.dependants
        ],
    }


def obligations_doc(obligations: list[TaxObligation]) -> dict[str, Any]:
    return {"items": [_obligation_doc(item) for item in obligations]}


def payments_doc(payments: list[TaxPayment]) -> dict[str, Any]:
    return {"items": [payment_doc(item) for item in payments]}


def payment_doc(payment: TaxPayment) -> dict[str, Any]:
    return {
        "receipt_number": payment.receipt_number,
        "paid_at": payment.paid_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "amount_vnd": payment.amount_vnd,
        "obligation_ids": list(payment.obligation_ids),
        "reference": payment.reference,
    }


def business_doc(business: BusinessStatus) -> dict[str, Any]:
    return {
        "tax_code": business.tax_code,
        "name": business.name,
        "status": business.state.value,
        "tax_office": _office_doc(business.tax_office),
    }


def businesses_doc(businesses: list[BusinessStatus]) -> dict[str, Any]:
    return {"items": [business_doc(item) for item in businesses]}


def _obligation_doc(obligation: TaxObligation) -> dict[str, Any]:
    kind = obligation.tax_type
    return {
        "obligation_id": obligation.obligation_id,
        "tax_type": {"code": kind.code, "name_vi": kind.name_vi, "name_en": kind.name_en},
        "period": obligation.period,
        "declared_vnd": obligation.declared_vnd,
        "due_date": obligation.due_date.isoformat(),
        "paid_vnd": obligation.paid_vnd,
        "outstanding_vnd": obligation.outstanding_vnd,
    }


def _office_doc(office: TaxOffice) -> dict[str, Any]:
    return {"code": office.code, "name": office.name}


# --- the change feed (tax alerts)


def changes_from(doc: dict[str, Any]) -> TaxChanges:
    return TaxChanges([_change(item) for item in doc["items"]], _text(doc, "next_cursor"), bool(doc["has_more"]))


def _change(doc: dict[str, Any]) -> TaxChange:
    taxpayer = doc["taxpayer"]
    sequence = doc["sequence"]
    if not isinstance(sequence, int):
        raise TypeError("sequence is not a number")
    return TaxChange(
        sequence=sequence,
        tax_code=_text(taxpayer, "tax_code"),
        taxpayer_name=_text(taxpayer, "name"),
        is_business=_text(taxpayer, "kind") == "business",
        representatives=tuple(str(pid) for pid in taxpayer.get("legal_representatives", ())),
        obligation=_obligation(doc["obligation"]),
    )
