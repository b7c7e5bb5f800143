"""An agency records a dossier received at its counter, and lists the dossiers sent to it."""

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from chalicelib.domain.agencies import Agency, AgencyPrincipal
from chalicelib.domain.dossiers import (
    COUNTER,
    AgencyDossierRow,
    Dossier,
    DossierEvent,
    FiledDossier,
    StaleDossier,
    new_dossier_id,
    new_receipt_code,
)
from chalicelib.domain.pages import Page
from chalicelib.domain.uploaded_documents import UPLOAD_KIND
from chalicelib.domain.wallet import attached_files
from chalicelib.domain.working_days import VIETNAM, add_working_days
from chalicelib.errors import FieldProblem, ForbiddenError, ValidationError
from chalicelib.services import access_log
from chalicelib.services.dossier_events import publish_event
from chalicelib.services.dossier_ports import DossierPorts
from chalicelib.services.filing import Idempotent, claim_for, replay_after_race, replay_or_none


@dataclass(frozen=True)
class CounterDossier:
    personal_id: str
    procedure_code: str
    received_at: datetime
    appointment_date: str = ""
    applicant_name: str = ""


def record_counter_dossier(
    principal: AgencyPrincipal, data: CounterDossier, request: Idempotent, purpose: str, ports: DossierPorts, now: float
) -> FiledDossier:
    scope = "agency:" + principal.agency_id
    replay = replay_or_none(ports, scope, request)
    if replay is not None:
        return replay
    agency, procedure = _agency(principal, ports), ports.procedures.find(data.procedure_code)
    if procedure is None:
        raise ValidationError(errors=(FieldProblem("procedure_code", "not_allowed"),))  # not in the catalog
    if data.procedure_code not in principal.procedure_codes:
        raise ForbiddenError("procedure_not_in_scope")
    dossier = _new_counter_dossier(principal, agency, procedure, data, ports, now)
    first = DossierEvent(
        event_id=f"{dossier.dossier_id}-received",
        occurred_at=data.received_at.isoformat(),
        occurred_ms=dossier.status_ms,
        status="received",
        step_name="Tiếp nhận hồ sơ",
        agency_unit=agency.name_vi,
        recorded_at=int(now),
    )
    filed = FiledDossier(dossier.dossier_id, dossier.receipt_code, dossier.status, dossier.due_date)
    entry = access_log.access_entry(
        principal, (agency.name_vi, agency.name_en), "dossier.create", f"dossier:{dossier.receipt_code}", purpose, now
    )
    pin = ports.person_keys.issue_pin(dossier.receipt_code)
    try:
        ports.dossiers.create(
            dossier,
            first,
            ports.person_keys.pin_hash(dossier.receipt_code, pin),
            entry,
            claim_for(scope, request, filed),
        )
    except StaleDossier:
        return replay_after_race(ports, scope, request)
    publish_event(ports, dossier, first)
    return replace(filed, pin=pin)


def _agency(principal: AgencyPrincipal, ports: DossierPorts) -> Agency:
    agency = ports.agencies.get(principal.client_id)
    if agency is None or not agency.active:
        raise ForbiddenError("forbidden")
    return agency


def _new_counter_dossier(
    principal: AgencyPrincipal, agency: Agency, procedure: Any, data: CounterDossier, ports: DossierPorts, now: float
) -> Dossier:
    received = data.received_at.astimezone(VIETNAM)
    return Dossier(
        dossier_id=new_dossier_id(now),
        person_key=ports.person_keys.key_of(data.personal_id),
        receipt_code=new_receipt_code(now),
        agency_id=principal.agency_id,
        procedure_code=procedure.code,
        channel=COUNTER,
        status="received",
        status_ms=int(received.timestamp() * 1000),
        submitted_at=received.isoformat(),
        due_date=add_working_days(received.date(), procedure.statutory_days, ports.calendar).isoformat(),
        statutory_days=procedure.statutory_days,
        procedure_name_vi=procedure.name_vi,
        procedure_name_en=procedure.name_en,
        agency_name_vi=agency.name_vi,
        agency_name_en=agency.name_en,
        appointment_date=data.appointment_date,
        applicant_name=data.applicant_name,
    )


def list_agency_dossiers(
    principal: AgencyPrincipal,
    status: str,
    after: str | None,
    limit: int,
    purpose: str,
    ports: DossierPorts,
    now: float,
) -> Page[AgencyDossierRow]:
    """Reading the list reads citizens' data: each listed dossier's owner sees it in their access log, and each
    document filed with it (its claims, its files' links) too. Only the procedures the token is scoped to are
    listed. Each attached document's `files` become short-lived links to what its record keeps."""
    page = ports.dossiers.list_for_agency(principal.agency_id, status, after, limit)
    rows = [_with_links(row, ports) for row in page.items if row.procedure_code in principal.procedure_codes]
    agency = _agency(principal, ports)
    for row in rows:  # one entry per listed dossier, naming the documents (and their files) read with it
        access_log.record_access(
            ports.access_log,
            [row.person_key],
            principal,
            (agency.name_vi, agency.name_en),
            "dossier.list",
            f"dossier:{row.receipt_code}",
            purpose,
            now,
            related=tuple(f"{_kind(document)}:{document['document_id']}" for document in row.documents),
        )
    return Page(rows, page.after)


def _kind(document: dict[str, Any]) -> str:
    return "upload" if document.get("kind") == UPLOAD_KIND else "document"


def _with_links(row: AgencyDossierRow, ports: DossierPorts) -> AgencyDossierRow:
    """The stored files of each attached document, as {name, url, expires_at}: keys never leave the service."""
    documents = tuple({**document, "files": _links(document, ports)} for document in row.documents)
    return replace(row, documents=documents)


def _links(document: dict[str, Any], ports: DossierPorts) -> list[dict[str, str]]:
    links = [(stored.name, ports.file_links.presigned_download(stored.key)) for stored in attached_files(document)]
    return [{"name": name, "url": link.url, "expires_at": link.expires_at} for name, link in links]
