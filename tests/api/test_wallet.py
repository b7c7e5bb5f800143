"""The data wallet through HTTP: an issuer pushes a document for An, An sees and shares two claims, the public
view shows exactly those two as checked facts; revocation reaches the view and the status list."""

import json
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.conftest import AN, BINH, AgencyClient, eventually
from tests.contract.openapi import assert_response_matches

ROOT = Path(__file__).resolve().parents[2]
ISSUE = "/v1/issuer/documents"
DOCS, DOC = "/v1/me/documents", "/v1/me/documents/{document_id}"
SHARES, MY_SHARES, MY_SHARE, SHARE = (
    "/v1/me/documents/{document_id}/shares",
    "/v1/me/shares",
    "/v1/me/shares/{share_id}",
    "/v1/shares/{share_id}",
)
BIRTH = {
    "full_name": "Nguyễn Văn An",
    "date_of_birth": "1990-03-15",
    "place_of_birth": "Phường Hoàn Kiếm, Hà Nội",
    "gender": "Nam",
    "registration_number": "123/2026/TLKS",
    "issue_date": "2026-01-02",
    "issuing_authority": "UBND phường Hoàn Kiếm",
}


@pytest.fixture(scope="session")
def issuer(stack, api) -> AgencyClient:
    """The demo issuer of `make run`: it may issue birth extracts, judicial records and residence confirmations."""
    return AgencyClient(api, stack.agency_clients[2], stack.agency_token_endpoint)


def issue(issuer, personal_id=AN, type_="BIRTH_CERTIFICATE_EXTRACT", claims=None, key=None, **extra):
    body = {"personal_id": personal_id, "type": type_, "claims": claims or BIRTH, **extra}
    return issuer.post(ISSUE, json=body, headers={"Idempotency-Key": key or str(uuid.uuid4())})


@pytest.fixture
def document(issuer) -> dict:
    answer = issue(issuer)
    assert answer.status_code == 201, answer.text
    return answer.json()


def share(api, tokens, document_id, disclose=("full_name", "date_of_birth"), **extra):
    body = {"disclose": list(disclose), "audience": "Ngân hàng ABC", "ttl_seconds": 600, **extra}
    return api.post(f"/v1/me/documents/{document_id}/shares", json=body, headers=tokens.auth)


def test_an_issued_document_is_in_ans_wallet(api, issuer, an, document):
    assert_response_matches(issue(issuer), ISSUE, "POST")
    assert document["status"] == "valid" and document["status_list"]["uri"].startswith(api.base_url)
    listed = api.get(DOCS, headers=an.auth, params={"type": "BIRTH_CERTIFICATE_EXTRACT", "limit": 100})
    assert listed.status_code == 200, listed.text
    assert_response_matches(listed, DOCS, "GET")
    assert document["document_id"] in [d["document_id"] for d in listed.json()["items"]]
    detail = api.get(f"/v1/me/documents/{document['document_id']}", headers=an.auth)
    assert detail.status_code == 200, detail.text
    assert_response_matches(detail, DOC, "GET")
    body = detail.json()
    assert body["claims"] == BIRTH and body["issuer"]["agency_id"] == "so-tu-phap-ha-noi"
    assert body["credential"].count("~") == len(BIRTH) + 1


def test_sharing_two_claims_shows_exactly_those_as_checked_facts(api, an, document):
    created = share(api, an, document["document_id"])
    assert created.status_code == 201, created.text
    assert_response_matches(created, SHARES, "POST")
    body = created.json()
    assert body["qr"]["png"].startswith("data:image/png;base64,") and body["url"].endswith(body["share_id"])
    viewed = api.get(f"/v1/shares/{body['share_id']}")
    assert viewed.status_code == 200, viewed.text
    assert_response_matches(viewed, SHARE, "GET")
    facts = viewed.json()
    assert facts["claims"] == {"full_name": BIRTH["full_name"], "date_of_birth": BIRTH["date_of_birth"]}
    assert facts["valid"] is True and facts["status"] == "valid"
    assert facts["checks"]["signature"] == "ok" and facts["checks"]["status"] == "ok"
    log = api.get("/v1/me/access-log", headers=an.auth, params={"limit": 100}).json()["items"]
    assert any(e["action"] == "document.share_view" and e["purpose"] == "Ngân hàng ABC" for e in log)
    assert any(e["action"] == "document.issue" and e["target"] == f"document:{document['document_id']}" for e in log)


