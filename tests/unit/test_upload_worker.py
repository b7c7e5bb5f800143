"""The upload worker's rules with fakes of its ports: derivatives before the status, a crash half-way leaves the
document pending (never ready without files), a redelivery changes nothing, a delete during processing wins."""

from dataclasses import replace

import pytest

from chalicelib.domain.uploaded_documents import UploadedDocument
from chalicelib.domain.uploads import ProcessedUpload, UploadRejectedError, UploadStatus, raw_key
from chalicelib.services.upload_ports import WorkerPorts
from chalicelib.services.upload_worker import process_upload

DOC = UploadedDocument("d1", "u1", "p1", "c1", "wallet", "", "image/jpeg", 10, created_at=0)
RAW = raw_key("c1", "u1")


class Uploads:
    def __init__(self):
        self.items = {"d1": DOC}

    def find_upload(self, upload_id):
        return ("p1", "c1", "d1") if upload_id == "u1" else None

    def load(self, person_key, document_id):
        return self.items.get(document_id)

    def finish(self, document):
        current = self.items.get(document.document_id)
        if current is None or current.status != UploadStatus.PENDING:
            return False
        self.items[document.document_id] = document
        return True


class Store:
    def __init__(self, crash_on=""):
        self.objects, self.crash_on = {RAW: b"\xff\xd8\xffjpeg"}, crash_on

    def read_raw(self, key, max_bytes):
        return self.objects[key]

    def put_derivative(self, key, data, content_type):
        if self.crash_on and key.endswith(self.crash_on):
            raise TimeoutError("the worker stopped here")
        self.objects[key] = data

    def delete(self, keys):
        for key in keys:
            self.objects.pop(key, None)


class Images:
    def __init__(self, refuse=""):
        self.refuse = refuse

    def process(self, data, declared_type):
        if self.refuse:
            raise UploadRejectedError(self.refuse)
        return ProcessedUpload("image", "image/jpeg", b"full", b"thumb", 1200, 1600)


class Dossiers:
    def __init__(self):
        self.documents: dict[str, list[dict]] = {"dos1": []}

    def attach_document(self, person_key, dossier_id, attached):
        listed = self.documents[dossier_id]
        if all(d["document_id"] != attached["document_id"] for d in listed):
            listed.append(attached)
        return True


class Publisher:
    def __init__(self):
        self.messages = []

    def publish(self, message, delay_seconds=0, attributes=None):
        self.messages.append(message)


def ports(**overrides) -> WorkerPorts:
    base = WorkerPorts(
        uploads=Uploads(), dossiers=Dossiers(), store=Store(), images=Images(), pdfs=Images(), publisher=Publisher()
    )
    return replace(base, **overrides)


def test_a_processed_photo_is_ready_only_with_its_files_and_its_raw_upload_is_gone():
    worker = ports()
    assert process_upload("c1", "u1", worker, 5) == "processed_ready"
    assert worker.uploads.items["d1"].status == UploadStatus.READY
    assert set(worker.store.objects) == {"documents/c1/d1/full.jpg", "documents/c1/d1/thumb.jpg"}
    assert [m["change"] for m in worker.publisher.messages] == ["upload_ready"]


def test_a_crash_half_way_leaves_the_document_pending_and_the_retry_finishes_it():
    worker = ports(store=Store(crash_on="thumb.jpg"))
    with pytest.raises(TimeoutError):
        process_upload("c1", "u1", worker, 5)
    assert worker.uploads.items["d1"].status == UploadStatus.PENDING and not worker.publisher.messages
    worker.store.crash_on = ""
    assert process_upload("c1", "u1", worker, 6) == "processed_ready"


def test_a_redelivery_changes_nothing_and_tells_with_the_same_event_id():
    worker = ports()
    process_upload("c1", "u1", worker, 5)
    ready = worker.uploads.items["d1"]
    worker.store.objects[RAW] = b"\xff\xd8\xffagain"  # even if the raw object were there again
    assert process_upload("c1", "u1", worker, 9) == "duplicate"
    assert worker.uploads.items["d1"] == ready
    assert len({m["event_id"] for m in worker.publisher.messages}) == 1  # the inbox dedupes on it
    assert RAW not in worker.store.objects


def test_a_refused_file_is_rejected_with_its_reason_and_keeps_nothing():
    worker = ports(images=Images(refuse="type_mismatch"))
    assert process_upload("c1", "u1", worker, 5) == "processed_rejected"
    assert worker.uploads.items["d1"].reason == "type_mismatch" and worker.store.objects == {}


def test_a_key_of_another_citizen_or_no_upload_touches_no_document():
    worker = ports()
    assert process_upload("c2", "u1", worker, 5) == "unknown"
    assert process_upload("c1", "u2", worker, 5) == "unknown"
    assert worker.uploads.items["d1"].status == UploadStatus.PENDING


def test_a_document_deleted_while_processing_leaves_no_files():
    worker = ports()

    class Vanishing(Uploads):
        def finish(self, document):
            self.items.clear()  # the citizen's DELETE came first
            return False

    worker = replace(worker, uploads=Vanishing())
    assert process_upload("c1", "u1", worker, 5) == "duplicate"
    assert worker.store.objects == {RAW: b"\xff\xd8\xffjpeg"} or worker.store.objects == {}
    assert not [k for k in worker.store.objects if k.startswith("documents/")]


FOR_DOSSIER = replace(DOC, purpose="dossier", dossier_id="dos1")


def test_a_ready_upload_for_a_dossier_lands_on_it_once_with_where_its_files_are():
    worker = ports()
    worker.uploads.items["d1"] = FOR_DOSSIER
    assert process_upload("c1", "u1", worker, 5) == "processed_ready"
    assert process_upload("c1", "u1", worker, 6) == "duplicate"
    [attached] = worker.dossiers.documents["dos1"]
    assert attached["document_id"] == "d1" and attached["kind"] == "upload"
    assert {f["name"]: f["key"] for f in attached["files"]} == {
        "image": "documents/c1/d1/full.jpg",
        "thumbnail": "documents/c1/d1/thumb.jpg",
    }


def test_a_rejected_upload_for_a_dossier_does_not_land_on_it():
    worker = ports(images=Images(refuse="image_damaged"))
    worker.uploads.items["d1"] = FOR_DOSSIER
    assert process_upload("c1", "u1", worker, 5) == "processed_rejected"
    assert worker.dossiers.documents["dos1"] == []
