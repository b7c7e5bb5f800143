"""Play a demo agency against `make run`: `python -m devstack.agency_cli record|event|list|issue|document|revoke ...`.

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
ISSUE_PURPOSE = urllib.parse.quote("Cấp giấy tờ vào ví của công dân")
DOCUMENT_COMMANDS = ("issue", "revoke", "suspend", "reinstate", "document")
# An's birth certificate extract, as the demo issuer would push it.
DEMO_CLAIMS = {
    "full_name": "Nguyễn Văn An",
    "date_of_birth": "1990-03-15",
    "place_of_birth": "Phường Hoàn Kiếm, Hà Nội",
    "gender": "Nam",
    "nationality": "Việt Nam",
    "registration_number": "123/2026/TLKS",
    "issue_date": "2026-01-02",
    "issuing_authority": "UBND phường Hoàn Kiếm",
}


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
    agency = credentials["agencies"][_agency_index(args, credentials["agencies"])]
    headers = {"Authorization": f"Bearer {agency_token(agency)}", "X-Purpose": PURPOSE}
    api = credentials["api_url"]
    if args.command in DOCUMENT_COMMANDS:
        answer = _document_command(args, api, {**headers, "X-Purpose": ISSUE_PURPOSE})
    elif args.command == "record":
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
                **_result(args),
            },
        )
    else:
        answer = requests.get(f"{api}/v1/agency/dossiers", headers=headers, params={"status": args.status}, timeout=10)
    print(answer.status_code, json.dumps(answer.json(), ensure_ascii=False, indent=2))
    return 0 if answer.ok else 1


def _agency_index(args: argparse.Namespace, agencies: list[dict]) -> int:
    """Document commands default to the first issuer that handles no procedure (a one-stop shop may issue too,
    the results of its procedures), the others to the first agency."""
    if args.agency is not None:
        return args.agency
    if args.command in DOCUMENT_COMMANDS:
        return next(i for i, a in enumerate(agencies) if a.get("credential_types") and not a.get("procedures"))
    return 0


def _document_command(args: argparse.Namespace, api: str, headers: dict) -> requests.Response:
    if args.command == "document":
        return requests.get(f"{api}/v1/issuer/documents/{args.document_id}", headers=headers, timeout=10)
    if args.command != "issue":
        return requests.post(
            f"{api}/v1/issuer/documents/{args.document_id}/{args.command}", headers=headers, timeout=10
        )
    claims = json.loads(_text(args.claims)) if args.claims else DEMO_CLAIMS
    body = {"personal_id": args.personal_id, "type": args.type, "claims": claims}
    pdf = _pdf(args.pdf) if args.pdf else None
    if pdf is not None:
        body["pdf"] = {"size": len(pdf)}
    answer = requests.post(
        f"{api}/v1/issuer/documents",
        headers={**headers, "Idempotency-Key": str(uuid.uuid4())},
        json=body,
        timeout=10,
    )
    if pdf is not None and answer.status_code == 201:
        _upload_pdf(answer.json()["pdf"]["upload"], pdf)
    return answer


def _pdf(argument: str) -> bytes:
    """A file's bytes, or with `demo` a one-page A4 PDF made here (the worker checks either as it comes)."""
    if argument != "demo":
        return Path(argument).read_bytes()
    import io

    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    frame = DecodedStreamObject()
    frame.set_data(b"0 0 0 RG 4 w 40 40 515 762 re S 0.1 0.3 0.6 rg 60 700 475 80 re f")
    writer.pages[0][NameObject("/Contents")] = writer._add_object(frame)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _upload_pdf(upload: dict, data: bytes) -> None:
    """The presigned POST: every field as given, then the file; S3 tells the upload worker."""
    posted = requests.post(upload["url"], data=upload["fields"], files={"file": ("document.pdf", data)}, timeout=30)
    posted.raise_for_status()


def _result(args: argparse.Namespace) -> dict:
    """A `completed` event may deliver the dossier's result into the citizen's wallet."""
    if not args.result:
        return {}
    claims = json.loads(_text(args.claims)) if args.claims else DEMO_CLAIMS
    return {"result_document": {"type": args.result, "claims": claims}}


def _text(argument: str) -> str:
    return Path(argument[1:]).read_text(encoding="utf-8") if argument.startswith("@") else argument


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m devstack.agency_cli", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--agency", type=int, default=None, help="index in demo-credentials agencies (default: 0, or the issuer)"
    )
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
    event.add_argument("--result", help="a document type the agency issues, delivered with a completed event")
    event.add_argument(
        "--claims", help="the result's claims as JSON, or @file (default: An's birth certificate extract)"
    )
    listing = commands.add_parser("list", help="this agency's dossiers")
    listing.add_argument("--status", default="")
    issue = commands.add_parser("issue", help="issue a wallet document to a citizen (as the demo issuer)")
    issue.add_argument("personal_id")
    issue.add_argument("type", nargs="?", default="BIRTH_CERTIFICATE_EXTRACT")
    issue.add_argument("--claims", help="the claims as JSON, or @file (default: An's birth certificate extract)")
    issue.add_argument("--pdf", help="the signed PDF to upload with it: a file, or `demo` for a generated one")
    for action in DOCUMENT_COMMANDS[1:4]:
        command = commands.add_parser(action, help=f"{action} a wallet document this issuer issued")
        command.add_argument("document_id")
    shown = commands.add_parser("document", help="a document this issuer issued: its status and its PDF's")
    shown.add_argument("document_id")
    return parser


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