def test_revocation_reaches_the_public_view_and_the_status_list(api, issuer, an, document):
    shared = share(api, an, document["document_id"]).json()
    revoked = issuer.post(f"{ISSUE}/{document['document_id']}/revoke")
    assert revoked.status_code == 200, revoked.text
    assert_response_matches(revoked, ISSUE + "/{document_id}/revoke", "POST")
    assert revoked.json()["status"] == "revoked"
    facts = api.get(f"/v1/shares/{shared['share_id']}").json()
    assert facts["valid"] is False and facts["status"] == "revoked" and facts["checks"]["status"] == "revoked"
    status_list = api.get(document["status_list"]["uri"][len(api.base_url) :])
    assert status_list.status_code == 200
    assert status_list.headers["Content-Type"] == "application/statuslist+jwt"
    assert "max-age=" in status_list.headers["Cache-Control"]
    again = issuer.post(f"{ISSUE}/{document['document_id']}/reinstate")
    assert again.status_code == 409 and again.json()["code"] == "document_revoked"


def test_suspend_and_reinstate(api, issuer, an, document):
    path = f"{ISSUE}/{document['document_id']}"
    assert issuer.post(path + "/suspend").json()["status"] == "suspended"
    assert issuer.post(path + "/suspend").json()["status"] == "suspended"  # a retry changes nothing
    detail = api.get(f"/v1/me/documents/{document['document_id']}", headers=an.auth).json()
    assert detail["status"] == "suspended"
    assert issuer.post(path + "/reinstate").json()["status"] == "valid"


def test_the_citizen_is_notified_in_the_wallet_category(api, issuer, an, document):
    def wallet_entry():
        items = api.get("/v1/me/notifications", headers=an.auth, params={"limit": 100}).json()["items"]
        return [n for n in items if n["category"] == "wallet" and n["data"]["document_id"] == document["document_id"]]

    eventually(wallet_entry)


def test_binh_cannot_read_ans_documents_nor_manage_ans_shares(api, an, binh, document):
    shared = share(api, an, document["document_id"]).json()
    other = api.get(f"/v1/me/documents/{document['document_id']}", headers=binh.auth)
    assert other.status_code == 404 and other.json()["code"] == "document_not_found"
    assert_response_matches(other, DOC, "GET")
    assert share(api, binh, document["document_id"]).status_code == 404
    withdrawn = api.delete(f"/v1/me/shares/{shared['share_id']}", headers=binh.auth)
    assert withdrawn.status_code == 404 and withdrawn.json()["code"] == "share_not_found"
    assert api.get(f"/v1/shares/{shared['share_id']}").status_code == 200


def test_a_withdrawn_share_is_gone(api, an, document):
    shared = share(api, an, document["document_id"]).json()
    listed = api.get(MY_SHARES, headers=an.auth, params={"limit": 100})
    assert_response_matches(listed, MY_SHARES, "GET")
    assert shared["share_id"] in [s["share_id"] for s in listed.json()["items"]]
    withdrawn = api.delete(f"/v1/me/shares/{shared['share_id']}", headers=an.auth)
    assert withdrawn.status_code == 204
    assert_response_matches(withdrawn, MY_SHARE, "DELETE")
    gone = api.get(f"/v1/shares/{shared['share_id']}")
    assert gone.status_code == 404 and gone.json()["code"] == "share_not_found"
    assert_response_matches(gone, SHARE, "GET")


def test_an_issuer_cannot_issue_a_type_outside_its_scope(issuer, agency):
    receipt = {
        "taxpayer_name": "Nguyễn Văn An",
        "tax_code": "8012345678",
        "tax_type": "Thuế thu nhập cá nhân",
        "amount_vnd": 1_500_000,
        "payment_date": "2026-01-05",
        "receipt_number": "CT-2026-0001",
        "issuing_authority": "Chi cục Thuế Hoàn Kiếm",
    }
    outside = issue(issuer, type_="TAX_RECEIPT", claims=receipt)
    assert outside.status_code == 403 and outside.json()["code"] == "document_type_not_in_scope"
    assert_response_matches(outside, ISSUE, "POST")
    no_scope = issue(agency)
    assert no_scope.status_code == 403 and no_scope.json()["code"] == "agency_scope_missing"


def test_an_issuer_revokes_only_its_own_documents(agency, document, stack, api):
    other = AgencyClient(api, stack.agency_clients[2], stack.agency_token_endpoint)
    assert other.post(f"{ISSUE}/unknown-document/revoke").status_code == 404
    assert agency.post(f"{ISSUE}/{document['document_id']}/revoke").status_code == 403


def test_claims_are_checked_against_the_types_schema(issuer):
    answer = issue(issuer, claims={**BIRTH, "date_of_birth": "15/03/1990", "favourite_colour": "red"})
    assert answer.status_code == 400, answer.text
    assert_response_matches(answer, ISSUE, "POST")
    fields = {e["field"]: e["code"] for e in answer.json()["errors"]}
    assert fields == {"claims.date_of_birth": "invalid_format", "claims.favourite_colour": "unknown_field"}


