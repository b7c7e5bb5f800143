"""The single DynamoDB table: every key shape lives here (the client wrapper is dynamo_table.py).

Access patterns (pk / sk):
  login attempt by state ........ LOGIN#<state>        / LOGIN            (TTL, deleted on use)
  citizen by eID subject ........ EID#<subject>        / IDENTITY
  citizen profile ............... CITIZEN#<citizen_id> / PROFILE
  sessions of a citizen ......... CITIZEN#<citizen_id> / SESSION#<session_id>   (Query by prefix)
  refresh token by hash ......... REFRESH#<sha256>     / REFRESH          (TTL)
  its sealed successor .......... REFRESH#<sha256>     / GRACE            (TTL: end of the reuse grace window)
  push devices of a citizen ..... CITIZEN#<citizen_id> / DEVICE#<device_id>    (Query by prefix; one per app installation)
  push device by FCM token ...... PUSHTOKEN#<sha256(token)> / PUSHTOKEN   (the device holding it, its installation)
  inbox of a citizen ............ CITIZEN#<citizen_id> / NOTIF#<notification_id> (Query by prefix, newest first)
  inbox unread counter .......... CITIZEN#<citizen_id> / INBOX            (unread, read_before watermark)
  notification preferences ...... CITIZEN#<citizen_id> / NOTIFPREFS
  notified event (dedupe) ....... NOTIFIED#<event_id>  / NOTIFIED         (TTL)
  push sent to a device (dedupe)  PUSHED#<event_id>#<device_id> / PUSHED  (TTL)
  pushes parked for quiet hours . PARKED#<release minute> / <job id>      (Query the minute's partition)
  parked pushes released up to .. PARKED               / RELEASED
  agency by OAuth client_id ..... AGENCY#<client_id>   / AGENCY
  used client-assertion jti ..... ASSERTION#<client_id>#<jti> / JTI     (TTL; conditional put = single use)
  citizen of a person (login) ... PERSON#<person_key>  / CITIZEN          (written at every login)
  dossier of a person ........... PERSON#<person_key>  / D#<dossier_id>
  its timeline events ........... PERSON#<person_key>  / D#<dossier_id>#E#<event_id>  (one Query: dossier + events)
  a person's dossiers, newest ... gsi1: PERSON#<person_key>#DOSSIERS / <dossier_id>  (ids are time-ordered)
  a person's access log ......... PERSON#<person_key>  / LOG#<iso time>#<id>    (Query by prefix, newest first)
  dossier by receipt code ....... RECEIPT#<receipt_code> / RECEIPT      (owner agency, hashed pin)
  an agency's dossiers .......... AGENCYDOSSIERS#<agency_id> / <dossier_id>  (status, overdue_receipt)
  idempotent POST answers ....... IDEMPOTENCY#<scope>#<key> / IDEMPOTENCY  (TTL 24 h)
  receipt deadline timers ....... RECEIPTDUE#<yyyy-mm-ddThh> / <dossier_id>  (hour buckets, Query per bucket)
  agencies handling a procedure . PROCEDUREAGENCY#<procedure_code> / <agency_id>  (written at registration)
  rate counter of a window ...... RATE#<rule>#<subject>#<window start> / RATE  (TTL; conditional ADD)
  pending online filings ........ PERSON#<person_key>  / PENDINGFILINGS   (count of online dossiers not yet received)
  wallet document of a person ... PERSON#<person_key>  / W#<document_id>  (Query by prefix, newest first)
  a person's documents of a type  gsi1: PERSON#<person_key>#WALLET#<type> / <document_id>
  wallet document by id ......... DOCUMENT#<document_id> / DOCUMENT   (person_key, issuing agency; "" for an upload)
  uploaded document of a person . PERSON#<person_key>  / W#<document_id>  (kind "upload", among the issued ones)
  a person's pending uploads .... gsi1: PERSON#<person_key>#UPLOADS#PENDING / <document_id>  (removed once processed)
  upload by its raw key's id .... UPLOAD#<upload_id>   / UPLOAD           (person_key, citizen_id, document_id)
  status-list position counter .. STATUSLIST           / COUNTER         (atomic ADD: one position per credential)
  a status list's bits .......... STATUSLIST#<list_id> / BITS            (2-bit entries, version, signed token cache)
  wallet share by id ............ SHARE#<share_id>     / SHARE           (TTL at expiry; owner person_key)
  a person's shares, newest ..... gsi1: PERSON#<person_key>#SHARES / <created ms>#<share_id>
  a person's wallet device key .. PERSON#<person_key>  / HOLDERKEY        (public JWK; credentials issued after carry it)
  OpenID4VCI secret by hash ..... OID4VCI#<kind>#<sha256> / <kind>     (CODE, TOKEN, NONCE; TTL; deleted on use)
  tax answer cached per taxpayer  TAX#<taxpayer key>    / <topic>          (profile, obligations:<year>, payments...; TTL)
  unpaid tax item by due date .... TAXDUE#<yyyy-mm-dd>  / <taxpayer key>#<obligation id>  (Query a day; alerts sent)
  its current due date .......... TAXOBL#<taxpayer key> / <obligation id>  (feed sequence: older changes lose)
  tax change feed cursor ........ TAXFEED              / CURSOR
  a day's tax alert pass done ... TAXALERTPASS#<yyyy-mm-dd> / PASS   (TTL)
  tax payment of a person ....... PERSON#<person_key>  / TAXPAY#<payment_id>  (TTL while pending; kept once paid)
  tax payment by its reference .. TAXPAYREF#<reference> / TAXPAYREF      (person_key, payment_id; the gateway's key)
  obligation in a payment ....... TAXPAYLOCK#<person_key>#<obligation_id> / TAXPAYLOCK  (payment_id, until; one payment at a time)
  paid, not yet settled ......... gsi1: TAXPAY#UNSETTLED / <paid_at>#<payment_id>  (the sweep's Query; removed once settled)
  delegation of a business ...... BUSINESS#<tax_code>   / DELEGATE#<delegate person_key>  (one per delegate; TTL at expiry)
  a delegate's grants, by expiry  gsi1: PERSON#<person_key>#DELEGATIONS / <expires_at, 10 digits>#<tax_code>
  tax calendar feed link ........ TAXICS#<sha256 of the link's secret> / TAXICS  (citizen_id)
  a citizen's current feed link . CITIZEN#<citizen_id> / TAXICS  (token_hash: a new link deletes the old)
  person_key is HMAC-SHA256(person key secret, personal ID): plaintext personal IDs are never keys; a taxpayer
  key is the same HMAC of the tax code (an individual's tax code is their personal ID).
No access pattern scans; every read is a GetItem or a single-partition Query.
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


def agency_dossiers_pk(agency_id: str) -> str:
    return agency_dossier_key(agency_id, "")["pk"]


def receipt_key(receipt_code: str) -> dict[str, str]:
    return {"pk": f"RECEIPT#{receipt_code}", "sk": "RECEIPT"}


def agency_dossier_key(agency_id: str, dossier_id: str) -> dict[str, str]:
    return {"pk": f"AGENCYDOSSIERS#{agency_id}", "sk": dossier_id}


def idempotency_key(scope: str, key: str) -> dict[str, str]:
    return {"pk": f"IDEMPOTENCY#{scope}#{key}", "sk": "IDEMPOTENCY"}


def receipt_due_key(hour_bucket: str, dossier_id: str) -> dict[str, str]:
    return {"pk": f"RECEIPTDUE#{hour_bucket}", "sk": dossier_id}


def receipt_due_pk(hour_bucket: str) -> str:
    return f"RECEIPTDUE#{hour_bucket}"


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


def parked_push_key(release_minute: str, job_id: str) -> dict[str, str]:
    return {"pk": f"PARKED#{release_minute}", "sk": job_id}


def parked_release_key() -> dict[str, str]:
    return {"pk": "PARKED", "sk": "RELEASED"}


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


def tax_due_pk(day: str) -> str:
    return f"TAXDUE#{day}"


def tax_due_key(day: str, taxpayer_key: str, obligation_id: str) -> dict[str, str]:
    return {"pk": tax_due_pk(day), "sk": f"{taxpayer_key}#{obligation_id}"}


def tax_obligation_pointer_key(taxpayer_key: str, obligation_id: str) -> dict[str, str]:
    return {"pk": f"TAXOBL#{taxpayer_key}", "sk": obligation_id}


def tax_feed_cursor_key() -> dict[str, str]:
    return {"pk": "TAXFEED", "sk": "CURSOR"}


def tax_alert_pass_key(day: str) -> dict[str, str]:
    return {"pk": f"TAXALERTPASS#{day}", "sk": "PASS"}


def tax_payment_key(person_key: str, payment_id: str) -> dict[str, str]:
    return {"pk": f"PERSON#{person_key}", "sk": f"TAXPAY#{payment_id}"}


def tax_payment_reference_key(reference: str) -> dict[str, str]:
    return {"pk": f"TAXPAYREF#{reference}", "sk": "TAXPAYREF"}


UNSETTLED_TAX_PAYMENTS = "TAXPAY#UNSETTLED"


def unsettled_tax_payment_index(paid_at: int, payment_id: str) -> dict[str, str]:
    return {"gsi1pk": UNSETTLED_TAX_PAYMENTS, "gsi1sk": f"{paid_at:012d}#{payment_id}"}


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


def tax_calendar_feed_key(token_hash: str) -> dict[str, str]:
    return {"pk": f"TAXICS#{token_hash}", "sk": "TAXICS"}


def citizen_calendar_feed_key(citizen_id: str) -> dict[str, str]:
    return {"pk": f"CITIZEN#{citizen_id}", "sk": "TAXICS"}
