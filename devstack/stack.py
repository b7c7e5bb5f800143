"""The whole backend on this machine: embedded AWS (moto server), the dev eID provider and the API.

Used by `make run` (fixed ports) and by the tests (free ports), so both exercise the same wiring.
"""

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import boto3
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm

from chalicelib.resources import (
    CURSOR_KEY_SECRET,
    EID_CLIENT_KEY_SECRET,
    PAYMENT_GATEWAY_SECRET,
    PERSON_KEY_SECRET,
    RESOURCES,
    TAX_CLIENT_KEY_SECRET,
)
from devstack.agencies import DemoAgencyClient, make_demo_agencies
from devstack.eid_provider import DEMO_CITIZENS, DemoCitizen, LocalEidProvider, RegisteredClient
from devstack.embedded_aws import EmbeddedAws
from devstack.fcm_endpoint import LocalFcmEndpoint
from devstack.gateway import create_api_server
from devstack.payment_gateway import TREASURY_ACCOUNT, TREASURY_BANK_BIN, LocalPaymentGateway
from devstack.poller import SqsPoller, sqs_handlers
from devstack.provision import local_name, provision
from devstack.schedules import ScheduleRunner, scheduled_handlers
from devstack.tax_authority import LocalTaxAuthority

EID_CLIENT_ID = "citizen-app-local"
TAX_CLIENT_ID = "citizen-app-local"
MERCHANT_CODE = "CITYAPP01"
PAYMENT_RETURN_URI = "citizenapp://payments/return"
REDIRECT_URI = "citizenapp://auth/callback"
REGION = "ap-southeast-1"
# For load from one machine: the test suite and the soak bench call from 127.0.0.1 as a few citizens, far
# above what one person does. Tests of a limit lower it for themselves (tests/api/test_rate_limits.py).
GENEROUS_LIMITS = {
    name: "100000"
    for name in (
        "RATE_LOGIN_STARTS_PER_MINUTE",
        "RATE_RECEIPT_LOOKUPS_PER_MINUTE",
        "RATE_DEVICE_REGISTRATIONS_PER_HOUR",
        "RATE_ONLINE_FILINGS_PER_HOUR",
        "RATE_SHARE_VIEWS_PER_MINUTE",
        "MAX_DEVICES_PER_CITIZEN",
        "MAX_PENDING_FILINGS",
        "RATE_UPLOAD_REQUESTS_PER_HOUR",
        "MAX_PENDING_UPLOADS",
        "RATE_BUSINESS_STATUS_VIEWS_PER_MINUTE",
        "RATE_CALENDAR_FEED_READS_PER_MINUTE",
        "RATE_EXPORT_REQUESTS_PER_DAY",
    )
}
# A web client's dev server on this machine (the city portal's, say) may call the local API from a browser.
LOCAL_WEB_ORIGINS = "http://localhost:3000,http://127.0.0.1:3000"


ANY_ADDRESS = "0.0.0.0"


class PortInUseError(RuntimeError):
    pass


@dataclass
class StackPorts:
    aws: int = 0
    eid: int = 0
    api: int = 0
    fcm: int = 0
    tax: int = 0
    payments: int = 0


