"""Closing accounts: the deletion requests and what tells the citizen about them."""

from typing import Any

from chalicelib.wiring import _once, citizens, notifications_publisher, person_keys, table


def deletion_ports() -> Any:
    from chalicelib.services.deletion import DeletionPorts

    return DeletionPorts(
        requests=deletion_requests(),
        citizens=citizens(),
        person_keys=person_keys(),
        publisher=notifications_publisher(),
    )


def erasure_ports() -> Any:
    from chalicelib.adapters.dynamo_erasure import DynamoAccountEraser
    from chalicelib.services.erasure import ErasurePorts
    from chalicelib.wiring.dossiers import citizen_data_ports, document_store

    return ErasurePorts(
        requests=deletion_requests(),
        eraser=_once("account_eraser", lambda: DynamoAccountEraser(table())),
        files=document_store(),
        statements=deletion_statements(),
        citizen_data=citizen_data_ports,
    )


def deletion_requests() -> Any:
    from chalicelib.adapters.dynamo_deletion import DynamoDeletionRequests

    return _once("deletion_requests", lambda: DynamoDeletionRequests(table()))


def deletion_statements() -> Any:
    from chalicelib.adapters.dynamo_deletion import DynamoDeletionStatements

    return _once("deletion_statements", lambda: DynamoDeletionStatements(table()))
