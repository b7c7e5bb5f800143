"""Play a demo agency against `make run`: `python -m devstack.agency_cli record|event|list ...`.

It reads .local/demo-credentials.json, signs a private_key_jwt assertion, gets an agency token and
calls the agency API, printing the JSON answers. Dev-only convenience; it uses nothing the public
contract does not describe.
"""

import argparse
import json
import sys
import time
import urllib.parse
import uuid
from datetime import UTC, datetime
from pathlib import Path

import jwt
import requests

CREDENTIALS = Path(".local/demo-credentials.json")
PURPOSE = urllib.parse.quote("Xử lý hồ sơ tại bộ phận một cửa")


def agency_token(agency: dict) -> str:
    now = int(time.time())
    assertion = jwt.encode(
        {
            "iss": agency["client_id"],
            "sub": agency["client_id"],
            "aud": agency["token_endpoint"],
            "iat": now,
            "exp": now + 120,
            "jti": str(uuid.uuid4()),
        },
        agency["private_key_pem"],
        algorithm="ES256",
        headers={"kid": agency["kid"]},
    )
    answer = requests.post(
        agency["token_endpoint"],
        data={
            "grant_type": "client_credentials",
            "client_assertion": assertion,
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        },
        timeout=10,
    )
    answer.raise_for_status()
    return answer.json()["access_token"]


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    credentials = json.loads(Path(args.credentials).read_text(encoding="utf-8"))
    agency = credentials["agencies"][args.agency]
    headers = {"Authorization": f"Bearer {agency_token(agency)}", "X-Purpose": PURPOSE}
    api = credentials["api_url"]
    if args.command == "record":
        answer = requests.post(
            f"{api}/v1/agency/dossiers",
            headers={**headers, "Idempotency-Key": str(uuid.uuid4())},
            json={"personal_id": args.personal_id, "procedure_code": args.procedure},
            timeout=10,
        )
    elif args.command == "event":
        answer = requests.post(
            f"{api}/v1/agency/dossiers/{args.receipt_code}/events",
            headers=headers,
            timeout=10,
            json={
                "event_id": str(uuid.uuid4()),
                "status": args.status,
                "note": args.note,
                "occurred_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "step_name": args.step,
                "agency_unit": "Bộ phận một cửa",
                "officer_role": "Công chức tiếp nhận",
            },
        )
    else:
        answer = requests.get(f"{api}/v1/agency/dossiers", headers=headers, params={"status": args.status}, timeout=10)
    print(answer.status_code, json.dumps(answer.json(), ensure_ascii=False, indent=2))
    return 0 if answer.ok else 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m devstack.agency_cli", description=__doc__.splitlines()[0])
    parser.add_argument("--agency", type=int, default=0, help="index in demo-credentials agencies (default 0)")
    parser.add_argument("--credentials", default=str(CREDENTIALS), help="the file `make run` wrote")
    commands = parser.add_subparsers(dest="command", required=True)
    record = commands.add_parser("record", help="record a counter dossier for a citizen")
    record.add_argument("personal_id")
    record.add_argument("procedure", nargs="?", default="KHAI_SINH")
    event = commands.add_parser("event", help="post a status step to a dossier")
    event.add_argument("receipt_code")
    event.add_argument("status")
    event.add_argument("--step", default="Xử lý hồ sơ")
    event.add_argument("--note", default="")
    listing = commands.add_parser("list", help="this agency's dossiers")
    listing.add_argument("--status", default="")
    return parser


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
