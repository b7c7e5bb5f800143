"""The local FCM endpoint stays bounded over a long run."""

from devstack.fcm_endpoint import KEPT_MESSAGES, LocalFcmEndpoint


def test_the_local_fcm_endpoint_keeps_only_the_last_messages():
    endpoint = LocalFcmEndpoint()
    for number in range(KEPT_MESSAGES + 5):
        status, body = endpoint.receive("p", {"message": {"token": f"t{number}"}})
    assert status == 200 and body["name"].endswith(f"/{KEPT_MESSAGES + 5}")
    kept = endpoint.messages()
    assert len(kept) == KEPT_MESSAGES and kept[-1]["token"] == f"t{KEPT_MESSAGES + 4}"
