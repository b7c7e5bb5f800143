"""Data exports: the API's ports (start, read, link) and the exports worker's (every store of the citizen's data,
the documents bucket, the notifications queue)."""

from typing import Any

from chalicelib.wiring import _once, _publisher, clock, idempotency, notifications_publisher, person_keys, table


def _jobs() -> Any:
    from chalicelib.adapters.dynamo_exports import DynamoExportJobs

    return _once("export_jobs", lambda: DynamoExportJobs(table()))


def exports_publisher() -> Any:
    return _publisher("exports_publisher", lambda s: s.exports_queue_url)


def export_ports() -> Any:
    from chalicelib.services.export_ports import ExportPorts
    from chalicelib.wiring.dossiers import document_store

    return ExportPorts(
        jobs=_jobs(), idempotency=idempotency(), links=document_store(), queue=exports_publisher(), clock=clock()
    )


def export_worker_ports() -> Any:
    from chalicelib.services.export_ports import ExportWorkerPorts
    from chalicelib.wiring.dossiers import citizen_data_ports, document_store

    return ExportWorkerPorts(
        jobs=_jobs(),
        data=citizen_data_ports(),
        person_keys=person_keys(),
        store=document_store(),
        publisher=notifications_publisher(),
        clock=clock(),
    )
