"""The start-up port check: lingering connections of a stopped run are no clash; every clash is named at once."""

import socket

import pytest

from devstack.stack import PortInUseError, ensure_ports_free


def _listener() -> socket.socket:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as http.server and werkzeug do
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    return listener


def _time_wait_port() -> int:
    """A port with a connection in TIME_WAIT and nothing listening: what a run stopped by Ctrl-C leaves."""
    listener = _listener()
    port = listener.getsockname()[1]
    client = socket.create_connection(("127.0.0.1", port))
    accepted, _ = listener.accept()
    accepted.close()  # the server side closes first, so its end (bound to the port) goes to TIME_WAIT
    client.recv(1)
    client.close()
    listener.close()
    return port


def test_a_connection_in_time_wait_is_no_clash():
    port = _time_wait_port()
    ensure_ports_free("127.0.0.1", {"api": port})
    with socket.socket() as server_again:  # and the servers can indeed bind it
        server_again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server_again.bind(("127.0.0.1", port))


def test_every_clash_is_named_in_one_message():
    first, second = _listener(), _listener()
    try:
        ports = {"aws": first.getsockname()[1], "eid": 0, "api": second.getsockname()[1]}
        with pytest.raises(PortInUseError) as refused:
            ensure_ports_free("127.0.0.1", ports)
    finally:
        first.close(), second.close()
    message = str(refused.value)
    assert f"{ports['aws']} (aws)" in message and f"{ports['api']} (api)" in message
    assert "AWS_PORT=" in message and "API_PORT=" in message and "EID_PORT" not in message
