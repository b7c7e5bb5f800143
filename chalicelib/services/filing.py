"""What filing a dossier shares, online or at the counter: the Idempotency-Key that makes a retry safe, and
the replay of what the first attempt created (finishing a publish it could not)."""

from dataclasses import asdict, dataclass

from chalicelib.domain.dossiers import FiledDossier, IdempotencyClaim
from chalicelib.errors import ConflictError
from chalicelib.services.dossier_events import publish_event
from chalicelib.services.dossier_ports import DossierPorts


@dataclass(frozen=True)
class Idempotent:
    key: str
    fingerprint: str


def claim_for(scope: str, request: Idempotent, filed: FiledDossier) -> IdempotencyClaim:
    """The answer kept for replay never holds the pin: a replay issues the pin again (same receipt, same pin)."""
    return IdempotencyClaim(scope, request.key, request.fingerprint, {**asdict(filed), "pin": ""})


def replay_or_none(ports: DossierPorts, scope: str, request: Idempotent) -> FiledDossier | None:
    """What this key already created; 409 when the key was used for a different body."""
    recorded = ports.idempotency.get(scope, request.key)
    if recorded is None:
        return None
    if recorded.fingerprint != request.fingerprint:
        raise ConflictError("idempotency_key_reused")
    return _finish(FiledDossier(**recorded.answer), ports)


def replay_after_race(ports: DossierPorts, scope: str, request: Idempotent) -> FiledDossier:
    """A twin request with the same Idempotency-Key created the dossier between our check and our write."""
    replay = replay_or_none(ports, scope, request)
    if replay is None:
        raise ConflictError("conflict")
    return replay


def _finish(filed: FiledDossier, ports: DossierPorts) -> FiledDossier:
    """A retry after a failed publish also finishes the publishing the first attempt could not."""
    receipt = ports.dossiers.find_receipt(filed.receipt_code)
    loaded = ports.dossiers.load(receipt.person_key, receipt.dossier_id) if receipt else None
    for event in loaded[1] if loaded else []:
        if not event.published:
            publish_event(ports, loaded[0], event)
    return FiledDossier(**{**asdict(filed), "pin": ports.person_keys.issue_pin(filed.receipt_code)})
