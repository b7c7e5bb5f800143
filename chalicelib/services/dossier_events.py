"""Timeline events from agencies: idempotent by event_id, ordered by occurred_at, and published to the
citizen exactly once per event_id as far as consumers can tell (they dedupe on it)."""

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from chalicelib.domain.agencies import AgencyPrincipal
from chalicelib.domain.dossiers import Dossier, DossierEvent, StaleDossier, apply_event, deliverable
from chalicelib.domain.events import DossierStatusChanged
from chalicelib.errors import ConflictError, NotFoundError
from chalicelib.services import access_log
from chalicelib.services.dossier_ports import DossierPorts

_ATTEMPTS = 4
# Issues the dossier's result document (idempotently per dossier and event) and answers its id.
Deliver = Callable[[Dossier, DossierEvent], str]


@dataclass(frozen=True)
class EventResult:
    dossier: Dossier
    event: DossierEvent
    duplicate: bool


def dossier_for_agency(
    principal: AgencyPrincipal, receipt_code: str, ports: DossierPorts
) -> tuple[Dossier, list[DossierEvent]]:
    """Another agency's dossier, one outside the token's procedures, or none at all, is the same 404:
    receipt codes are not an oracle."""
    receipt = ports.dossiers.find_receipt(receipt_code)
    if receipt is None or receipt.agency_id != principal.agency_id:
        raise NotFoundError("dossier_not_found")
    loaded = ports.dossiers.load(receipt.person_key, receipt.dossier_id)
    if loaded is None or loaded[0].procedure_code not in principal.procedure_codes:
        raise NotFoundError("dossier_not_found")
    return loaded


def post_event(
    principal: AgencyPrincipal,
    receipt_code: str,
    event: DossierEvent,
    purpose: str,
    ports: DossierPorts,
    now: float,
    deliver: Deliver | None = None,
) -> EventResult:
    """With `deliver`, the result document is issued before the event is recorded: a lost race re-issues the
    same document (the issuance is keyed by the event), and a replayed event issues nothing."""
    for _ in range(_ATTEMPTS):
        dossier, events = dossier_for_agency(principal, receipt_code, ports)
        existing = next((e for e in events if e.event_id == event.event_id), None)
        if existing is not None:
            if not existing.published:  # a retry after a failed publish completes it
                publish_event(ports, dossier, existing)
            return EventResult(dossier, existing, duplicate=True)
        after, recorded = apply_event(dossier, event), event
        if deliver is not None:
            after, recorded = _with_result(dossier, after, event, deliver)
        entry = access_log.access_entry(
            principal,
            (dossier.agency_name_vi, dossier.agency_name_en),
            "dossier.event",
            f"dossier:{receipt_code}",
            purpose,
            now,
        )
        try:
            ports.dossiers.record_event(dossier, after, recorded, entry)
        except StaleDossier:
            continue  # another event landed first: re-read, and re-decide the status from fresh state
        publish_event(ports, after, recorded)
        return EventResult(after, recorded, duplicate=False)
    raise ConflictError("conflict")


def _with_result(
    before: Dossier, after: Dossier, event: DossierEvent, deliver: Deliver
) -> tuple[Dossier, DossierEvent]:
    if not deliverable(before, after):
        raise ConflictError("dossier_result_not_deliverable")
    document_id = deliver(after, event)
    return replace(after, result_document_id=document_id), replace(event, result_document_id=document_id)


def publish_event(ports: DossierPorts, dossier: Dossier, event: DossierEvent) -> None:
    """Marked published only after SQS took it; if SQS fails, the 503 tells the agency to retry the event."""
    citizen_id = dossier.citizen_id or ports.dossiers.citizen_of(dossier.person_key)
    if citizen_id:  # nobody to tell until the person first logs in; the timeline shows it then
        ports.publisher.publish(status_message(dossier, event, citizen_id))
    ports.dossiers.mark_published(dossier.person_key, dossier.dossier_id, event.event_id)


def status_message(dossier: Dossier, event: DossierEvent, citizen_id: str) -> dict[str, Any]:
    return DossierStatusChanged(
        event_id=event.event_id,
        citizen_id=citizen_id,
        dossier_id=dossier.dossier_id,
        receipt_code=dossier.receipt_code,
        procedure_code=dossier.procedure_code,
        procedure_name_vi=dossier.procedure_name_vi,
        procedure_name_en=dossier.procedure_name_en,
        status=event.status,
        occurred_at=event.occurred_at,
    ).to_message()