def test_the_same_idempotency_key_answers_the_same_document(issuer):
    key = str(uuid.uuid4())
    first, second = issue(issuer, key=key), issue(issuer, key=key)
    assert first.status_code == second.status_code == 201
    assert first.json()["document_id"] == second.json()["document_id"]
    reused = issue(issuer, key=key, claims={**BIRTH, "gender": "Nữ"})
    assert reused.status_code == 409 and reused.json()["code"] == "idempotency_key_reused"


def test_sharing_a_claim_the_document_lacks_is_refused(api, an, document):
    answer = share(api, an, document["document_id"], disclose=("full_name", "mother_name"))
    assert answer.status_code == 400 and answer.json()["code"] == "claim_not_in_credential"
    assert answer.json()["errors"] == [
        {"field": "disclose[1]", "code": "not_allowed", "detail": "Giá trị không được phép."}
    ]
    assert_response_matches(answer, SHARES, "POST")


def test_the_wallet_needs_eid_level_2(api, cuong):
    answer = api.get(DOCS, headers=cuong.auth)
    assert answer.status_code == 403 and answer.json()["code"] == "eid_level_too_low"
    assert_response_matches(answer, DOCS, "GET")


def test_issuer_metadata_and_keys_are_public(api):
    metadata = api.get("/.well-known/jwt-vc-issuer")
    assert metadata.status_code == 200
    assert_response_matches(metadata, "/.well-known/jwt-vc-issuer", "GET")
    assert metadata.json()["issuer"] == api.base_url
    jwks = api.get("/v1/wallet/jwks.json")
    assert jwks.json() == metadata.json()["jwks"]
    tokens_jwks = api.get("/.well-known/jwks.json").json()
    assert not {k["kid"] for k in jwks.json()["keys"]} & {k["kid"] for k in tokens_jwks["keys"]}


def _verify_offline(folder, presentation: str) -> subprocess.CompletedProcess:
    """The verifier as a verifier runs it: a subprocess given only files (keys and a cached status list)."""
    (folder / "presentation.txt").write_text(presentation)
    return subprocess.run(
        [sys.executable, "-m", "devstack.verify_cli", "@" + str(folder / "presentation.txt")]
        + ["--jwks", str(folder / "issuer.json"), "--status-list", str(folder / "status.jwt"), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _fetch_for_offline(api, folder, document) -> None:
    (folder / "issuer.json").write_text(api.get("/.well-known/jwt-vc-issuer").text)
    (folder / "status.jwt").write_text(api.get(document["status_list"]["uri"][len(api.base_url) :]).text)


def test_the_qr_payload_verifies_offline_until_revoked(api, issuer, an, document, tmp_path):
    shared = share(api, an, document["document_id"]).json()
    _fetch_for_offline(api, tmp_path, document)
    valid = _verify_offline(tmp_path, shared["presentation"])
    assert valid.returncode == 0, valid.stdout + valid.stderr
    result = json.loads(valid.stdout)
    assert result["claims"] == {"full_name": BIRTH["full_name"], "date_of_birth": BIRTH["date_of_birth"]}
    assert issuer.post(f"{ISSUE}/{document['document_id']}/revoke").status_code == 200
    stale = _verify_offline(tmp_path, shared["presentation"])
    assert stale.returncode == 0  # the cached list predates the revocation: a verifier must refresh it
    _fetch_for_offline(api, tmp_path, document)
    revoked = _verify_offline(tmp_path, shared["presentation"])
    assert revoked.returncode == 1 and json.loads(revoked.stdout)["checks"]["status"] == "revoked"


def test_a_swapped_signature_is_refused_offline(api, an, document, tmp_path):
    shared = share(api, an, document["document_id"]).json()
    _fetch_for_offline(api, tmp_path, document)
    issuer_jwt, *disclosures = shared["presentation"].split("~")
    swapped = "~".join([issuer_jwt[:-4] + ("AAAA" if issuer_jwt[-4:] != "AAAA" else "BBBB"), *disclosures])
    refused = _verify_offline(tmp_path, swapped)
    assert refused.returncode == 1 and json.loads(refused.stdout)["checks"]["signature"] == "signature_invalid"


def test_live_shares_are_capped_per_citizen(api, issuer, binh):
    document = issue(issuer, personal_id=BINH, claims={**BIRTH, "full_name": "Trần Thị Bình"}).json()
    created = [share(api, binh, document["document_id"], disclose=("full_name",)) for _ in range(50)]
    assert all(answer.status_code == 201 for answer in created)
    over = share(api, binh, document["document_id"], disclose=("full_name",))
    assert over.status_code == 409 and over.json()["code"] == "share_limit_reached"
    assert_response_matches(over, SHARES, "POST")
    api.delete(f"/v1/me/shares/{created[0].json()['share_id']}", headers=binh.auth)
    assert share(api, binh, document["document_id"], disclose=("full_name",)).status_code == 201
    for answer in created[1:]:
        api.delete(f"/v1/me/shares/{answer.json()['share_id']}", headers=binh.auth)
