"""The documents bucket: presigned POSTs whose policy pins type, size and key; bounded reads of raw
uploads; derivatives and export archives written encrypted; presigned downloads (5 minutes for documents, a day
for an export's ZIP); deletes. S3 errors become domain errors."""

import base64
import json
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.domain.export_jobs import EXPORTS_PREFIX, LINK_SECONDS
from chalicelib.domain.uploads import (
    MAX_UPLOAD_URL_SECONDS,
    PresignedDownload,
    PresignedUpload,
    UploadRejectedError,
    size_problem_of,
)
from chalicelib.errors import NotFoundError, ServiceUnavailableError

_NOT_FOUND = {"NoSuchKey", "404", "NotFound"}
_DELETE_BATCH = 1000  # S3's DeleteObjects limit


class S3DocumentStore:
    """s3_client must sign with SigV4 (`Config(signature_version="s3v4")`): S3 serves KMS-encrypted
    objects only to SigV4 requests, and a SigV2 presigned URL would not open them. `presigner`, when given,
    signs the POSTs and links instead: a client for the endpoint phones reach (SigV4 signs the host, so a
    link signed for one host and rewritten to another would not be S3's to accept). It never connects."""

    def __init__(self, s3_client: Any, bucket: str, kms_key_id: str = "", presigner: Any = None):
        for client in (s3_client, presigner or s3_client):
            if client.meta.config.signature_version != "s3v4":
                raise ValueError("the documents store needs an S3 client signing with s3v4")
        self._s3 = s3_client
        self._presigner = presigner or s3_client
        self._bucket = bucket
        self._kms_key_id = kms_key_id

    def presigned_upload(
        self, key: str, content_type: str, max_bytes: int, expires_seconds: int = MAX_UPLOAD_URL_SECONDS
    ) -> PresignedUpload:
        """A browser/phone POST that S3 accepts only for this key, this exact type and 1..max_bytes."""
        _check_expiry(expires_seconds)
        conditions = [{"Content-Type": content_type}, ["content-length-range", 1, max_bytes]]
        post = self._call(
            self._presigner.generate_presigned_post,
            Bucket=self._bucket,
            Key=key,
            Fields={"Content-Type": content_type},
            Conditions=conditions,
            ExpiresIn=expires_seconds,
        )
        policy = json.loads(base64.b64decode(post["fields"]["policy"]))
        return PresignedUpload(url=post["url"], fields=dict(post["fields"]), expires_at=policy["expiration"])

    def read_raw(self, key: str, max_bytes: int) -> bytes:
        """The raw upload's bytes; too_large/empty refused from the announced length, before reading."""
        answer = self._call(self._s3.get_object, Bucket=self._bucket, Key=key)
        body = answer["Body"]
        try:
            problem = size_problem_of(answer.get("ContentLength", 0))
            if problem is None and answer["ContentLength"] > max_bytes:
                problem = "too_large"
            if problem:
                raise UploadRejectedError(problem)
            data = self._call(body.read, max_bytes + 1)
        finally:
            body.close()
        if len(data) > max_bytes:  # the object changed under us, or lied about its length
            raise UploadRejectedError("too_large")
        return data

    def put_derivative(self, key: str, data: bytes, content_type: str) -> None:
        extra = {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": self._kms_key_id} if self._kms_key_id else {}
        self._call(
            self._s3.put_object,
            Bucket=self._bucket,
            Key=key,
            Body=data,
            ContentType=content_type,
            CacheControl="private, max-age=300",
            **extra,
        )

    def read(self, key: str) -> bytes:
        """A stored object's bytes (one of ours: a derivative, bounded when it was written)."""
        body = self._call(self._s3.get_object, Bucket=self._bucket, Key=key)["Body"]
        try:
            return self._call(body.read)
        finally:
            body.close()

    def presigned_download(self, key: str, expires_seconds: int = MAX_UPLOAD_URL_SECONDS) -> PresignedDownload:
        _check_expiry(expires_seconds)
        return self._presigned_get(key, expires_seconds)

    def presigned_archive_download(self, key: str, expires_seconds: int = LINK_SECONDS) -> PresignedDownload:
        """An export's ZIP is fetched once, maybe over a slow line, maybe later that day: its link lives up to a
        day, and only for keys under exports/ (a document's link stays at 5 minutes)."""
        if not key.startswith(EXPORTS_PREFIX) or not 1 <= expires_seconds <= LINK_SECONDS:
            raise ValueError(f"archive links are for {EXPORTS_PREFIX} and live 1..{LINK_SECONDS} s")
        name = key.rsplit("/", 1)[-1]
        return self._presigned_get(key, expires_seconds, ResponseContentDisposition=f'attachment; filename="{name}"')

    def _presigned_get(self, key: str, expires_seconds: int, **params: str) -> PresignedDownload:
        url = self._call(
            self._presigner.generate_presigned_url,
            "get_object",
            Params={"Bucket": self._bucket, "Key": key, **params},
            ExpiresIn=expires_seconds,
        )
        expires_at = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=expires_seconds)
        return PresignedDownload(url=url, expires_at=expires_at.strftime("%Y-%m-%dT%H:%M:%SZ"))

    def delete(self, keys: Iterable[str]) -> None:
        """Missing keys are not an error (S3 says so too); a key S3 could not delete is a 503 to retry."""
        self._delete_objects([{"Key": key} for key in keys])

    def erase_prefix(self, prefix: str) -> int:
        """Every version and delete marker under `prefix`, for good: the bucket is versioned, and a plain delete
        would leave the old versions for the lifecycle to expire months later. How many objects were removed."""
        erased = 0
        paginator = self._s3.get_paginator("list_object_versions")
        for page in self._call(lambda: list(paginator.paginate(Bucket=self._bucket, Prefix=prefix))):
            versions = [*page.get("Versions", []), *page.get("DeleteMarkers", [])]
            self._delete_objects([{"Key": v["Key"], "VersionId": v["VersionId"]} for v in versions])
            erased += len(page.get("Versions", []))
        return erased

    def _delete_objects(self, objects: list[dict[str, str]]) -> None:
        for start in range(0, len(objects), _DELETE_BATCH):
            batch = objects[start : start + _DELETE_BATCH]
            answer = self._call(self._s3.delete_objects, Bucket=self._bucket, Delete={"Objects": batch, "Quiet": True})
            if answer.get("Errors"):
                raise ServiceUnavailableError("storage_unavailable")

    @staticmethod
    def _call(operation: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return operation(*args, **kwargs)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in _NOT_FOUND:
                raise NotFoundError("document_not_found") from None
            raise ServiceUnavailableError("storage_unavailable") from None
        except BotoCoreError:
            raise ServiceUnavailableError("storage_unavailable") from None


def _check_expiry(expires_seconds: int) -> None:
    if not 1 <= expires_seconds <= MAX_UPLOAD_URL_SECONDS:
        raise ValueError(f"presigned URLs live 1..{MAX_UPLOAD_URL_SECONDS} s")
