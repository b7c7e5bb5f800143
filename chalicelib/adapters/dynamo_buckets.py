"""Key shapes of the partitions the schedules read: time buckets (an hour, a day, a month) that hold a copy or a
mark of what falls due in them, the sweep's worklist, and the schedules' own progress markers. Each schedule
Queries the few recent buckets, never scans. The other keys are in dynamo.py; docs/data-model.md lists all.
"""

import zlib

from chalicelib.domain.access_log import MONTH_SHARDS


def access_month_key(month: str, person_key: str) -> dict[str, str]:
    """Who has entries in a month (Vietnam time, YYYY-MM): written with each entry, queried by the digest."""
    return {"pk": access_month_pk(month, zlib.crc32(person_key.encode()) % MONTH_SHARDS), "sk": person_key}


def access_month_pk(month: str, shard: int) -> str:
    return f"ACCESSMONTH#{month}#{shard:02d}"


def receipt_due_key(hour_bucket: str, dossier_id: str) -> dict[str, str]:
    return {"pk": receipt_due_pk(hour_bucket), "sk": dossier_id}


def receipt_due_pk(hour_bucket: str) -> str:
    return f"RECEIPTDUE#{hour_bucket}"


def parked_push_key(release_minute: str, job_id: str) -> dict[str, str]:
    return {"pk": f"PARKED#{release_minute}", "sk": job_id}


def parked_release_key() -> dict[str, str]:
    return {"pk": "PARKED", "sk": "RELEASED"}


def tax_due_pk(day: str) -> str:
    return f"TAXDUE#{day}"


def tax_due_key(day: str, taxpayer_key: str, obligation_id: str) -> dict[str, str]:
    return {"pk": tax_due_pk(day), "sk": f"{taxpayer_key}#{obligation_id}"}


def tax_feed_cursor_key() -> dict[str, str]:
    return {"pk": "TAXFEED", "sk": "CURSOR"}


def tax_alert_pass_key(day: str) -> dict[str, str]:
    return {"pk": f"TAXALERTPASS#{day}", "sk": "PASS"}


UNSETTLED_TAX_PAYMENTS = "TAXPAY#UNSETTLED"


def unsettled_tax_payment_index(paid_at: int, payment_id: str) -> dict[str, str]:
    return {"gsi1pk": UNSETTLED_TAX_PAYMENTS, "gsi1sk": f"{paid_at:012d}#{payment_id}"}


def deletion_reminder_pk(day: str) -> str:
    return f"DELETIONREMIND#{day}"


def deletion_reminder_key(day: str, citizen_id: str) -> dict[str, str]:
    return {"pk": deletion_reminder_pk(day), "sk": citizen_id}


def deletion_due_pk(day: str) -> str:
    return f"DELETIONDUE#{day}"


def deletion_due_key(day: str, citizen_id: str) -> dict[str, str]:
    return {"pk": deletion_due_pk(day), "sk": citizen_id}


def delegation_end_pk(hour_bucket: str) -> str:
    return f"DELEGATIONEND#{hour_bucket}"


def delegation_end_key(hour_bucket: str, tax_code: str, delegate_key: str) -> dict[str, str]:
    return {"pk": delegation_end_pk(hour_bucket), "sk": f"{tax_code}#{delegate_key}"}
