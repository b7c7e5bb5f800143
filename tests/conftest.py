"""Shared fixtures: one local stack per test session (embedded AWS, dev eID, API) on free ports."""
import urllib.parse
from dataclasses import dataclass

import pytest
import requests

from devstack.stack import REDIRECT_URI, LocalStack

AN, BINH, CUONG = "001090000001", "001190000002", "001095000003"


@pytest.fixture(scope="session")
def stack():
    running = LocalStack().start()
    yield running
    running.stop()


@pytest.fixture(scope="session")
def api(stack):
    return Api(stack.api_url)


@dataclass
class Tokens:
    access_token: str
    refresh_token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


class Api:
    """A thin HTTP client for the local API, plus the phone's half of the eID login."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.http = requests.Session()

    def get(self, path, **kwargs):
        return self.http.get(self.base_url + path, **kwargs)

    def post(self, path, **kwargs):
        return self.http.post(self.base_url + path, **kwargs)

    def delete(self, path, **kwargs):
        return self.http.delete(self.base_url + path, **kwargs)

    def request(self, method, path, **kwargs):
        return self.http.request(method, self.base_url + path, **kwargs)

    def start_login(self) -> dict:
        answer = self.post("/v1/auth/login", json={"redirect_uri": REDIRECT_URI})
        assert answer.status_code == 200, answer.text
        return answer.json()

    def authorize(self, login: dict, personal_id: str) -> dict[str, str]:
        """What the citizen's browser does at the eID: approve, and come back with code and state."""
        answer = requests.get(login["authorization_url"] + "&login_hint=" + personal_id, allow_redirects=False)
        assert answer.status_code == 302, answer.text
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(answer.headers["Location"]).query)
        return {name: values[0] for name, values in query.items()}

    def login(self, personal_id: str, device_name: str = "") -> Tokens:
        callback = self.authorize(self.start_login(), personal_id)
        body = {"code": callback["code"], "state": callback["state"]}
        if device_name:
            body["device_name"] = device_name
        answer = self.post("/v1/auth/token", json=body)
        assert answer.status_code == 200, answer.text
        return Tokens(answer.json()["access_token"], answer.json()["refresh_token"])


@pytest.fixture
def an(api) -> Tokens:
    return api.login(AN)


@pytest.fixture
def binh(api) -> Tokens:
    return api.login(BINH)


@pytest.fixture
def cuong(api) -> Tokens:
    return api.login(CUONG)


# --- notifications ---------------------------------------------------------------------------------

def eventually(check, timeout: float = 30.0, interval: float = 0.2):
    """Polls `check` until it returns something truthy, for at most `timeout` seconds; returns it."""
    import time
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() >= deadline:
            assert result, f"not true within {timeout} s: {getattr(check, '__name__', check)}"
            return result
        time.sleep(interval)


@pytest.fixture(scope="session")
def fcm(stack):
    """The local FCM endpoint the push worker talks to through the real firebase-admin SDK."""
    return stack.fcm


@pytest.fixture
def an_phone(api):
    """An, logged in on a fresh session; logged out afterwards, so its devices never leak into other tests."""
    tokens = api.login(AN, "phone")
    yield tokens
    api.post("/v1/auth/logout", headers=tokens.auth)
