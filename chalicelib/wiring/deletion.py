"""Closing accounts: the deletion requests and what tells the citizen about them."""

from typing import Any

from chalicelib.wiring import _once, citizens, notifications_publisher, person_keys, table


def deletion_ports() -> Any:
    from chalicelib.adapters.dynamo_deletion import DynamoDeletionRequests
    from chalicelib.services.deletion import DeletionPorts

    return DeletionPorts(
        requests=_once("deletion_requests", lambda: DynamoDeletionRequests(table())),
        citizens=citizens(),
        person_keys=person_keys(),
        publisher=notifications_publisher(),
    )
