"""The offline verifier, run as a verifier would run it: a subprocess given only files."""

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from chalicelib.adapters.jws import LocalEcSigner
from chalicelib.adapters.sd_jwt_vc import issue_sd_jwt_vc, issuer_metadata, present_sd_jwt_vc
from chalicelib.adapters.status_list_tokens import sign_status_list_token
from chalicelib.domain.credentials import CredentialStatus
from chalicelib.domain.status_list import StatusList

ROOT = Path(__file__).resolve().parents[2]
ISSUER = "https://wallet.example.gov.vn"
LIST_URI = f"{ISSUER}/status-lists/1"
CLAIMS = {"full_name": "Nguyễn Văn An", "date_of_birth": "1990-05-17", "registration_number": "123/2026"}


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> Path:
    """Issuer metadata, a fresh status list revoking index 2, and presentations of index 1 and 2."""
    folder, now = tmp_path_factory.mktemp("verifier"), int(time.time())
    issuer, holder = LocalEcSigner.generate("issuer-1"), LocalEcSigner.generate("device")
    (folder / "issuer.json").write_text(json.dumps(issuer_metadata(ISSUER, [issuer])))
    status_list = StatusList(64)
    status_list.set(2, CredentialStatus.INVALID)
    (folder / "status.jwt").write_text(
        sign_status_list_token(
            issuer, status_list, uri=LIST_URI, issuer=ISSUER, issued_at=now, ttl=300, expires_at=now + 3600
        )
    )
    for index in (1, 2):
        sd_jwt = issue_sd_jwt_vc(
            issuer,
            claims=CLAIMS,
            vct="urn:test:vct",
            issuer=ISSUER,
            issued_at=now - 5,
            expires_at=now + 3600,
            status_uri=LIST_URI,
            status_index=index,
            holder_jwk=holder.public_jwk(),
        )
        (folder / f"presentation-{index}.txt").write_text(
            present_sd_jwt_vc(
                sd_jwt, ["full_name", "date_of_birth"], holder, "https://bank.example", "n-42", issued_at=now
            )
        )
    return folder


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "devstack.verify_cli", *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def test_a_valid_presentation_prints_its_claims_and_checks_and_exits_0(files):
    run = _run(
        f"@{files / 'presentation-1.txt'}",
        "--jwks",
        str(files / "issuer.json"),
        "--status-list",
        str(files / "status.jwt"),
        "--audience",
        "https://bank.example",
        "--nonce",
        "n-42",
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "claim full_name: Nguyễn Văn An" in run.stdout and "registration_number" not in run.stdout
    assert "check signature: ok" in run.stdout and "check status: ok" in run.stdout
    assert run.stdout.strip().endswith("result: VALID")


def test_a_revoked_credential_is_reported_revoked_offline_and_exits_1(files):
    run = _run(
        f"@{files / 'presentation-2.txt'}",
        "--jwks",
        str(files / "issuer.json"),
        "--status-list",
        str(files / "status.jwt"),
        "--json",
    )
    answer = json.loads(run.stdout)
    assert run.returncode == 1
    assert answer["valid"] is False and answer["checks"]["status"] == "revoked" and answer["status"] == "INVALID"
    assert answer["checks"]["key_binding"] == "not_required"


def test_a_wrong_nonce_exits_1_with_its_reason(files):
    presentation = (files / "presentation-1.txt").read_text()
    run = _run(
        presentation,
        "--jwks",
        str(files / "issuer.json"),
        "--status-list",
        str(files / "status.jwt"),
        "--audience",
        "https://bank.example",
        "--nonce",
        "another",
    )
    assert run.returncode == 1 and "result: NOT VALID (kb_nonce_mismatch)" in run.stdout
