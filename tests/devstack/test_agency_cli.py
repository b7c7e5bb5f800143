"""The agency command line a person uses against `make run`, driven against the test stack."""

import json

from devstack.__main__ import write_credentials
from devstack.agency_cli import main
from tests.conftest import AN, eventually


def _answer(capsys) -> tuple[int, dict]:
    """The CLI's own output, without the in-process API's log lines (one JSON object per line)."""
    lines = [line for line in capsys.readouterr().out.splitlines() if not line.startswith('{"ts"')]
    status, _, body = "\n".join(lines).partition(" ")
    return int(status), json.loads(body)


def test_record_then_event_then_list(stack, api, tmp_path, capsys):
    credentials = tmp_path / "demo-credentials.json"
    write_credentials(stack, credentials)
    assert main(["--credentials", str(credentials), "record", AN, "KHAI_SINH"]) == 0
    status, recorded = _answer(capsys)
    assert status == 201 and recorded["receipt_code"] and recorded["pin"]
    assert main(["--credentials", str(credentials), "event", recorded["receipt_code"], "processing"]) == 0
    assert _answer(capsys)[1]["dossier_status"] == "processing"
    assert main(["--credentials", str(credentials), "list", "--status", "processing"]) == 0
    listed = _answer(capsys)[1]["items"]
    assert recorded["receipt_code"] in {d["receipt_code"] for d in listed}


def test_an_agency_cannot_post_to_another_agencys_dossier(stack, api, tmp_path, capsys):
    credentials = tmp_path / "demo-credentials.json"
    write_credentials(stack, credentials)
    main(["--credentials", str(credentials), "record", AN])
    receipt = _answer(capsys)[1]["receipt_code"]
    assert main(["--credentials", str(credentials), "--agency", "1", "event", receipt, "completed"]) == 1
    assert _answer(capsys)[0] == 404


def test_issue_then_revoke_as_the_demo_issuer(stack, api, tmp_path, capsys):
    credentials = tmp_path / "demo-credentials.json"
    write_credentials(stack, credentials)
    assert main(["--credentials", str(credentials), "issue", AN]) == 0
    status, issued = _answer(capsys)
    assert status == 201 and issued["type"] == "BIRTH_CERTIFICATE_EXTRACT" and issued["status"] == "valid"
    assert main(["--credentials", str(credentials), "revoke", issued["document_id"]]) == 0
    assert _answer(capsys)[1]["status"] == "revoked"
    assert main(["--credentials", str(credentials), "--agency", "0", "revoke", issued["document_id"]]) == 1
    assert _answer(capsys)[0] == 403


def test_issue_with_the_demo_pdf_then_the_issuer_sees_it_ready(stack, api, tmp_path, capsys):
    credentials = tmp_path / "demo-credentials.json"
    write_credentials(stack, credentials)
    assert main(["--credentials", str(credentials), "issue", AN, "--pdf", "demo"]) == 0
    status, issued = _answer(capsys)
    assert status == 201 and issued["pdf"]["status"] == "pending"

    def ready():
        assert main(["--credentials", str(credentials), "document", issued["document_id"]]) == 0
        shown = _answer(capsys)[1]
        return shown if shown["pdf"]["status"] != "pending" else None

    assert eventually(ready, timeout=60)["pdf"] == {"status": "ready", "reason": None, "page_count": 1}