@dataclass
class LocalStack:
    host: str = "127.0.0.1"  # where the servers listen; 0.0.0.0 for a phone on the LAN
    ports: StackPorts = field(default_factory=StackPorts)
    public_base_url: str = ""  # scheme and host clients use (http://192.168.1.20); derived from host if empty
    redirect_uris: tuple[str, ...] = (REDIRECT_URI,)
    env: dict[str, str] = field(default_factory=dict)
    # Tests add citizens of their own so that what they change cannot disturb the demo citizens' tests.
    citizens: tuple[DemoCitizen, ...] = DEMO_CITIZENS
    schedule_clock: Callable[[], float] = time.time  # `make run` passes devstack.clock.local_now
    _moto: EmbeddedAws | None = None
    _eid: LocalEidProvider | None = None
    _api: Any = None
    poller: SqsPoller | None = None
    fcm: LocalFcmEndpoint | None = None
    tax_authority: LocalTaxAuthority | None = None
    payment_gateway: LocalPaymentGateway | None = None
    schedules: ScheduleRunner | None = None
    agency_clients: list[DemoAgencyClient] = field(default_factory=list)

    def start(self) -> "LocalStack":
        ensure_ports_free(self.host, vars(self.ports))
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        self._start_aws()
        self._start_eid()
        self._start_fcm()
        self._start_tax_authority()
        self._start_payment_gateway()
        self._put_dossier_secrets()
        self._start_api()
        self.payment_gateway.callback_url = f"http://{_reachable(self.host)}:{self._api_port}/v1/payments/callback"
        self._register_agencies()
        self._start_poller()
        self.schedules = ScheduleRunner(
            scheduled_handlers(self._app()), interval_seconds=5, clock=self.schedule_clock
        ).start()
        return self

    @property
    def public_base(self) -> str:
        """What the API URL, the eID issuer (its login pages open in the phone's browser) and the token issuer
        are built on."""
        if self.public_base_url:
            return self.public_base_url.rstrip("/")
        return f"http://{lan_address() if self.host == ANY_ADDRESS else self.host}"

    @property
    def aws_endpoint(self) -> str:
        # Only this process talks to the embedded AWS: over loopback even when it listens on every address.
        return f"http://{_reachable(self.host)}:{self._moto.get_host_and_port()[1]}"

    @property
    def public_aws_endpoint(self) -> str:
        """The embedded AWS as a phone reaches it: presigned upload POSTs and download links are signed for it."""
        return f"{self.public_base}:{self._moto.get_host_and_port()[1]}"

    @property
    def eid_issuer(self) -> str:
        return self._eid.issuer

    @property
    def api_url(self) -> str:
        return f"{self.public_base}:{self._api.server.server_address[1]}"

    def aws_session(self) -> boto3.Session:
        return boto3.Session(aws_access_key_id="local", aws_secret_access_key="local", region_name=REGION)

    def client(self, service: str) -> Any:
        return self.aws_session().client(service, endpoint_url=self.aws_endpoint)

    def _start_aws(self) -> None:
        self._moto = EmbeddedAws(self.host, self.ports.aws).start()
        self.env.update(provision(self.aws_session(), self.aws_endpoint))
        self.env.update(
            {
                "STAGE": "local",
                "AWS_ENDPOINT_URL": self.aws_endpoint,
                "AWS_REGION": REGION,
                "AWS_ACCESS_KEY_ID": "local",
                "AWS_SECRET_ACCESS_KEY": "local",
                "DOCUMENTS_PUBLIC_ENDPOINT_URL": self.public_aws_endpoint,
            }
        )

    def _start_eid(self) -> None:
        """Our client key pair: private half in Secrets Manager (as on AWS), public half registered at the eID."""
        private_key = ec.generate_private_key(ec.SECP256R1())
        pem = private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode("ascii")
        self.client("secretsmanager").put_secret_value(
            SecretId=self.env[EID_CLIENT_KEY_SECRET.env_var], SecretString=pem
        )
        public_jwk = ECAlgorithm.to_jwk(private_key.public_key(), as_dict=True)
        public_jwk["kid"] = "citizen-app-local-1"
        client = RegisteredClient(EID_CLIENT_ID, public_jwk, self.redirect_uris)
        self._eid = LocalEidProvider([client], citizens=self.citizens).start(
            self.host, self.ports.eid, self.public_base
        )
        self.env.update(
            {
                "EID_ISSUER": self._eid.issuer,
                "EID_CLIENT_ID": EID_CLIENT_ID,
                "LOGIN_REDIRECT_URIS": ",".join(self.redirect_uris),
            }
        )

    def _put_dossier_secrets(self) -> None:
        """Random per run, as an operator would generate it; never in the repo."""
        for secret in (PERSON_KEY_SECRET, CURSOR_KEY_SECRET):
            self.client("secretsmanager").put_secret_value(
                SecretId=self.env[secret.env_var], SecretString=os.urandom(32).hex()
            )

    def _register_agencies(self) -> None:
        from chalicelib import wiring

        self.agency_clients = make_demo_agencies()
        for client in self.agency_clients:
            wiring.agencies().register(client.agency)

    @property
    def agency_token_endpoint(self) -> str:
        return self.api_url + "/v1/agency/oauth/token"

    def _start_fcm(self) -> None:
        """Push goes through the real firebase-admin SDK to this endpoint; its service account (token_uri
        pointing here) sits in Secrets Manager as on AWS. Retries back off in seconds, not minutes."""
        from chalicelib.resources import FCM_SERVICE_ACCOUNT_SECRET

        self.fcm = LocalFcmEndpoint().start(self.host, self.ports.fcm)
        self.client("secretsmanager").put_secret_value(
            SecretId=self.env[FCM_SERVICE_ACCOUNT_SECRET.env_var], SecretString=self.fcm.service_account_json()
        )
        self.env.update({"FCM_ENDPOINT": self.fcm.url, "PUSH_RETRY_BASE_SECONDS": "1"})

    def _start_tax_authority(self) -> None:
        """The API reaches it over loopback; our client key pair is registered there, its private half kept in
        Secrets Manager as on AWS."""
        self.tax_authority = LocalTaxAuthority().start(self.host, self.ports.tax)
        self.client("secretsmanager").put_secret_value(
            SecretId=self.env[TAX_CLIENT_KEY_SECRET.env_var], SecretString=self.tax_authority.new_client(TAX_CLIENT_ID)
        )
        self.env.update({"TAX_AUTHORITY_URL": self.tax_authority.audience, "TAX_CLIENT_ID": TAX_CLIENT_ID})

    def _start_payment_gateway(self) -> None:
        """Its payment page opens in the citizen's browser (public address); its callback reaches the API over
        loopback once the API listens. A fresh merchant secret per run, in Secrets Manager as on AWS."""
        secret = os.urandom(32).hex()
        self.payment_gateway = LocalPaymentGateway(MERCHANT_CODE, secret, callback_url="")
        self.payment_gateway.start(self.host, self.ports.payments)
        self.client("secretsmanager").put_secret_value(
            SecretId=self.env[PAYMENT_GATEWAY_SECRET.env_var], SecretString=secret
        )
        port = self.payment_gateway.url.rsplit(":", 1)[1]
        self.env.update(
            {
                "PAYMENT_GATEWAY_URL": f"{self.public_base}:{port}",
                "PAYMENT_MERCHANT_CODE": MERCHANT_CODE,
                "PAYMENT_RETURN_URL": PAYMENT_RETURN_URI,
                "PAYMENT_COLLECTION_BANK_BIN": TREASURY_BANK_BIN,
                "PAYMENT_COLLECTION_ACCOUNT": TREASURY_ACCOUNT,
            }
        )

    @property
    def _api_port(self) -> int:
        return self._api.server.server_address[1]

    @staticmethod
    def _app() -> Any:
        from app import app

        return app

    def _start_api(self) -> None:
        from app import app
        from chalicelib import wiring

        self._api = create_api_server(app, self.host, self.ports.api)
        self.env["TOKEN_ISSUER"] = self.api_url
        self.env["CORS_ALLOWED_ORIGINS"] = os.environ.get("CORS_ALLOWED_ORIGINS") or LOCAL_WEB_ORIGINS
        os.environ.update(self.env)
        wiring.reset()
        threading.Thread(target=self._api.server.serve_forever, name="api", daemon=True).start()

    def _start_poller(self) -> None:
        from app import app

        handlers = sqs_handlers(app)
        routes = {
            self.env[queue.env_var]: handlers[local_name(queue.logical_id)]
            for queue in RESOURCES.queues
            if local_name(queue.logical_id) in handlers
        }
        self.poller = SqsPoller(self.client("sqs"), routes).start()

    def stop(self, timeout: float = 5.0) -> None:
        """Within about `timeout` seconds: the workers are told first, so their long polls and schedules wind
        down while the servers close; a worker still busy after that is a daemon thread and does not hold
        the process."""
        workers = [runner for runner in (self.schedules, self.poller) if runner]
        for runner in workers:
            runner.request_stop()
        servers = (self._eid, self.fcm, self.tax_authority, self.payment_gateway)
        for stopper in (self._api and self._stop_api, *(server.stop for server in servers if server)):
            if stopper:
                stopper()
        deadline = time.monotonic() + timeout
        for runner in workers:
            runner.stop(timeout=max(0.0, deadline - time.monotonic()))
        if self._moto:
            self._moto.stop()  # last: a worker finishing its batch still writes to it

    def _stop_api(self) -> None:
        self._api.shutdown()
        self._api.server.server_close()  # chalice's shutdown leaves the socket listening


def lan_address() -> str:
    """This machine's address on its LAN: the source address of a route out. A UDP connect sends nothing."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed anywhere, only looked up
            return probe.getsockname()[0]
        except OSError:  # no network at all: the phone cannot reach us anyway
            return "127.0.0.1"


def _reachable(host: str) -> str:
    return "127.0.0.1" if host == ANY_ADDRESS else host


def ensure_ports_free(host: str, ports: dict[str, int]) -> None:
    """Every clash in one message, so a newcomer frees or moves them all in one go."""
    clashes = [(name, port) for name, port in ports.items() if port and not _port_free(host, port)]
    if clashes:
        listed = ", ".join(f"{port} ({name})" for name, port in clashes)
        moves = " ".join(f"{name.upper()}_PORT=..." for name, _ in clashes)
        raise PortInUseError(
            f"already in use on {host}: {listed}. Is another `make run` still running? "
            f"Stop it, or choose other ports: {moves} make run"
        )


def _port_free(host: str, port: int) -> bool:
    # SO_REUSEADDR as the servers set it: connections of a stopped run lingering in TIME_WAIT do not count.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True
