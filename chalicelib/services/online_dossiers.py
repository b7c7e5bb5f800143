"""A citizen files a dossier online (sent to the agency handling the procedure, with a receipt deadline
timer) and rates a completed dossier."""

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from chalicelib.domain.agencies import Agency
from chalicelib.domain.dossier_forms import check_form
from chalicelib.domain.dossiers import (
    ONLINE,
    Dossier,
    DossierEvent,
    FiledDossier,
    ProcedureRef,
    StaleDossier,
    TooManyPendingFilings,
    new_dossier_id,
    new_receipt_code,
)
from chalicelib.domain.instants import hour_bucket
from chalicelib.domain.sessions import Principal
from chalicelib.domain.uploaded_documents import UploadedDocument
from chalicelib.domain.wallet import WalletDocument, attach_refusal, attachment
from chalicelib.domain.working_days import VIETNAM, add_working_days, add_working_hours
from chalicelib.errors import ConflictError, FieldProblem, NotFoundError, ValidationError
from chalicelib.services.auth_ports import Citizens
from chalicelib.services.dossier_events import publish_event
from chalicelib.services.dossier_ports import DossierPorts
from chalicelib.services.dossiers import person_key_of
from chalicelib.services.filing import Idempotent, claim_for, replay_after_race, replay_or_none
from chalicelib.services.me import get_profile

RECEIPT_WORKING_HOURS = 8  # the legal time to receive an online dossier


@dataclass(frozen=True)
class OnlineSubmission:
    procedure_code: str
    agency_id: str
    form: Any
    document_ids: tuple[str, ...] = ()  # wallet documents to file with it: issued ones and ready uploads


def submit_dossier(
    principal: Principal,
    data: OnlineSubmission,
    request: Idempotent,
    citizens: Citizens,
    ports: DossierPorts,
    now: float,
    max_pending: int,
) -> FiledDossier:
    """At most `max_pending` of the citizen's online filings wait to be received at once: more is 409."""
    scope = "citizen:" + principal.citizen_id
    replay = replay_or_none(ports, scope, request)
    if replay is not None:
        return replay
    procedure, form = _procedure_and_form(data, ports)
    agency = _handling_agency(procedure.code, data.agency_id, ports)
    citizen = get_profile(principal, citizens)
    person_key = person_key_of(principal, citizens, ports)
    documents = _attachments(data.document_ids, person_key, ports, now)
    dossier, due = _new_online_dossier(principal, person_key, procedure, agency, form, ports, now)
    dossier = replace(dossier, applicant_name=citizen.full_name, documents=documents)
    first = DossierEvent(
        event_id=f"{dossier.dossier_id}-submitted",
        occurred_at=dossier.submitted_at,
        occurred_ms=dossier.status_ms,
        status="submitted",
        step_name="Nộp hồ sơ trực tuyến",
        recorded_at=int(now),
    )
    filed = FiledDossier(
        dossier.dossier_id, dossier.receipt_code, dossier.status, dossier.due_date, receipt_due_at=due.isoformat()
    )
    pin = ports.person_keys.issue_pin(dossier.receipt_code)
    try:
        ports.dossiers.create(
            dossier,
            first,
            ports.person_keys.pin_hash(dossier.receipt_code, pin),
            None,
            claim_for(scope, request, filed),
            receipt_due_ms=int(due.timestamp() * 1000),
            max_pending=max_pending,
        )
    except StaleDossier:
        return replay_after_race(ports, scope, request)
    except TooManyPendingFilings as full:
        raise ConflictError("too_many_pending_filings", params={"limit": max_pending}) from full
    publish_event(ports, dossier, first)
    return replace(filed, pin=pin)


def _procedure_and_form(data: OnlineSubmission, ports: DossierPorts) -> tuple[ProcedureRef, dict[str, Any]]:
    procedure = ports.procedures.find(data.procedure_code)
    if procedure is None:
        raise ValidationError(errors=(FieldProblem("procedure_code", "not_allowed"),))
    if not procedure.online:
        raise ValidationError("procedure_not_online", errors=(FieldProblem("procedure_code", "not_allowed"),))
    form, problems = check_form(procedure.form_fields, data.form)
    if problems:
        raise ValidationError(errors=tuple(FieldProblem(name, code) for name, code in problems))
    return procedure, form


