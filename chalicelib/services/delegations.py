"""Delegations managed by a business's legal representative: grant another citizen (by personal ID number) read
access to the business's tax data until an expiry, list the live grants, revoke one. Anyone else is told the
business does not exist. The delegate is notified of the grant (saying until when), of its revocation and,
by a schedule, of its end."""

from dataclasses import asdict, dataclass
from datetime import datetime

from chalicelib.domain.citizens import mask_personal_id
from chalicelib.domain.delegations import (
    EXPIRED,
    GRANTED,
    REVOKED,
    Delegation,
    KeyAlreadyClaimed,
    expiry_refusal,
    new_delegation_id,
)
from chalicelib.domain.dossiers import IdempotencyClaim
from chalicelib.domain.events import TaxDelegationChanged
from chalicelib.domain.instants import hour_buckets_back, utc_instant
from chalicelib.domain.sessions import Principal
from chalicelib.errors import ConflictError, FieldProblem, NotFoundError, ValidationError
from chalicelib.services.filing import Idempotent
from chalicelib.services.tax_businesses import person_key_of, represented_business
from chalicelib.services.tax_ports import BusinessPorts
from chalicelib.services.tax_reads import own_tax_code

END_LOOKBACK_HOURS = 72  # a schedule down for a long weekend still tells every end (markers are kept 7 days)


@dataclass(frozen=True)
class DelegationRequest:
    personal_id: str
    expires_at: int  # epoch seconds


def grant_delegation(
    ports: BusinessPorts, principal: Principal, tax_code: str, request: DelegationRequest, idempotent: Idempotent
) -> Delegation:
    business = represented_business(ports.reads, principal, tax_code)
    scope = f"delegations:{principal.citizen_id}"
    replay = _replay(ports, scope, idempotent)
    if replay is not None:
        return replay
    _check(ports, principal, request)
    delegation = Delegation(
        delegation_id=new_delegation_id(),
        tax_code=tax_code,
        business_name=business.name,
        delegate_key=ports.person_key(request.personal_id),
        delegate_masked=mask_personal_id(request.personal_id),
        granted_by_key=person_key_of(ports, principal),
        created_at=int(ports.reads.clock()),
        expires_at=request.expires_at,
    )
    claim = IdempotencyClaim(scope, idempotent.key, idempotent.fingerprint, asdict(delegation))
    replaced = ports.delegations.of_delegate(tax_code, delegation.delegate_key)
    try:
        ports.delegations.grant(delegation, claim, replaced)
    except KeyAlreadyClaimed:
        return _replay(ports, scope, idempotent) or _conflict()
    _tell(ports, delegation, GRANTED)
    return delegation


def _check(ports: BusinessPorts, principal: Principal, request: DelegationRequest) -> None:
    problems = []
    if request.personal_id == own_tax_code(principal):
        problems.append(FieldProblem("personal_id", "delegate_is_self"))
    refusal = expiry_refusal(request.expires_at, ports.reads.clock())
    if refusal:
        problems.append(FieldProblem("expires_at", refusal))
    if problems:
        raise ValidationError(errors=tuple(problems))


def _replay(ports: BusinessPorts, scope: str, idempotent: Idempotent) -> Delegation | None:
    """What this key granted (told again: the notification is deduplicated); 409 for another body."""
    claim = ports.delegations.claim_of(scope, idempotent.key)
    if claim is None:
        return None
    if claim.fingerprint != idempotent.fingerprint:
        raise ConflictError("idempotency_key_reused")
    delegation = Delegation(**claim.answer)
    _tell(ports, delegation, GRANTED)
    return delegation


def _conflict() -> Delegation:
    raise ConflictError("conflict")


def list_delegations(ports: BusinessPorts, principal: Principal, tax_code: str) -> list[Delegation]:
    """The live grants, latest expiry first; expired ones linger until TTL removes them and are not shown."""
    represented_business(ports.reads, principal, tax_code)
    now = ports.reads.clock()
    live = [grant for grant in ports.delegations.of_business(tax_code) if grant.is_live(now)]
    return sorted(live, key=lambda grant: (-grant.expires_at, grant.delegation_id))


def revoke_delegation(ports: BusinessPorts, principal: Principal, tax_code: str, delegation_id: str) -> None:
    for grant in list_delegations(ports, principal, tax_code):
        if grant.delegation_id == delegation_id and ports.delegations.revoke(grant):
            _tell(ports, grant, REVOKED)
            return
    raise NotFoundError("delegation_not_found")


def tell_ended_delegations(ports: BusinessPorts, now: datetime) -> int:
    """How many delegates were told their grant ended. Each grant's end is told once and only after it
    passed; a revoked or replaced grant's end is not (its marker went with it). Safe to run twice: the
    notice's event id is deduplicated, and the marker is deleted only once the queue took the notice."""
    told = 0
    for bucket in hour_buckets_back(now, END_LOOKBACK_HOURS):
        for ended in ports.delegations.ending_in(bucket):
            if not ended.is_live(now.timestamp()):
                _tell(ports, ended, EXPIRED)
                ports.delegations.forget_ending(ended)
                told += 1
    return told


def _tell(ports: BusinessPorts, delegation: Delegation, change: str) -> None:
    """Only a delegate who has logged in once has an account to tell; the others see the grant when they do."""
    citizen_id = ports.delegations.citizen_of(delegation.delegate_key)
    if citizen_id is None:
        return
    message = TaxDelegationChanged(
        event_id=f"{delegation.delegation_id}-{change}",
        citizen_id=citizen_id,
        delegation_id=delegation.delegation_id,
        tax_code=delegation.tax_code,
        business_name=delegation.business_name,
        change=change,
        expires_at=utc_instant(delegation.expires_at),
    )
    ports.publisher.publish(message.to_message())
