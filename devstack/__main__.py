"""`make run`: the whole backend on 127.0.0.1 with demo data, in one foreground process (Ctrl-C stops it)."""

import json
import os
import signal
import sys
import threading
from pathlib import Path

from devstack.eid_model import DEMO_CITIZENS
from devstack.stack import REDIRECT_URI, LocalStack, PortInUseError, StackPorts

CREDENTIALS_FILE = Path(".local/demo-credentials.json")


def main() -> int:
    ports = StackPorts(
        aws=int(os.environ.get("AWS_PORT", 4566)),
        eid=int(os.environ.get("EID_PORT", 8001)),
        api=int(os.environ.get("API_PORT", 8000)),
        fcm=int(os.environ.get("FCM_PORT", 8002)),
    )
    try:
        stack = LocalStack(ports=ports).start()
    except PortInUseError as error:
        print(f"Cannot start: {error}", file=sys.stderr)
        return 1
    try:
        write_credentials(stack)
        _print_banner(stack)
        _wait_for_stop_signal()
        print("\nStopping...", flush=True)
    finally:
        stack.stop()
    return 0


def _wait_for_stop_signal() -> None:
    """Ctrl-C (SIGINT) or SIGTERM (docker stop, systemd, `kill`). SIGINT's handler is installed, not inherited:
    a shell starting `make run &` without job control sets SIGINT to ignored, and so would Ctrl-C never stop it."""
    stopping = threading.Event()
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda *_: stopping.set())
    while not stopping.wait(0.5):  # a timed wait, so the main thread gets to run the handler promptly
        pass


def write_credentials(stack: LocalStack, path: Path = CREDENTIALS_FILE) -> None:
    path.parent.mkdir(exist_ok=True)
    path.write_text(
        json.dumps(
            {
                "api_url": stack.api_url,
                "aws_endpoint_url": stack.aws_endpoint,
                "eid_issuer": stack.eid_issuer,
                "redirect_uri": REDIRECT_URI,
                "demo_citizens": [
                    {
                        "personal_id": c.personal_id,
                        "full_name": c.full_name,
                        "eid_level": int(c.level),
                        "represents": list(c.represents),
                    }
                    for c in DEMO_CITIZENS
                ],
                "login_steps": [
                    'POST {api_url}/v1/auth/login {"redirect_uri": "%s"}' % REDIRECT_URI,
                    "GET authorization_url + '&login_hint=<personal_id>' (do not follow the 302)",
                    'POST {api_url}/v1/auth/token {"code", "state"} from the 302 Location',
                ],
                "agencies": [_agency_credentials(stack, client) for client in stack.agency_clients],
            },
            ensure_ascii=False,
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )


def _agency_credentials(stack: LocalStack, client) -> dict:
    """Dev-only keys generated at start-up: enough to play the agency's one-stop-shop system."""
    return {
        "agency_id": client.agency.agency_id,
        "name": client.agency.name_vi,
        "client_id": client.agency.client_id,
        "token_endpoint": stack.agency_token_endpoint,
        "kid": client.kid,
        "private_key_pem": client.private_key_pem,
        "procedures": list(client.agency.procedure_codes),
        "example": [
            "client_assertion = ES256 JWT {iss: client_id, sub: client_id, aud: token_endpoint, exp: now+120, jti: uuid}",
            "POST token_endpoint (form) grant_type=client_credentials&client_assertion_type="
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer&client_assertion=<jwt>",
            "POST {api_url}/v1/agency/dossiers  Authorization: Bearer <token>, Idempotency-Key: <uuid>, "
            'X-Purpose: Tiep%20nhan%20ho%20so  {"personal_id": "001090000001", "procedure_code": "KHAI_SINH"}',
            'POST {api_url}/v1/agency/dossiers/<receipt_code>/events {"event_id", "occurred_at", "status": "processing"}',
        ],
    }


def _print_banner(stack: LocalStack) -> None:
    print(f"""
Citizen app backend is running (stage: local)
  API            {stack.api_url}      (try {stack.api_url}/v1/health)
  eID provider   {stack.eid_issuer}   (dev only; discovery at /.well-known/openid-configuration)
  Embedded AWS   {stack.aws_endpoint}
  Local FCM      {stack.fcm.url}   (pushes received: {stack.fcm.url}/control/messages)
Demo logins (append &login_hint=<personal ID> to the authorization_url):""")
    for citizen in DEMO_CITIZENS:
        print(f"  {citizen.personal_id}  {citizen.full_name}  (eID level {citizen.level})")
    print(f"Integrator details: {CREDENTIALS_FILE}\nCtrl-C stops everything.", flush=True)


if __name__ == "__main__":
    sys.exit(main())
