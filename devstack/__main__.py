"""`make run`: the whole backend with demo data, in one foreground process (Ctrl-C or SIGTERM stops it).

Settings (environment): AWS_PORT, EID_PORT, API_PORT, FCM_PORT; BIND_HOST (bind address, 127.0.0.1; 0.0.0.0 for a
phone on the LAN); PUBLIC_BASE_URL or PUBLIC_HOST (the address the phone uses, e.g. http://192.168.1.20;
derived from BIND_HOST, the LAN address when it is 0.0.0.0); LOGIN_REDIRECT_URIS (comma-separated allowlist,
registered at the dev eID and given to the API; the app's custom scheme by default).
"""

import json
import os
import signal
import sys
import threading
from pathlib import Path

from devstack.clock import local_now
from devstack.eid_model import DEMO_CITIZENS
from devstack.stack import ANY_ADDRESS, REDIRECT_URI, LocalStack, PortInUseError, StackPorts

CREDENTIALS_FILE = Path(".local/demo-credentials.json")


def main() -> int:
    ports = StackPorts(
        aws=int(os.environ.get("AWS_PORT", 4566)),
        eid=int(os.environ.get("EID_PORT", 8001)),
        api=int(os.environ.get("API_PORT", 8000)),
        fcm=int(os.environ.get("FCM_PORT", 8002)),
        tax=int(os.environ.get("TAX_PORT", 8003)),
        payments=int(os.environ.get("PAYMENTS_PORT", 8004)),
    )
    try:
        stack = _stack_from_environment(ports).start()
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


def _stack_from_environment(ports: StackPorts) -> LocalStack:
    public_host = os.environ.get("PUBLIC_HOST", "")
    public = os.environ.get("PUBLIC_BASE_URL", "") or (f"http://{public_host}" if public_host else "")
    redirects = tuple(u.strip() for u in os.environ.get("LOGIN_REDIRECT_URIS", REDIRECT_URI).split(",") if u.strip())
    host = os.environ.get("BIND_HOST", "127.0.0.1")
    return LocalStack(
        host=host,
        ports=ports,
        public_base_url=public,
        redirect_uris=redirects or (REDIRECT_URI,),
        schedule_clock=local_now,
    )


def write_credentials(stack: LocalStack, path: Path = CREDENTIALS_FILE) -> None:
    path.parent.mkdir(exist_ok=True)
    path.write_text(
        json.dumps(
            {
                "api_url": stack.api_url,
                "aws_endpoint_url": stack.aws_endpoint,
                "eid_issuer": stack.eid_issuer,
                "redirect_uri": stack.redirect_uris[0],
                "redirect_uris": list(stack.redirect_uris),
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
                    "code_verifier = 43-128 random characters of [A-Za-z0-9-._~], new for every login, kept by the app;"
                    " code_challenge = base64url(SHA-256(code_verifier)) without padding (RFC 7636 S256)",
                    'POST {api_url}/v1/auth/login {"redirect_uri": "%s", "code_challenge": "<code_challenge>", '
                    '"code_challenge_method": "S256"}' % stack.redirect_uris[0],
                    "GET authorization_url + '&login_hint=<personal_id>' (do not follow the 302)",
                    'POST {api_url}/v1/auth/token {"code", "state"} from the 302 Location, and "code_verifier"',
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
        "credential_types": list(client.agency.credential_types),
        "example": [
            "client_assertion = ES256 JWT {iss: client_id, sub: client_id, aud: token_endpoint, exp: now+120, jti: uuid}",
            "POST token_endpoint (form) grant_type=client_credentials&client_assertion_type="
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer&client_assertion=<jwt>",
            "POST {api_url}/v1/agency/dossiers  Authorization: Bearer <token>, Idempotency-Key: <uuid>, "
            'X-Purpose: Tiep%20nhan%20ho%20so  {"personal_id": "001090000001", "procedure_code": "KHAI_SINH"}',
            'POST {api_url}/v1/agency/dossiers/<receipt_code>/events {"event_id", "occurred_at", "status": "processing"}',
            "POST {api_url}/v1/issuer/documents (an issuer, Idempotency-Key, X-Purpose) "
            '{"personal_id", "type": "BIRTH_CERTIFICATE_EXTRACT", "claims": {...}}',
        ],
    }


def _print_banner(stack: LocalStack) -> None:
    print(f"""
Citizen app backend is running (stage: local)
  API            {stack.api_url}      (try {stack.api_url}/v1/health)
  eID provider   {stack.eid_issuer}   (dev only; discovery at /.well-known/openid-configuration)
  Embedded AWS   {stack.aws_endpoint}   (phones upload to it at {stack.public_aws_endpoint})
  Local FCM      {stack.fcm.url}   (pushes received: {stack.fcm.url}/control/messages)
  Tax authority  {stack.tax_authority.url}   (dev only; faults on command: POST /control/faults)
  Payments       {stack.env["PAYMENT_GATEWAY_URL"]}   (dev only; complete a payment from its page)
Demo logins (append &login_hint=<personal ID> to the authorization_url):""")
    for citizen in DEMO_CITIZENS:
        print(f"  {citizen.personal_id}  {citizen.full_name}  (eID level {citizen.level})")
    print(f"Integrator details: {CREDENTIALS_FILE}", flush=True)
    if stack.host not in ("127.0.0.1", "localhost"):
        _print_phone_qr(stack)
    print("Ctrl-C stops everything.", flush=True)


def _print_phone_qr(stack: LocalStack) -> None:
    """The API base URL, the one thing a phone build needs in its config: the app starts each login itself
    (POST /v1/auth/login) and opens the eID pages it is given, which are on the same public address."""
    import segno

    print(f"\nOn a phone (same network): set the app's API URL to {stack.api_url}, or scan:")
    segno.make(stack.api_url, error="m").terminal(compact=True)
    if stack.host == ANY_ADDRESS and not os.environ.get("PUBLIC_BASE_URL") and not os.environ.get("PUBLIC_HOST"):
        print("(address detected; if the phone cannot reach it, set PUBLIC_HOST=<this machine's LAN IP>)")


if __name__ == "__main__":
    sys.exit(main())
