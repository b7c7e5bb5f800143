"""Everything of a citizen (services/citizen_data.py, the export's registry) against the local stack: An's export
holds every category with An's data and nothing of Bình's, and each file follows its schema in docs/export/."""

import io
import json
import zipfile
from pathlib import Path

import jsonschema
import pytest

from chalicelib import wiring
from chalicelib.services.citizen_data import CATEGORIES, Subject, export_archive
from chalicelib.wiring.dossiers import citizen_data_ports
from tests.adapters.test_images import phone_jpeg
from tests.api.test_delegations import DELEGATIONS, grant
from tests.api.test_devices import register
from tests.api.test_dossiers import record
from tests.api.test_uploads import settled, upload
from tests.api.test_wallet import issue, share
from tests.conftest import AN, BINH, AgencyClient, eventually

SCHEMAS = Path(__file__).resolve().parents[2] / "docs" / "export"


@pytest.fixture(scope="module")
def issuer(stack, api) -> AgencyClient:
    return AgencyClient(api, stack.agency_clients[2], stack.agency_token_endpoint)


def subject_of(api, tokens, personal_id) -> Subject:
    citizen_id = api.get("/v1/me", headers=tokens.auth).json()["citizen_id"]
    return Subject(citizen_id, wiring.person_keys().key_of(personal_id))


def archive(api, tokens, personal_id) -> dict[str, object]:
    data = export_archive(citizen_data_ports(), subject_of(api, tokens, personal_id), "2026-12-03T10:00:00Z")
    with zipfile.ZipFile(io.BytesIO(data)) as opened:
        return {name: opened.read(name).decode("utf-8") for name in opened.namelist()}


@pytest.fixture
def an_has_data(api, agency, issuer, an, binh, an_phone):
    """Something of An in every category (and a dossier and a document of Bình's beside them)."""
    assert record(agency).status_code == 201
    assert record(agency, personal_id=BINH, applicant_name="Trần Thị Bình").status_code == 201
    document = issue(issuer).json()
    assert share(api, an, document["document_id"]).status_code == 201
    assert issue(issuer, personal_id=BINH, claims=None).status_code == 201
    assert settled(api, an, upload(api, an, phone_jpeg(640, 480))["document_id"])["status"] == "ready"
    assert eventually(lambda: api.get("/v1/me/notifications", headers=an.auth).json()["items"])
    register(api, an_phone, "export-test-token-" + "x" * 100)
    assert api.get("/v1/me/tax/profile", headers=an.auth).status_code == 200  # kept here once read
    granted = grant(api, binh)  # Bình's company lets An read its taxes: a grant An received
    assert granted.status_code == 201, granted.text
    yield
    api.delete(f"{DELEGATIONS}/{granted.json()['delegation_id']}", headers=binh.auth)


def test_ans_export_has_every_category_with_her_data_and_nothing_of_binhs(api, an, binh, an_has_data):
    files = archive(api, an, AN)
    assert set(files) == {"README.txt"} | {f"{c.name}.json" for c in CATEGORIES}
    parsed = {name: json.loads(text) for name, text in files.items() if name.endswith(".json")}
    an_id, binh_id = (api.get("/v1/me", headers=t.auth).json()["citizen_id"] for t in (an, binh))
    for name, document in parsed.items():
        assert document["citizen_id"] == an_id and document["category"] == name.removesuffix(".json")
        assert document["items"], f"{name} is empty"
    assert parsed["profile.json"]["items"][0]["personal_id"] == AN
    everything = "".join(files.values())
    assert BINH not in everything and binh_id not in everything and "Trần Thị Bình" not in everything
    assert wiring.person_keys().key_of(AN) not in everything  # our keyed hash is not her data
    for category in CATEGORIES:
        assert f"{category.name}.json" in files["README.txt"] and category.about_en in files["README.txt"]


def test_every_file_follows_its_schema(api, an, an_has_data):
    files = archive(api, an, AN)
    for category in CATEGORIES:
        schema = json.loads((SCHEMAS / f"{category.name}.schema.json").read_text("utf-8"))
        jsonschema.Draft202012Validator.check_schema(schema)
        jsonschema.validate(json.loads(files[f"{category.name}.json"]), schema, cls=jsonschema.Draft202012Validator)