def _attachments(document_ids: tuple[str, ...], person_key: str, ports: DossierPorts, now: float) -> tuple:
    """Only the person's own documents (another's is simply not found, as is an upload whose file never came),
    and only those whose status vouches: valid issued ones, ready uploads."""
    found = [ports.wallet_documents.load(person_key, document_id) for document_id in document_ids]
    if any(document is None or not _visible(document, now) for document in found):
        raise NotFoundError("document_not_found")
    refused = [(i, attach_refusal(d, now)) for i, d in enumerate(found) if attach_refusal(d, now)]
    if refused:
        problems = tuple(FieldProblem(f"documents[{i}].document_id", "not_allowed") for i, _ in refused)
        raise ValidationError("document_not_usable", params={"reason": refused[0][1]}, errors=problems)
    return tuple(attachment(document) for document in found)


def _visible(document: WalletDocument | UploadedDocument, now: float) -> bool:
    return not isinstance(document, UploadedDocument) or document.is_visible(now)


def _handling_agency(procedure_code: str, agency_id: str, ports: DossierPorts) -> Agency:
    """The agency named in the request, or the only one handling the procedure."""
    handlers = ports.agencies.handlers_of(procedure_code)
    if not handlers:
        raise ValidationError("procedure_not_online", errors=(FieldProblem("procedure_code", "not_allowed"),))
    if agency_id:
        chosen = next((a for a in handlers if a.agency_id == agency_id), None)
        if chosen is None:
            raise ValidationError(errors=(FieldProblem("agency_id", "not_allowed"),))
        return chosen
    if len(handlers) > 1:
        raise ValidationError(errors=(FieldProblem("agency_id", "required"),))
    return handlers[0]


def _new_online_dossier(
    principal: Principal,
    person_key: str,
    procedure: ProcedureRef,
    agency: Agency,
    form: dict[str, Any],
    ports: DossierPorts,
    now: float,
) -> tuple[Dossier, datetime]:
    submitted = datetime.fromtimestamp(now, VIETNAM).replace(microsecond=0)
    due = add_working_hours(submitted, RECEIPT_WORKING_HOURS, ports.calendar)
    dossier = Dossier(
        dossier_id=new_dossier_id(now),
        person_key=person_key,
        receipt_code=new_receipt_code(now),
        agency_id=agency.agency_id,
        procedure_code=procedure.code,
        channel=ONLINE,
        status="submitted",
        status_ms=int(submitted.timestamp() * 1000),
        submitted_at=submitted.isoformat(),
        due_date=add_working_days(due.date(), procedure.statutory_days, ports.calendar).isoformat(),
        statutory_days=procedure.statutory_days,
        procedure_name_vi=procedure.name_vi,
        procedure_name_en=procedure.name_en,
        agency_name_vi=agency.name_vi,
        agency_name_en=agency.name_en,
        citizen_id=principal.citizen_id,
        form=form,
        receipt_due_bucket=hour_bucket(due),
    )
    return dossier, due


def rate_dossier(
    principal: Principal, dossier_id: str, score: int, comment: str, citizens: Citizens, ports: DossierPorts
) -> Dossier:
    person_key = person_key_of(principal, citizens, ports)
    loaded: tuple[Dossier, list[DossierEvent]] | None = ports.dossiers.load(person_key, dossier_id)
    if loaded is None:
        raise NotFoundError("dossier_not_found")
    dossier = loaded[0]
    if dossier.rating is not None:
        raise ConflictError("already_rated")
    if dossier.status != "completed":
        raise ConflictError("dossier_not_completed")
    if not ports.dossiers.rate(person_key, dossier_id, score, comment):
        raise ConflictError("already_rated")
    return replace(dossier, rating=score, rating_comment=comment)
