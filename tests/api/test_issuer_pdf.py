"""The issuer's signed PDF through HTTP and the embedded AWS: declared with the document, posted to the presigned
upload, checked by the upload worker, then in An's wallet with links (the same bytes back) or rejected with its
reason, as the issuer sees it; isolation between issuers and citizens; replays; the document types' metadata."""

import uuid

import pytest
import requests

from chalicelib.adapters.dynamo_holder_keys import DynamoHolderKeys
from chalicelib.domain.credentials import credential_types
from chalicelib.domain.uploads import MAX_UPLOAD_BYTES
from chalicelib.domain.wallet import HolderKey
from tests.adapters.test_images import phone_jpeg
from tests.adapters.test_pdf_documents import pdf_bytes, scan
from tests.api.test_dossier_documents import agency_row
from tests.api.test_dossier_submission import submit
from tests.api.test_uploads import keys_of, post_file
from tests.api.test_wallet import ISSUE, issue
from tests.conftest import AgencyClient, eventually
from tests.contract.openapi import assert_response_matches

ISSUED, TYPE = "/v1/issuer/documents/{document_id}", "/v1/wallet/types/{type_id}"


@pytest.fixture(scope="module")
def issuer(stack, api) -> AgencyClient:
    """The demo issuer of `make run` (birth extracts, judicial records, residence confirmations)."""
    return AgencyClient(api, stack.agency_clients[2], stack.agency_token_endpoint)


@pytest.fixture(scope="module")
def other_issuer(stack, api) -> AgencyClient:
    """Ba Dinh's one-stop shop, which may issue birth extracts too."""
    return AgencyClient(api, stack.agency_clients[1], stack.agency_token_endpoint)


def with_pdf(issuer, data: bytes, key: str | None = None) -> dict:
    answer = issue(issuer, key=key, pdf={"size": len(data)})
    assert answer.status_code == 201, answer.text
    return answer.json()


def issuer_view(issuer, document_id: str, language: str = "vi"):
    return issuer.get(ISSUED.format(document_id=document_id), headers={"Accept-Language": language})


def settled_pdf(issuer, document_id: str) -> dict:
    def done():
        answer = issuer_view(issuer, document_id).json()
        return answer if answer["pdf"]["status"] != "pending" else None

    return eventually(done, timeout=60)


def test_a_signed_pdf_reaches_ans_wallet_and_downloads_as_the_same_bytes(api, an, issuer, stack):
    data = pdf_bytes(scan(2))
    issued = with_pdf(issuer, data)
    assert issued["pdf"]["status"] == "pending"
    upload = issued["pdf"]["upload"]
    assert upload["fields"]["key"] == f"raw/issued/{upload['fields']['key'].split('/')[-1]}"
    assert post_file(issued["pdf"], data, "extract.pdf").status_code in (200, 201, 204)
    state = settled_pdf(issuer, issued["document_id"])
    assert state["pdf"] == {"status": "ready", "reason": None, "page_count": 2}
    detail = api.get(f"/v1/me/documents/{issued['document_id']}", headers=an.auth)
    assert detail.status_code == 200, detail.text
    assert_response_matches(detail, "/v1/me/documents/{document_id}", "GET")
    files = {f["name"]: f["url"] for f in detail.json()["files"]}
    assert set(files) == {"document", "thumbnail"}
    assert requests.get(files["document"]).content == data
    assert requests.get(files["thumbnail"]).content.startswith(b"\xff\xd8\xff")
    assert keys_of(stack, upload["fields"]["key"]) == []  # the raw object is gone once processed


def test_the_post_answers_a_presigned_upload_pinned_to_a_pdf_and_the_contract(issuer):
    answer = issue(issuer, pdf={"size": 5000})
    assert answer.status_code == 201, answer.text
    assert_response_matches(answer, ISSUE, "POST")
    upload = answer.json()["pdf"]["upload"]
    assert upload["fields"]["Content-Type"] == "application/pdf" and upload["expires_at"].endswith("Z")
    assert issue(issuer).json()["pdf"] is None  # none declared


@pytest.mark.parametrize(
    ("content", "reason"),
    [(phone_jpeg(400, 300), "type_mismatch"), (b"just some text, not a PDF\n" * 20, "content_unrecognised")],
)
def test_a_file_that_is_not_a_pdf_is_rejected_and_the_issuer_sees_why(api, an, issuer, content, reason):
    issued = with_pdf(issuer, content)
    post_file(issued["pdf"], content, "extract.pdf")
    state = settled_pdf(issuer, issued["document_id"])
    assert state["pdf"]["status"] == "rejected" and state["pdf"]["reason"]["code"] == reason
    english = issuer_view(issuer, issued["document_id"], "en")
    assert_response_matches(english, ISSUED, "GET")
    assert english.json()["pdf"]["reason"]["text"] != state["pdf"]["reason"]["text"]
    assert api.get(f"/v1/me/documents/{issued['document_id']}", headers=an.auth).json()["files"] == []


def test_a_declared_pdf_outside_the_rules_is_refused_with_its_field(issuer):
    for pdf, code in (({"size": MAX_UPLOAD_BYTES + 1}, "too_large"), ({"size": 0}, "empty"), ({}, "required")):
        refused = issue(issuer, pdf=pdf)
        assert refused.status_code == 400, refused.text
        assert {"field": "pdf.size", "code": code} in [
            {"field": e["field"], "code": e["code"]} for e in refused.json()["errors"]
        ]


