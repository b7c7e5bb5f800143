"""Tax deadlines as an iCalendar feed (RFC 5545) for the phone's calendar: one all-day VEVENT per unpaid
obligation due ahead, with a reminder the day before. CRLF line endings, lines folded at 75 octets."""

from datetime import UTC, datetime, timedelta

from chalicelib.domain.tax import Deadline

PRODUCT_ID = "-//citizen-app//tax calendar//VI"


def calendar_text(entries: list[tuple[Deadline, str, str]], stamp: float, uid_domain: str) -> str:
    """`entries`: (deadline, whose tax code, business name or ""). `stamp`: when the feed was made (epoch)."""
    dtstamp = datetime.fromtimestamp(stamp, UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODUCT_ID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    lines += ["X-WR-CALNAME:Hạn nộp thuế", "X-WR-TIMEZONE:Asia/Ho_Chi_Minh"]
    for deadline, tax_code, business in entries:
        lines += _event(deadline, tax_code, business, dtstamp, uid_domain)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def _event(deadline: Deadline, tax_code: str, business: str, dtstamp: str, uid_domain: str) -> list[str]:
    obligation = deadline.obligation
    due = obligation.due_date
    whose = f" – {business}" if business else ""
    summary = f"Hạn nộp {obligation.tax_type.name_vi} kỳ {obligation.period}{whose}"
    amount = f"{obligation.outstanding_vnd:,}".replace(",", ".")
    return [
        "BEGIN:VEVENT",
        f"UID:{obligation.obligation_id}.{tax_code[-4:]}@{uid_domain}",
        f"DTSTAMP:{dtstamp}",
        f"DTSTART;VALUE=DATE:{due:%Y%m%d}",
        f"DTEND;VALUE=DATE:{due + timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{escape(summary)}",
        f"DESCRIPTION:{escape(f'Còn phải nộp {amount} đ. Mã nghĩa vụ {obligation.obligation_id}.')}",
        "TRANSP:TRANSPARENT",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{escape(summary)}",
        "TRIGGER:-P1D",
        "END:VALARM",
        "END:VEVENT",
    ]


def escape(text: str) -> str:
    """RFC 5545 3.3.11: backslash, semicolon, comma and newline escaped in TEXT values."""
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """RFC 5545 3.1: lines longer than 75 octets go on as CRLF + space, never splitting a UTF-8 character."""
    chunks, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = 75 if not chunks else 74  # a continuation's leading space counts
        if size + width > limit:
            chunks.append(current)
            current, size = "", 0
        current += char
        size += width
    chunks.append(current)
    return "\r\n ".join(chunks)
