"""The citizen's own uploads (eID level 2): a presigned POST for one file, and deleting an uploaded document.
Uploaded documents are listed and read with the wallet's documents (api/wallet.py)."""

import re
import time
from typing import Any

from chalicelib import wiring
from chalicelib.api import dossier_input, wallet_input
from chalicelib.api.access import citizen
from chalicelib.api.http import ApiBlueprint, json_body, json_response
from chalicelib.api.limits import UPLOAD_REQUESTS
from chalicelib.domain.sessions import Principal
from chalicelib.domain.uploaded_documents import UploadRequest
from chalicelib.domain.uploads import PURPOSES
from chalicelib.errors import FieldProblem, ValidationError
from chalicelib.services import uploads

uploads_api = ApiBlueprint(__name__)
_LEVEL = 2
_FIELDS = ("purpose", "dossier_id", "content_type", "size")
_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@uploads_api.route("/v1/me/documents/uploads", methods=["POST"], caller=citizen(level=_LEVEL), limit=UPLOAD_REQUESTS)
def request_upload(principal: Principal):
    request = uploads_api.current_request
    body = json_body(request)
    granted = uploads.request_upload(
        principal,
        upload_request(body),
        dossier_input.idempotent(request, body),
        wiring.citizens(),
        wiring.upload_ports(),
        time.time(),
    )
    answer = {
        "upload_id": granted.upload_id,
        "document_id": granted.document_id,
        "upload": {"url": granted.upload.url, "fields": granted.upload.fields},
        "expires_at": granted.upload.expires_at,
    }
    return json_response(answer, status=201)


@uploads_api.route("/v1/me/documents/{document_id}", methods=["DELETE"], caller=citizen(level=_LEVEL))
def delete_my_document(principal: Principal, document_id):
    document_id = wallet_input.path_id(document_id, "document_not_found")
    uploads.delete_my_document(principal, document_id, wiring.citizens(), wiring.upload_ports())
    return json_response(None, status=204)


def upload_request(body: dict[str, Any]) -> UploadRequest:
    """The shapes; what is allowed (purpose, type, size, dossier or not) is the domain's rule."""
    problems = [FieldProblem(name, "unknown_field") for name in body if name not in _FIELDS]
    purpose, content_type = body.get("purpose"), body.get("content_type")
    size, dossier_id = body.get("size"), body.get("dossier_id")
    for name, value in (("purpose", purpose), ("content_type", content_type)):
        if not isinstance(value, str):
            problems.append(FieldProblem(name, "required" if value is None else "must_be_string"))
    if isinstance(purpose, str) and purpose not in PURPOSES:
        problems.append(FieldProblem("purpose", "purpose_unknown"))
    if not isinstance(size, int) or isinstance(size, bool):
        problems.append(FieldProblem("size", "required" if size is None else "must_be_integer"))
    if "dossier_id" in body and not (isinstance(dossier_id, str) and _ID.match(dossier_id)):
        problems.append(FieldProblem("dossier_id", "invalid_format"))
    if problems:
        raise ValidationError(errors=tuple(problems))
    return UploadRequest(purpose, content_type, size, dossier_id or "")
