"""An agency records a dossier received at its counter, and lists the dossiers sent to it."""
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Optional

from chalicelib.domain.agencies import Agency, AgencyPrincipal
from chalicelib.domain.dossiers import (
    COUNTER, Dossier, DossierEvent, StaleDossier, new_dossier_id, new_receipt_code,
)
from chalicelib.domain.working_days import VIETNAM, add_working_days
from chalicelib.errors import ConflictError, FieldProblem, ForbiddenError, ValidationError
from chalicelib.services import access_log
from chalicelib.services.dossier_events import publish_event
from chalicelib.services.dossier_ports import DossierPorts


@dataclass(frozen=True)
class CounterDossier:
    personal_id: str
    procedure_code: str
    received_at: datetime
    appointment_date: str = ""
    applicant_name: str = ""


@dataclass(frozen=True)
class Idempotent:
    key: str
    fingerprint: str


def replay_or_none(ports: DossierPorts, scope: str, request: Idempotent) -> Optional[tuple[int, dict[str, Any]]]:
    """The answer already given for this key; 409 when the key was used for a different body."""
    recorded = ports.idempotency.get(scope, request.key)
    if recorded is None:
        return None
    fingerprint, status, answer = recorded
    if fingerprint != request.fingerprint:
        raise ConflictError("idempotency_key_reused")
    return status, answer


def record_counter_dossier(principal: AgencyPrincipal, data: CounterDossier, request: Idempotent, purpose: str,
                           ports: DossierPorts, now: float) -> tuple[int, dict[str, Any]]:
    replay = replay_or_none(ports, "agency:" + principal.agency_id, request)
    if replay is not None:
        return with_pin(replay, ports)
    agency, procedure = _agency(principal, ports), ports.procedures.find(data.procedure_code)
    if procedure is None:
        raise ValidationError(errors=(FieldProblem("procedure_code", "invalid_format"),))
    if data.procedure_code not in principal.procedure_codes:
        raise ForbiddenError("procedure_not_in_scope")
    dossier = _new_counter_dossier(principal, agency, procedure, data, ports, now)
    first = DossierEvent(event_id=f"{dossier.dossier_id}-received", occurred_at=data.received_at.isoformat(),
                         occurred_ms=dossier.status_ms, status="received", step_name="Tiếp nhận hồ sơ",
                         agency_unit=agency.name_vi, recorded_at=int(now))
    answer = {"dossier_id": dossier.dossier_id, "receipt_code": dossier.receipt_code, "status": dossier.status,
              "due_date": dossier.due_date}
    entry = access_log.access_entry(principal, (agency.name_vi, agency.name_en), "dossier.create",
                                    f"dossier:{dossier.receipt_code}", purpose, now)
    claim = ports.idempotency.put_operation("agency:" + principal.agency_id, request.key, request.fingerprint,
                                            201, answer, int(now))
    pin = ports.person_keys.issue_pin(dossier.receipt_code)
    try:
        ports.dossiers.create(dossier, first, ports.person_keys.pin_hash(dossier.receipt_code, pin), entry, [claim])
    except StaleDossier:
        return replay_after_race(ports, "agency:" + principal.agency_id, request)
    publish_event(ports, dossier, first)
    return 201, {**answer, "pin": pin}


def replay_after_race(ports: DossierPorts, scope: str, request: Idempotent) -> tuple[int, dict[str, Any]]:
    """A twin request with the same Idempotency-Key created the dossier between our check and our write."""
    replay = replay_or_none(ports, scope, request)
    if replay is None:
        raise ConflictError("conflict")
    return with_pin(replay, ports)


def with_pin(replay: tuple[int, dict[str, Any]], ports: DossierPorts) -> tuple[int, dict[str, Any]]:
    """A retry after a failed publish also finishes the publishing the first attempt could not."""
    status, answer = replay
    receipt = ports.dossiers.find_receipt(answer["receipt_code"])
    loaded = ports.dossiers.load(receipt["person_key"], receipt["dossier_id"]) if receipt else None
    for event in (loaded[1] if loaded else []):
        if not event.published:
            publish_event(ports, loaded[0], event)
    return status, {**answer, "pin": ports.person_keys.issue_pin(answer["receipt_code"])}


def _agency(principal: AgencyPrincipal, ports: DossierPorts) -> Agency:
    agency = ports.agencies.get(principal.client_id)
    if agency is None or not agency.active:
        raise ForbiddenError("forbidden")
    return agency


def _new_counter_dossier(principal: AgencyPrincipal, agency: Agency, procedure: Any, data: CounterDossier,
                         ports: DossierPorts, now: float) -> Dossier:
    received = data.received_at.astimezone(VIETNAM)
    return Dossier(
        dossier_id=new_dossier_id(now), person_key=ports.person_keys.key_of(data.personal_id),
        receipt_code=new_receipt_code(now), agency_id=principal.agency_id, procedure_code=procedure.code,
        channel=COUNTER, status="received", status_ms=int(received.timestamp() * 1000),
        submitted_at=received.isoformat(), due_date=add_working_days(received.date(), procedure.statutory_days,
                                                                     ports.calendar).isoformat(),
        statutory_days=procedure.statutory_days, procedure_name_vi=procedure.name_vi,
        procedure_name_en=procedure.name_en, agency_name_vi=agency.name_vi, agency_name_en=agency.name_en,
        appointment_date=data.appointment_date, applicant_name=data.applicant_name)


def list_agency_dossiers(principal: AgencyPrincipal, status: str, start: Optional[dict[str, Any]], purpose: str,
                         ports: DossierPorts, now: float) -> tuple[list[dict[str, Any]], Optional[dict[str, Any]]]:
    """Reading the list reads citizens' data: each listed dossier's owner sees it in their access log.
    Only the procedures the token is scoped to are listed."""
    items, last = ports.dossiers.list_for_agency(principal.agency_id, status, start, 25)
    items = [item for item in items if item["procedure_code"] in principal.procedure_codes]
    agency = _agency(principal, ports)
    for item in items:
        access_log.record_access(ports.access_log, [item["person_key"]], principal, (agency.name_vi, agency.name_en),
                                 "dossier.list", f"dossier:{item['receipt_code']}", purpose, now)
    return items, last