def test_another_issuer_and_another_citizen_get_404(api, binh, issuer, other_issuer):
    issued = with_pdf(issuer, b"%PDF-1.4")
    refused = issuer_view(other_issuer, issued["document_id"])
    assert refused.status_code == 404 and refused.json()["code"] == "document_not_found"
    assert_response_matches(refused, ISSUED, "GET")
    assert issuer_view(issuer, "no-such-document").status_code == 404
    assert api.get(f"/v1/me/documents/{issued['document_id']}", headers=binh.auth).status_code == 404


def test_a_replay_answers_the_same_document_and_the_same_upload_key(issuer):
    key = str(uuid.uuid4())
    first, again = with_pdf(issuer, b"x" * 900, key), with_pdf(issuer, b"x" * 900, key)
    assert again["document_id"] == first["document_id"]
    assert again["pdf"]["upload"]["fields"]["key"] == first["pdf"]["upload"]["fields"]["key"]
    other_body = issue(issuer, key=key, pdf={"size": 901})
    assert other_body.status_code == 409 and other_body.json()["code"] == "idempotency_key_reused"


def test_each_document_type_publishes_its_type_metadata_found_from_the_issuer_metadata(api):
    metadata = api.get("/.well-known/jwt-vc-issuer").json()
    birth = credential_types()["BIRTH_CERTIFICATE_EXTRACT"]
    url = metadata["type_metadata"][birth.vct]
    served = requests.get(url)
    assert served.status_code == 200 and served.headers["Cache-Control"].startswith("public")
    assert_response_matches(served, TYPE, "GET")
    body = served.json()
    assert body["vct"] == birth.vct and {d["locale"] for d in body["display"]} == {"vi-VN", "en-US"}
    claims = {tuple(c["path"]): c for c in body["claims"]}
    assert set(claims) == {(spec.name,) for spec in birth.claims}
    assert claims[("full_name",)]["sd"] == "always" and claims[("full_name",)]["mandatory"] is True
    assert {"locale": "vi-VN", "label": "Họ và tên"} in claims[("full_name",)]["display"]
    assert body["schema"]["properties"]["vct"] == {"const": birth.vct}
    by_vct = api.get(TYPE.format(type_id=birth.vct))
    assert by_vct.json() == body
    missing = api.get(TYPE.format(type_id="NO_SUCH_TYPE"))
    assert missing.status_code == 404 and missing.json()["code"] == "document_type_not_found"
    assert_response_matches(missing, TYPE, "GET")


def test_a_stale_key_id_deletes_nothing_and_the_current_key_stays(stack, api, an):
    from chalicelib.adapters.jws import LocalEcSigner

    keys = "/v1/me/wallet/keys"
    old = api.post(keys, json={"jwk": LocalEcSigner.generate("old").public_jwk()}, headers=an.auth).json()
    new = api.post(keys, json={"jwk": LocalEcSigner.generate("new").public_jwk()}, headers=an.auth).json()
    try:
        assert api.get(keys, headers=an.auth).json()["items"] == [new]  # one key per person: the new replaced it
        stale = api.delete(f"{keys}/{old['key_id']}", headers=an.auth)
        assert stale.status_code == 404 and stale.json()["code"] == "holder_key_not_found"
        assert api.get(keys, headers=an.auth).json()["items"] == [new]
    finally:
        api.delete(f"{keys}/{new['key_id']}", headers=an.auth)


class _RegistersBeforeTheWrite:
    """The table, with another phone's key registered just before any delete reaches it: the race a
    get-then-delete loses (it read the old key, then deletes the new one)."""

    def __init__(self, table, person_key: str, newer: HolderKey):
        self._table, self._person_key, self._newer = table, person_key, newer

    def __getattr__(self, name):
        attribute = getattr(self._table, name)
        if not name.startswith("delete"):
            return attribute

        def racing(*args, **kwargs):
            DynamoHolderKeys(self._table).put(self._person_key, self._newer)
            return attribute(*args, **kwargs)

        return racing


def test_a_key_registered_while_the_old_one_is_deleted_stays(stack):
    from chalicelib import wiring

    person_key = f"test-{uuid.uuid4().hex}"
    stored = DynamoHolderKeys(wiring.table())
    stored.put(person_key, HolderKey("old-id", {"kty": "EC"}, 1))
    racing = DynamoHolderKeys(_RegistersBeforeTheWrite(wiring.table(), person_key, HolderKey("new-id", {}, 2)))
    assert racing.delete(person_key, "old-id") is False  # the old key was no longer there to delete
    assert stored.get(person_key).key_id == "new-id"
    assert stored.delete(person_key, "new-id") is True and stored.get(person_key) is None


def test_filed_with_a_dossier_the_agency_gets_links_to_the_signed_pdf(api, an, issuer, agency, published):
    data = pdf_bytes(scan())
    issued = with_pdf(issuer, data)
    post_file(issued["pdf"], data, "extract.pdf")
    assert settled_pdf(issuer, issued["document_id"])["pdf"]["status"] == "ready"
    filed = submit(api, an, documents=[{"document_id": issued["document_id"]}])
    assert filed.status_code == 201, filed.text
    [attached] = agency_row(agency, filed.json()["receipt_code"])["documents"]
    files = {f["name"]: f["url"] for f in attached["files"]}
    assert attached["kind"] == "issued" and set(files) == {"document", "thumbnail"}
    assert requests.get(files["document"], timeout=10).content == data
