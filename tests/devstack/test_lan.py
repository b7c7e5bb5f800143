"""`make run` for a phone on the LAN: listening on every address, and every URL a phone follows is built on the
public base URL, not on the bind address (presigned upload POSTs and download links too); the redirect allowlist
comes from the environment."""

import pytest
import requests

from devstack.eid_model import DEMO_CITIZENS
from tests.adapters.test_images import assert_bare_upright_portrait, phone_jpeg
from tests.api.test_uploads import post_file
from tests.conftest import Api, eventually, login_request
from tests.devstack.processes import start_devstack, stop, wait_until_serving

PUBLIC = "http://localhost"  # reachable here and unlike the default 127.0.0.1, so a URL built on it shows
APP_LINK = "https://app.example.vn/auth/callback"
AN = DEMO_CITIZENS[0].personal_id


@pytest.fixture(scope="module")
def lan_stack(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("lan")
    process = start_devstack(
        workdir,
        BIND_HOST="0.0.0.0",
        PUBLIC_BASE_URL=PUBLIC,
        LOGIN_REDIRECT_URIS=f"citizenapp://auth/callback,{APP_LINK}",
    )
    try:
        yield wait_until_serving(process, workdir)
    finally:
        stop(process)


def test_a_stack_on_every_address_answers_on_its_public_base_url(lan_stack):
    api_url, eid_issuer = lan_stack["api_url"], lan_stack["eid_issuer"]
    assert api_url.startswith(PUBLIC + ":") and eid_issuer.startswith(PUBLIC + ":")
    discovery = requests.get(eid_issuer + "/.well-known/openid-configuration", timeout=10).json()
    assert discovery["issuer"] == eid_issuer
    assert discovery["authorization_endpoint"] == eid_issuer + "/authorize"
    login = requests.post(api_url + "/v1/auth/login", json=login_request(redirect_uri=APP_LINK), timeout=10)
    assert login.status_code == 200, login.text
    assert login.json()["authorization_url"].startswith(eid_issuer + "/authorize?")
    assert lan_stack["redirect_uris"] == ["citizenapp://auth/callback", APP_LINK]


def test_a_phone_uploads_and_downloads_through_the_public_host(lan_stack):
    """The POST and the links are signed for the public host, and the embedded S3 takes them there."""
    api = Api(lan_stack["api_url"])
    an = api.login(AN)
    photo = phone_jpeg(1200, 900)
    body = {"purpose": "wallet", "content_type": "image/jpeg", "size": len(photo)}
    granted = api.post("/v1/me/documents/uploads", json=body, headers={**an.auth, "Idempotency-Key": "lan-1"})
    assert granted.status_code == 201, granted.text
    assert granted.json()["upload"]["url"].startswith(PUBLIC + ":")
    assert post_file(granted.json(), photo).status_code in (200, 201, 204)
    path = "/v1/me/documents/" + granted.json()["document_id"]
    document = eventually(lambda: (d := api.get(path, headers=an.auth).json())["status"] != "pending" and d, 60)
    assert document["status"] == "ready", document
    image = next(f["url"] for f in document["files"] if f["name"] == "image")
    assert image.startswith(PUBLIC + ":")
    assert_bare_upright_portrait(requests.get(image, timeout=10).content, 1200)
