"""The single DynamoDB table's key shapes (the client wrapper is dynamo_table.py), but for the time buckets and
markers the schedules read, which are in dynamo_buckets.py.

docs/data-model.md lists each access pattern with its pk / sk; keep it true when a shape is added here.
"""


def login_key(state: str) -> dict[str, str]:
    return {"pk": f"LOGIN#{state}", "sk": "LOGIN"}


def identity_key(eid_subject: str) -> dict[str, str]:
    return {"pk": f"EID#{eid_subject}", "sk": "IDENTITY"}


def profile_key(citizen_id: str) -> dict[str, str]:
    return {"pk": f"CITIZEN#{citizen_id}", "sk": "PROFILE"}


def session_key(citizen_id: str, session_id: str) -> dict[str, str]:
    return {"pk": f"CITIZEN#{citizen_id}", "sk": f"SESSION#{session_id}"}


SESSION_PREFIX = "SESSION#"


def refresh_key(token_hash: str) -> dict[str, str]:
    return {"pk": f"REFRESH#{token_hash}", "sk": "REFRESH"}


def refresh_grace_key(token_hash: str) -> dict[str, str]:
    return {"pk": f"REFRESH#{token_hash}", "sk": "GRACE"}


def agency_key(client_id: str) -> dict[str, str]:
    return {"pk": f"AGENCY#{client_id}", "sk": "AGENCY"}


def assertion_jti_key(client_id: str, jti: str) -> dict[str, str]:
    return {"pk": f"ASSERTION#{client_id}#{jti}", "sk": "JTI"}


def person_pk(person_key: str) -> str:
    return f"PERSON#{person_key}"


def dossier_key(person_key: str, dossier_id: str) -> dict[str, str]:
    return {"pk": person_pk(person_key), "sk": f"D#{dossier_id}"}


def dossier_event_key(person_key: str, dossier_id: str, event_id: str) -> dict[str, str]:
    return {"pk": person_pk(person_key), "sk": f"D#{dossier_id}#E#{event_id}"}


def person_link_key(person_key: str) -> dict[str, str]:
    return {"pk": person_pk(person_key), "sk": "CITIZEN"}


def person_dossiers_index(person_key: str, dossier_id: str) -> dict[str, str]:
    return {"gsi1pk": f"PERSON#{person_key}#DOSSIERS", "gsi1sk": dossier_id}


ACCESS_LOG_PREFIX = "LOG#"


def access_log_key(person_key: str, at_iso: str, entry_id: str) -> dict[str, str]:
    return {"pk": person_pk(person_key), "sk": f"{ACCESS_LOG_PREFIX}{at_iso}#{entry_id}"}


def access_digest_key(person_key: str, month: str) -> dict[str, str]:
    return {"pk": person_pk(person_key), "sk": f"ACCESSDIGEST#{month}"}


def agency_dossiers_pk(agency_id: str) -> str:
    return agency_dossier_key(agency_id, "")["pk"]


def receipt_key(receipt_code: str) -> dict[str, str]:
    return {"pk": f"RECEIPT#{receipt_code}", "sk": "RECEIPT"}


def agency_dossier_key(agency_id: str, dossier_id: str) -> dict[str, str]:
    return {"pk": f"AGENCYDOSSIERS#{agency_id}", "sk": dossier_id}


def idempotency_key(scope: str, key: str) -> dict[str, str]:
    return {"pk": f"IDEMPOTENCY#{scope}#{key}", "sk": "IDEMPOTENCY"}


def rate_counter_key(counter: str) -> dict[str, str]:
    return {"pk": f"RATE#{counter}", "sk": "RATE"}


def pending_filings_key(person_key: str) -> dict[str, str]:
    return {"pk": person_pk(person_key), "sk": "PENDINGFILINGS"}


def procedure_agency_key(procedure_code: str, agency_id: str) -> dict[str, str]:
    return {"pk": f"PROCEDUREAGENCY#{procedure_code}", "sk": agency_id}


DEVICE_PREFIX = "DEVICE#"


NOTIFICATION_PREFIX = "NOTIF#"


def device_key(citizen_id: str, device_id: str) -> dict[str, str]:
    return {"pk": f"CITIZEN#{citizen_id}", "sk": f"{DEVICE_PREFIX}{device_id}"}


def push_token_key(token_key: str) -> dict[str, str]:
    return {"pk": f"PUSHTOKEN#{token_key}", "sk": "PUSHTOKEN"}


def notification_key(citizen_id: str, notification_id: str) -> dict[str, str]:
    return {"pk": f"CITIZEN#{citizen_id}", "sk": f"{NOTIFICATION_PREFIX}{notification_id}"}


def inbox_state_key(citizen_id: str) -> dict[str, str]:
    return {"pk": f"CITIZEN#{citizen_id}", "sk": "INBOX"}


def preferences_key(citizen_id: str) -> dict[str, str]:
    return {"pk": f"CITIZEN#{citizen_id}", "sk": "NOTIFPREFS"}


def notified_event_key(event_id: str) -> dict[str, str]:
    return {"pk": f"NOTIFIED#{event_id}", "sk": "NOTIFIED"}


