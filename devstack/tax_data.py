"""Demo data of the local tax authority, dated relative to today in Vietnam so it stays interesting:
items due in 3 and 20 days, items 40 days overdue, paid items with receipts. Fictitious people and firms.

Documents are in the authority's JSON shapes (see devstack/tax_authority.py). Tax codes pass the
check-digit rule; individuals' tax codes are their personal ID numbers (since mid-2025).
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

AN, BINH, CUONG = "001090000001", "001190000002", "001095000003"
BINH_MINH = "0109123458"
VIETNAM = timezone(timedelta(hours=7))
# Resolution 198/2025/QH15 abolished the business licence fee from 1 January 2026: 2025 is its last year.
LAST_LICENCE_FEE_YEAR = 2025

OFFICES = {
    "HN1": {"code": "10101", "name": "Thuế cơ sở 1 thành phố Hà Nội"},
    "HN2": {"code": "10102", "name": "Thuế cơ sở 2 thành phố Hà Nội"},
    "HN3": {"code": "10103", "name": "Thuế cơ sở 3 thành phố Hà Nội"},
    "HN": {"code": "10100", "name": "Thuế thành phố Hà Nội"},
}
TAX_TYPES = {
    "PIT": ("Thuế thu nhập cá nhân", "Personal income tax"),
    "HOUSEHOLD_BUSINESS": ("Thuế đối với hộ kinh doanh (GTGT, TNCN)", "Household business tax (VAT and PIT)"),
    "VAT": ("Thuế giá trị gia tăng", "Value added tax"),
    "CIT": ("Thuế thu nhập doanh nghiệp", "Corporate income tax"),
    "LICENCE_FEE": ("Lệ phí môn bài", "Business licence fee"),
    "NON_AGRI_LAND": ("Thuế sử dụng đất phi nông nghiệp", "Non-agricultural land-use tax"),
}


@dataclass
class TaxLedger:
    taxpayers: dict[str, dict[str, Any]] = field(default_factory=dict)
    obligations: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    payments: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    businesses: dict[str, dict[str, Any]] = field(default_factory=dict)
    representatives: dict[str, list[str]] = field(default_factory=dict)


def demo_ledger(today: date) -> TaxLedger:
    ledger = TaxLedger()
    _an(ledger, today)
    _binh(ledger, today)
    _cuong(ledger, today)
    _binh_minh(ledger, today)
    _other_businesses(ledger)
    return ledger


def _an(ledger: TaxLedger, today: date) -> None:
    child = {
        "name": "Nguyễn Minh Khang",
        "relationship": "con",
        "tax_code": "001218004567",
        "registered_from": "2023-01-01",
    }
    _taxpayer(ledger, AN, "Nguyễn Văn An", "HN1", [child])
    overdue = today - timedelta(days=40)
    _item(ledger, AN, "PIT", str(overdue.year - 1), 4_850_000, overdue)
    _item(ledger, AN, "PIT", str(overdue.year - 2), 3_200_000, _year_before(overdue), paid=True)
    land_due = today + timedelta(days=20)
    _item(ledger, AN, "NON_AGRI_LAND", str(land_due.year), 356_000, land_due)
    _item(ledger, AN, "NON_AGRI_LAND", str(land_due.year - 1), 342_000, _year_before(land_due), paid=True)


def _binh(ledger: TaxLedger, today: date) -> None:
    _taxpayer(ledger, BINH, "Trần Thị Bình", "HN2", [])
    due = today + timedelta(days=3)
    _item(ledger, BINH, "HOUSEHOLD_BUSINESS", _quarter_before(due), 4_500_000, due)
    earlier = due - timedelta(days=91)
    _item(ledger, BINH, "HOUSEHOLD_BUSINESS", _quarter_before(earlier), 4_200_000, earlier, paid=True)
    ledger.representatives[BINH] = [BINH_MINH]


def _cuong(ledger: TaxLedger, today: date) -> None:
    _taxpayer(ledger, CUONG, "Lê Văn Cường", "HN3", [])
    finalised = today - timedelta(days=40)
    _item(ledger, CUONG, "PIT", str(finalised.year - 1), 1_150_000, finalised, paid=True)


def _binh_minh(ledger: TaxLedger, today: date) -> None:
    _business(ledger, BINH_MINH, "Công ty TNHH Bình Minh Hà Nội", "active", "HN2")
    _taxpayer(ledger, BINH_MINH, "Công ty TNHH Bình Minh Hà Nội", "HN2", [])
    soon, overdue = today + timedelta(days=3), today - timedelta(days=40)
    _item(ledger, BINH_MINH, "VAT", _month_before(soon), 38_600_000, soon)
    _item(ledger, BINH_MINH, "VAT", _month_before(overdue), 27_450_000, overdue, paid_vnd=10_000_000)
    older = overdue - timedelta(days=30)
    _item(ledger, BINH_MINH, "VAT", _month_before(older), 31_200_000, older, paid=True)
    cit_due = today + timedelta(days=20)
    _item(ledger, BINH_MINH, "CIT", _quarter_before(cit_due), 15_000_000, cit_due)
    cit_earlier = cit_due - timedelta(days=91)
    _item(ledger, BINH_MINH, "CIT", _quarter_before(cit_earlier), 12_500_000, cit_earlier, paid=True)
    year = min(today.year, LAST_LICENCE_FEE_YEAR)
    fee_due = date(year, 1, 30)
    _item(ledger, BINH_MINH, "LICENCE_FEE", str(year), 2_000_000, fee_due, paid=fee_due < today)


def _other_businesses(ledger: TaxLedger) -> None:
    _business(ledger, BINH_MINH + "-001", "Chi nhánh Công ty TNHH Bình Minh Hà Nội tại Cầu Giấy", "active", "HN3")
    _business(ledger, "0108765438", "Công ty Cổ phần Thương mại Sông Hồng", "suspended", "HN1")
    _business(ledger, "0102345677", "Công ty TNHH Dịch vụ Hoàn Kiếm Xanh", "ceased", "HN1")


def _taxpayer(ledger: TaxLedger, code: str, name: str, office: str, dependants: list[dict[str, Any]]) -> None:
    ledger.taxpayers[code] = {
        "tax_code": code,
        "name": name,
        "status": "active",
        "tax_office": OFFICES[office],
        "dependants": dependants,
    }
    ledger.obligations.setdefault(code, [])
    ledger.payments.setdefault(code, [])


def _business(ledger: TaxLedger, code: str, name: str, status: str, office: str) -> None:
    ledger.businesses[code] = {"tax_code": code, "name": name, "status": status, "tax_office": OFFICES[office]}


def _item(
    ledger: TaxLedger,
    code: str,
    kind: str,
    period: str,
    declared: int,
    due: date,
    paid: bool = False,
    paid_vnd: int = 0,
) -> None:
    paid_vnd = declared if paid else paid_vnd
    obligation_id = f"{kind}-{period}-{code[-4:]}"
    vi, en = TAX_TYPES[kind]
    ledger.obligations[code].append(
        {
            "obligation_id": obligation_id,
            "tax_type": {"code": kind, "name_vi": vi, "name_en": en},
            "period": period,
            "declared_vnd": declared,
            "due_date": due.isoformat(),
            "paid_vnd": paid_vnd,
            "outstanding_vnd": declared - paid_vnd,
        }
    )
    if paid_vnd:
        ledger.payments[code].append(
            _receipt(due - timedelta(days=4), paid_vnd, obligation_id, len(ledger.payments[code]) + 1, code)
        )


def add_item(ledger: TaxLedger, code: str, kind: str, period: str, declared: int, due: date) -> None:
    """An unpaid obligation added after the start (the local authority's feed announces it)."""
    _item(ledger, code, kind, period, declared, due)


def _receipt(day: date, amount: int, obligation_id: str, number: int, code: str) -> dict[str, Any]:
    paid_at = datetime.combine(day, time(9, 15), VIETNAM).astimezone(UTC)
    return {
        "receipt_number": f"CT-{day:%Y%m%d}-{code[-4:]}{number:02d}",
        "paid_at": paid_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "amount_vnd": amount,
        "obligation_ids": [obligation_id],
        "reference": "",
    }


def _month_before(day: date) -> str:
    last_month = day.replace(day=1) - timedelta(days=1)
    return f"{last_month:%Y-%m}"


def _quarter_before(day: date) -> str:
    quarter = (day.month - 1) // 3
    return f"{day.year - 1}-Q4" if quarter == 0 else f"{day.year}-Q{quarter}"


def _year_before(day: date) -> date:
    return day - timedelta(days=365)
