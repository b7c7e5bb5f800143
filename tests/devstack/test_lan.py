"""`make run` for a phone on the LAN: listening on every address, and every URL a phone follows is built on the
public base URL, not on the bind address; the redirect allowlist comes from the environment."""

import requests

from tests.conftest import login_request
from tests.devstack.processes import start_devstack, stop, wait_until_serving

PUBLIC = "http://localhost"  # reachable here and unlike the default 127.0.0.1, so a URL built on it shows
APP_LINK = "https://app.example.vn/auth/callback"


def test_a_stack_on_every_address_answers_on_its_public_base_url(tmp_path):
    process = start_devstack(
        tmp_path,
        BIND_HOST="0.0.0.0",
        PUBLIC_BASE_URL=PUBLIC,
        LOGIN_REDIRECT_URIS=f"citizenapp://auth/callback,{APP_LINK}",
    )
    try:
        written = wait_until_serving(process, tmp_path)
        api_url, eid_issuer = written["api_url"], written["eid_issuer"]
        assert api_url.startswith(PUBLIC + ":") and eid_issuer.startswith(PUBLIC + ":")
        discovery = requests.get(eid_issuer + "/.well-known/openid-configuration", timeout=10).json()
        assert discovery["issuer"] == eid_issuer
        assert discovery["authorization_endpoint"] == eid_issuer + "/authorize"
        login = requests.post(api_url + "/v1/auth/login", json=login_request(redirect_uri=APP_LINK), timeout=10)
        assert login.status_code == 200, login.text
        assert login.json()["authorization_url"].startswith(eid_issuer + "/authorize?")
        assert written["redirect_uris"] == ["citizenapp://auth/callback", APP_LINK]
    finally:
        stop(process)