def push_marker_key(event_id: str, device_id: str) -> dict[str, str]:
    return {"pk": f"PUSHED#{event_id}#{device_id}", "sk": "PUSHED"}


WALLET_PREFIX = "W#"


def wallet_document_key(person_key: str, document_id: str) -> dict[str, str]:
    return {"pk": person_pk(person_key), "sk": f"{WALLET_PREFIX}{document_id}"}


def wallet_type_index(person_key: str, credential_type: str, document_id: str) -> dict[str, str]:
    return {"gsi1pk": f"PERSON#{person_key}#WALLET#{credential_type}", "gsi1sk": document_id}


def document_pointer_key(document_id: str) -> dict[str, str]:
    return {"pk": f"DOCUMENT#{document_id}", "sk": "DOCUMENT"}


def pending_uploads_index(person_key: str, document_id: str) -> dict[str, str]:
    return {"gsi1pk": f"PERSON#{person_key}#UPLOADS#PENDING", "gsi1sk": document_id}


def upload_key(upload_id: str) -> dict[str, str]:
    return {"pk": f"UPLOAD#{upload_id}", "sk": "UPLOAD"}


def status_counter_key() -> dict[str, str]:
    return {"pk": "STATUSLIST", "sk": "COUNTER"}


def status_claim_key(list_id: int, index: int) -> dict[str, str]:
    return {"pk": f"STATUSLIST#{list_id}", "sk": f"CLAIM#{index}"}


def status_bits_key(list_id: int) -> dict[str, str]:
    return {"pk": f"STATUSLIST#{list_id}", "sk": "BITS"}


def share_key(share_id: str) -> dict[str, str]:
    return {"pk": f"SHARE#{share_id}", "sk": "SHARE"}


def person_shares_index(person_key: str, created_ms: int, share_id: str) -> dict[str, str]:
    return {"gsi1pk": f"PERSON#{person_key}#SHARES", "gsi1sk": f"{created_ms:013d}#{share_id}"}


def holder_key_key(person_key: str) -> dict[str, str]:
    return {"pk": person_pk(person_key), "sk": "HOLDERKEY"}


def issuance_secret_key(kind: str, secret_hash: str) -> dict[str, str]:
    return {"pk": f"OID4VCI#{kind}#{secret_hash}", "sk": kind}


def tax_answer_key(taxpayer_key: str, topic: str) -> dict[str, str]:
    return {"pk": f"TAX#{taxpayer_key}", "sk": topic}


def tax_obligation_pointer_key(taxpayer_key: str, obligation_id: str) -> dict[str, str]:
    return {"pk": f"TAXOBL#{taxpayer_key}", "sk": obligation_id}


def tax_payment_key(person_key: str, payment_id: str) -> dict[str, str]:
    return {"pk": f"PERSON#{person_key}", "sk": f"TAXPAY#{payment_id}"}


def tax_payment_reference_key(reference: str) -> dict[str, str]:
    return {"pk": f"TAXPAYREF#{reference}", "sk": "TAXPAYREF"}


def tax_payment_lock_key(person_key: str, obligation_id: str) -> dict[str, str]:
    return {"pk": f"TAXPAYLOCK#{person_key}#{obligation_id}", "sk": "TAXPAYLOCK"}


DELEGATE_PREFIX = "DELEGATE#"


def business_pk(tax_code: str) -> str:
    return f"BUSINESS#{tax_code}"


def delegation_key(tax_code: str, delegate_key: str) -> dict[str, str]:
    return {"pk": business_pk(tax_code), "sk": f"{DELEGATE_PREFIX}{delegate_key}"}


def delegate_grants_index(delegate_key: str, expires_at: int, tax_code: str) -> dict[str, str]:
    """Sorted by expiry: newest-expiring first, a delegate's live grants come before any expired one."""
    return {"gsi1pk": f"PERSON#{delegate_key}#DELEGATIONS", "gsi1sk": f"{expires_at:010d}#{tax_code}"}


def deletion_request_key(citizen_id: str) -> dict[str, str]:
    return {"pk": profile_key(citizen_id)["pk"], "sk": "DELETION"}


def deletion_statement_key(statement_hash: str) -> dict[str, str]:
    return {"pk": f"DELETIONSTATEMENT#{statement_hash}", "sk": "STATEMENT"}


def tax_calendar_feed_key(token_hash: str) -> dict[str, str]:
    return {"pk": f"TAXICS#{token_hash}", "sk": "TAXICS"}


def citizen_calendar_feed_key(citizen_id: str) -> dict[str, str]:
    return {"pk": f"CITIZEN#{citizen_id}", "sk": "TAXICS"}


EXPORT_PREFIX = "EXPORT#"


def export_key(citizen_id: str, export_id: str) -> dict[str, str]:
    return {"pk": f"CITIZEN#{citizen_id}", "sk": f"{EXPORT_PREFIX}{export_id}"}


def export_lock_key(citizen_id: str) -> dict[str, str]:
    """The citizen's one running export: outside the EXPORT# prefix, so listing the exports never meets it."""
    return {"pk": f"CITIZEN#{citizen_id}", "sk": "EXPORTING"}
