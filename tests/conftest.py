"""Shared fixtures: one local stack per test session (embedded AWS, dev eID, API) on free ports."""

import base64
import hashlib
import secrets
import time
import urllib.parse
from dataclasses import dataclass

import pytest
import requests

from devstack.eid_provider import DEMO_CITIZENS, DemoCitizen
from devstack.stack import GENEROUS_LIMITS, REDIRECT_URI, LocalStack

AN, BINH, CUONG = "001090000001", "001190000002", "001095000003"
# The contract fuzzer's own citizen (eID level 2, representing Bình's company): whatever the fuzzer
# registers, files or switches off happens to nobody another test looks at.
FUZZER = DemoCitizen(
    "079192000004", "Phạm Thị Dung", "1992-05-09", "female", "Phường Bến Nghé, TP. Hồ Chí Minh", "2", ("0109123458",)
)

# A citizen whose wallet is bound to a device key (tests/api/test_wallet_binding.py): every document issued to
# them after that needs the device's Key Binding JWT to be shared, so no other test uses them.
HOLDER = DemoCitizen("001092000006", "Đỗ Thị Hoa", "1992-04-10", "female", "Phường Ba Đình, Hà Nội", "2")

# A citizen whose account the erasure tests erase (tests/api/test_erasure.py), again and again: nobody else's.
LEAVER = DemoCitizen(
    "001087000008", "Vũ Minh Khôi", "1987-08-21", "male", "Phường Hoàn Kiếm, Hà Nội", "2", ("0109123458",)
)


@pytest.fixture(scope="session")
def synth(tmp_path_factory):
    """Every stage synthesized once per session, for tests/infra and tests/package (`make infra-check`)."""
    from tests.infra.synthesis import synthesize

    return synthesize(tmp_path_factory)


@pytest.fixture(scope="session")
def stack():
    running = LocalStack(env=dict(GENEROUS_LIMITS), citizens=(*DEMO_CITIZENS, FUZZER, HOLDER, LEAVER)).start()
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
        """The app's half of PKCE: a fresh verifier per login, kept with the answer (as the app keeps it)."""
        verifier = secrets.token_urlsafe(48)
        answer = self.post("/v1/auth/login", json=login_request(verifier))
        assert answer.status_code == 200, answer.text
        return {**answer.json(), "code_verifier": verifier}

    def authorize(self, login: dict, personal_id: str) -> dict[str, str]:
        """What the citizen's browser does at the eID: approve, and come back with code and state."""
        answer = requests.get(login["authorization_url"] + "&login_hint=" + personal_id, allow_redirects=False)
        assert answer.status_code == 302, answer.text
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(answer.headers["Location"]).query)
        return {name: values[0] for name, values in query.items()}

    def login(self, personal_id: str, device_name: str = "") -> Tokens:
        login = self.start_login()
        callback = self.authorize(login, personal_id)
        body = {"code": callback["code"], "state": callback["state"], "code_verifier": login["code_verifier"]}
        if device_name:
            body["device_name"] = device_name
        answer = self.post("/v1/auth/token", json=body)
        assert answer.status_code == 200, answer.text
        return Tokens(answer.json()["access_token"], answer.json()["refresh_token"])


def s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode("ascii")


def login_request(verifier: str | None = None, **overrides) -> dict:
    """A valid `POST /v1/auth/login` body."""
    verifier = verifier or secrets.token_urlsafe(48)
    return {
        "redirect_uri": REDIRECT_URI,
        "code_challenge": s256(verifier),
        "code_challenge_method": "S256",
        **overrides,
    }


@pytest.fixture
def an(api) -> Tokens:
    return api.login(AN)


@pytest.fixture
def binh(api) -> Tokens:
    return api.login(BINH)


@pytest.fixture
def cuong(api) -> Tokens:
    return api.login(CUONG)


