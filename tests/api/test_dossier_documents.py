"""Reuse in filings through HTTP: An files a dossier with a document of her wallet; the agency sees its claims on
the dossier, and that reading is in An's access log. Only her own valid documents go with a filing."""

import pytest

from tests.api.test_dossier_submission import submit
from tests.api.test_wallet import BIRTH, issue
from tests.conftest import AgencyClient
from tests.contract.openapi import assert_response_matches


@pytest.fixture
def issuer(stack, api):
    return AgencyClient(api, stack.agency_clients[2], stack.agency_token_endpoint)


@pytest.fixture
def document(issuer) -> dict:
    answer = issue(issuer)
    assert answer.status_code == 201, answer.text
    return answer.json()


def agency_row(agency, receipt_code) -> dict:
    rows = agency.get("/v1/agency/dossiers", params={"status": "submitted", "limit": 100})
    assert_response_matches(rows, "/v1/agency/dossiers", "GET")
    return next(row for row in rows.json()["items"] if row["receipt_code"] == receipt_code)


def test_the_agency_sees_an_attached_documents_claims_and_the_reading_is_logged(api, agency, an, document, published):
    filed = submit(api, an, documents=[{"document_id": document["document_id"]}])
    assert filed.status_code == 201, filed.text
    assert_response_matches(filed, "/v1/me/dossiers", "POST")
    row = agency_row(agency, filed.json()["receipt_code"])
    attached = row["documents"]
    assert [d["document_id"] for d in attached] == [document["document_id"]]
    assert attached[0]["claims"] == BIRTH and attached[0]["type"] == "BIRTH_CERTIFICATE_EXTRACT"
    log = api.get("/v1/me/access-log", headers=an.auth, params={"limit": 100}).json()["items"]
    read = [e for e in log if e["action"] == "document.read" and e["target"] == f"document:{document['document_id']}"]
    assert read and read[0]["agency_id"] == "ubnd-hoan-kiem"


def test_another_citizens_document_is_not_found(api, binh, document, published):
    refused = submit(api, binh, documents=[{"document_id": document["document_id"]}])
    assert refused.status_code == 404 and refused.json()["code"] == "document_not_found"
    assert_response_matches(refused, "/v1/me/dossiers", "POST")


def test_a_revoked_document_does_not_go_with_a_filing(api, issuer, an, document, published):
    assert issuer.post(f"/v1/issuer/documents/{document['document_id']}/revoke").status_code == 200
    refused = submit(api, an, documents=[{"document_id": document["document_id"]}])
    assert refused.status_code == 400 and refused.json()["code"] == "document_not_usable"
    assert refused.json()["errors"][0]["field"] == "documents[0].document_id"
    assert_response_matches(refused, "/v1/me/dossiers", "POST")


@pytest.mark.parametrize(
    "documents, field",
    [
        ("doc", "documents"),
        ([{"document_id": "a b"}], "documents[0].document_id"),
        ([{"document_id": "a"}, {"document_id": "a"}], "documents[1].document_id"),
        ([{"document_id": "a", "pages": 2}], "documents[0]"),
    ],
)
def test_the_documents_field_is_checked(api, an, documents, field, published):
    refused = submit(api, an, documents=documents)
    assert refused.status_code == 400 and [e["field"] for e in refused.json()["errors"]] == [field]
