"""The one definition of the backend's AWS resources: table keys and indexes, queues, buckets, keys.

Read by the CDK stack (infra/) and by the local stack and tests (devstack/), so the shapes used
locally can never drift from what is deployed. Plain data only: no CDK or boto3 imports here.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Index:
    name: str
    partition_key: str
    sort_key: str


@dataclass(frozen=True)
class Table:
    logical_id: str
    env_var: str
    partition_key: str
    sort_key: str
    ttl_attribute: str
    indexes: tuple[Index, ...] = ()


@dataclass(frozen=True)
class Queue:
    logical_id: str
    env_var: str
    visibility_timeout_seconds: int = 60
    max_receive_count: int = 5
    fifo: bool = False


@dataclass(frozen=True)
class Key:
    logical_id: str
    env_var: str
    key_spec: str
    key_usage: str


@dataclass(frozen=True)
class Secret:
    logical_id: str
    env_var: str
    description: str


@dataclass(frozen=True)
class Bucket:
    """A private, encrypted bucket; objects under each `expiring` prefix are deleted after its days, and objects
    created under `notify_prefix` are announced to `notify_queue` (a Queue's logical id) as S3 event notifications."""

    logical_id: str
    env_var: str
    expiring: tuple[tuple[str, int], ...] = ()  # (key prefix, days)
    notify_prefix: str = ""
    notify_queue: str = ""

    def expiry_days(self, prefix: str) -> int:
        return dict(self.expiring)[prefix]


@dataclass(frozen=True)
class Resources:
    tables: tuple[Table, ...] = field(default_factory=tuple)
    queues: tuple[Queue, ...] = field(default_factory=tuple)
    keys: tuple[Key, ...] = field(default_factory=tuple)
    secrets: tuple[Secret, ...] = field(default_factory=tuple)
    buckets: tuple[Bucket, ...] = field(default_factory=tuple)


MAIN_TABLE = Table(
    logical_id="MainTable",
    env_var="TABLE_NAME",
    partition_key="pk",
    sort_key="sk",
    ttl_attribute="expires_at",
    indexes=(Index(name="gsi1", partition_key="gsi1pk", sort_key="gsi1sk"),),
)

SESSION_SIGNING_KEY = Key(
    logical_id="SessionSigningKey",
    env_var="TOKEN_SIGNING_KEY_ID",
    key_spec="ECC_NIST_P256",
    key_usage="SIGN_VERIFY",
)

# Signs wallet credentials (SD-JWT VC) and their status lists: apart from the session key, so a credential
# verifier never trusts an access token's key and either key can be rotated alone.
CREDENTIAL_SIGNING_KEY = Key(
    logical_id="CredentialSigningKey",
    env_var="CREDENTIAL_SIGNING_KEY_ID",
    key_spec="ECC_NIST_P256",
    key_usage="SIGN_VERIFY",
)

DATA_KEY = Key(
    logical_id="DataKey",
    env_var="DATA_KEY_ID",
    key_spec="SYMMETRIC_DEFAULT",
    key_usage="ENCRYPT_DECRYPT",
)

EID_CLIENT_KEY_SECRET = Secret(
    logical_id="EidClientKey",
    env_var="EID_CLIENT_KEY_SECRET_ID",
    description="PEM private key the backend signs its eID client assertions with (private_key_jwt)",
)

FCM_SERVICE_ACCOUNT_SECRET = Secret(
    logical_id="FcmServiceAccount",
    env_var="FCM_SERVICE_ACCOUNT_SECRET_ID",
    description="Firebase service-account JSON used by the push worker",
)

NOTIFICATIONS_QUEUE = Queue(
    logical_id="Notifications",
    env_var="NOTIFICATIONS_QUEUE_URL",
    visibility_timeout_seconds=60,
    max_receive_count=5,
)

PUSH_QUEUE = Queue(
    logical_id="Push",
    env_var="PUSH_QUEUE_URL",
    visibility_timeout_seconds=120,
    max_receive_count=8,
)

# Citizens' uploads: S3 announces each raw upload here; the upload worker (events/uploads.py) processes it.
# Its visibility timeout outlasts the worker's Lambda timeout (infra) so a slow 50 MP image is not redelivered
# while still being processed; three attempts, then the DLQ (a file that crashes the worker thrice is kept there).
UPLOADS_QUEUE = Queue(
    logical_id="Uploads",
    env_var="UPLOADS_QUEUE_URL",
    visibility_timeout_seconds=180,
    max_receive_count=3,
)

# Citizens' data exports: the API queues each requested export here; the exports worker (events/exports.py, its
# own Lambda function) builds the ZIP. The visibility timeout outlasts that function's timeout (.chalice/config.json)
# so an export still being built is not handed to a second worker; three attempts, then the DLQ.
EXPORTS_QUEUE = Queue(
    logical_id="Exports",
    env_var="EXPORTS_QUEUE_URL",
    visibility_timeout_seconds=360,
    max_receive_count=3,
)

RAW_UPLOADS_PREFIX, EXPORTS_PREFIX = "raw/", "exports/"

# Raw uploads land under raw/ (domain/uploads.raw_key) through a presigned POST and are deleted by the worker
# once processed; what a worker never reached expires after a day. Derivatives live under documents/. Export
# ZIPs (domain/export_jobs.export_key) live under exports/ for 7 days.
DOCUMENTS_BUCKET = Bucket(
    logical_id="Documents",
    env_var="DOCUMENTS_BUCKET",
    expiring=((RAW_UPLOADS_PREFIX, 1), (EXPORTS_PREFIX, 7)),
    notify_prefix=RAW_UPLOADS_PREFIX,
    notify_queue=UPLOADS_QUEUE.logical_id,
)

PERSON_KEY_SECRET = Secret(
    logical_id="PersonKey",
    env_var="PERSON_KEY_SECRET_ID",
    description="HMAC key that turns personal ID numbers and receipt pins into keyed hashes (never stored plain)",
)

CURSOR_KEY_SECRET = Secret(
    logical_id="CursorKey",
    env_var="CURSOR_KEY_SECRET_ID",
    description="Key that seals pagination cursors (any random 32+ bytes; rotating it voids open cursors)",
)

TAX_CLIENT_KEY_SECRET = Secret(
    logical_id="TaxClientKey",
    env_var="TAX_CLIENT_KEY_SECRET_ID",
    description="PEM private key the backend signs its tax-authority client assertions with (ES256)",
)

PAYMENT_GATEWAY_SECRET = Secret(
    logical_id="PaymentGatewaySecret",
    env_var="PAYMENT_GATEWAY_SECRET_ID",
    description="The payment gateway's HMAC-SHA512 merchant secret (signs payment requests, checks callbacks)",
)

RESOURCES = Resources(
    tables=(MAIN_TABLE,),
    queues=(NOTIFICATIONS_QUEUE, PUSH_QUEUE, UPLOADS_QUEUE, EXPORTS_QUEUE),
    keys=(SESSION_SIGNING_KEY, CREDENTIAL_SIGNING_KEY, DATA_KEY),
    secrets=(
        EID_CLIENT_KEY_SECRET,
        FCM_SERVICE_ACCOUNT_SECRET,
        PERSON_KEY_SECRET,
        CURSOR_KEY_SECRET,
        TAX_CLIENT_KEY_SECRET,
        PAYMENT_GATEWAY_SECRET,
    ),
    buckets=(DOCUMENTS_BUCKET,),
)


def resource_name(logical_id: str, stage: str) -> str:
    """Physical name of a named resource (queues, secrets) in a stage: the same rule locally and on AWS,
    so SQS event-source decorators can name their queue before any infrastructure exists."""
    return f"citizen-app-{stage}-{logical_id}"