class Clock:
    """The auth routes' clock, stopped at the test's start and moved only by advance(): windows are tested to
    the second without sleeping. (Access tokens are verified against the real clock: one signed after
    advance() is from the future.)"""

    def __init__(self):
        self.now = float(int(time.time()))

    def advance(self, seconds: int) -> None:
        self.now += seconds

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    from chalicelib import wiring

    moved = Clock()
    wiring.override("clock", moved)
    yield moved
    wiring.override("clock", time.time)


# --- agencies (machine to machine) -----------------------------------------------------------------


class AgencyClient:
    """A one-stop-shop system: proves itself with a private_key_jwt assertion, then calls agency routes."""

    def __init__(self, api: Api, demo, token_endpoint: str):
        self.api, self.demo, self.token_endpoint = api, demo, token_endpoint
        self.client_id = demo.agency.client_id
        self._token, self._token_at = None, 0.0

    def assertion(self, **overrides) -> str:
        import time
        import uuid

        import jwt

        now = int(time.time())
        claims = {
            "iss": self.client_id,
            "sub": self.client_id,
            "aud": self.token_endpoint,
            "iat": now,
            "exp": now + 120,
            "jti": str(uuid.uuid4()),
            **overrides,
        }
        return jwt.encode(claims, self.demo.private_key_pem, algorithm="ES256", headers={"kid": self.demo.kid})

    def token_form(self, **overrides) -> dict:
        return {
            "grant_type": "client_credentials",
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": self.assertion(),
            **overrides,
        }

    def request_token(self, form: dict):
        return self.api.post("/v1/agency/oauth/token", data=form)

    @property
    def token(self) -> str:
        import time

        if self._token is None or time.time() - self._token_at > 240:  # tokens live 5 minutes
            answer = self.request_token(self.token_form())
            assert answer.status_code == 200, answer.text
            self._token, self._token_at = answer.json()["access_token"], time.time()
        return self._token

    def headers(self, purpose: str = "Xử lý hồ sơ tại bộ phận một cửa", **extra) -> dict:
        import urllib.parse

        return {"Authorization": f"Bearer {self.token}", "X-Purpose": urllib.parse.quote(purpose), **extra}

    def get(self, path, **kwargs):
        return self.api.get(path, headers={**self.headers(), **kwargs.pop("headers", {})}, **kwargs)

    def post(self, path, **kwargs):
        return self.api.post(path, headers={**self.headers(), **kwargs.pop("headers", {})}, **kwargs)


@pytest.fixture(scope="session")
def agency(stack, api) -> AgencyClient:
    """The demo agency: the district one-stop shop of `make run`."""
    return AgencyClient(api, stack.agency_clients[0], stack.agency_token_endpoint)


@pytest.fixture(scope="session")
def other_agency(stack, api) -> AgencyClient:
    return AgencyClient(api, stack.agency_clients[1], stack.agency_token_endpoint)


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


class RecordingPublisher:
    """Same publish() as SqsPublisher; keeps what was published so a test can count it, or fails like SQS."""

    def __init__(self, fail: bool = False):
        self.messages, self.fail = [], fail

    def publish(self, message, delay_seconds=0, attributes=None):
        from chalicelib.errors import ServiceUnavailableError

        if self.fail:
            raise ServiceUnavailableError("queue_unavailable")
        self.messages.append(message)


class TellingRecorder:
    """The real notifications queue, keeping what was published through it (the inbox still gets it)."""

    def __init__(self, real):
        self._real, self.messages = real, []

    def publish(self, message, delay_seconds=0, attributes=None):
        self._real.publish(message, delay_seconds, attributes)
        self.messages.append(message)


@pytest.fixture
def published():
    """Dossier updates recorded instead of queued, for tests that count what was published."""
    from chalicelib import wiring

    publisher = RecordingPublisher()
    wiring.override("notifications_publisher", publisher)
    yield publisher
    wiring.reset()


@pytest.fixture
def limits(stack):
    """Lowers limits for one test: `limits(login_starts_per_minute=1)`; the stack's own come back after."""
    from dataclasses import replace

    from chalicelib import wiring

    original = wiring.settings()

    def lower(**values):
        wiring.override("settings", replace(original, limits=replace(original.limits, **values)))

    yield lower
    wiring.override("settings", original)
