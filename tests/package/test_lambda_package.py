"""The deployment package as `make deploy` builds it (infra synth: chalice package + bytecode) starts on Lambda.

App code and dependency layer are unzipped into an empty folder and imported in an isolated interpreter
(nothing of the repository, no site-packages), and every handler of sam.json is invoked with a real event
shape against the embedded AWS of the local stack: API Gateway proxy events, SQS events, scheduled events.
"""

import json
import re
import subprocess
import sys
import uuid
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from chalicelib.domain.events import DossierStatusChanged
from chalicelib.domain.notifications import push_job
from tests.conftest import eventually

PROBE = Path(__file__).with_name("lambda_probe.py")
STAGE = "dev"


@pytest.fixture(scope="module")
def package(synth, tmp_path_factory) -> dict:
    """The unzipped package of one stage, and its functions as sam.json declares them."""
    built = synth.stacks[STAGE].chalice.package_dir
    root = tmp_path_factory.mktemp("lambda")
    zipfile.ZipFile(built / "deployment.zip").extractall(root / "task")
    zipfile.ZipFile(built / "layer-deployment.zip").extractall(root / "opt")
    sam = json.loads((built / "sam.json").read_text())
    functions = {
        name: r["Properties"] for name, r in sam["Resources"].items() if r["Type"] == "AWS::Serverless::Function"
    }
    return {"task": str(root / "task"), "layer": str(root / "opt"), "functions": functions}


def _handlers(package: dict, event_type: str) -> list[str]:
    return sorted(
        {
            f["Handler"]
            for f in package["functions"].values()
            if any(e["Type"] == event_type for e in f.get("Events", {}).values())
        }
    )


def _api_handler(package: dict) -> str:
    handlers = {f["Handler"] for f in package["functions"].values() if not f.get("Events")}
    assert handlers == {"app.app"}, handlers  # the REST API integration calls the function without an event
    return "app.app"


def run_in_package(package: dict, stack, invocations: list[dict]) -> dict:
    request = {"task": package["task"], "layer": package["layer"], "invocations": invocations}
    env = {**stack.env, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    done = subprocess.run(
        [sys.executable, "-I", "-S", str(PROBE)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        cwd=package["task"],
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    failed = [r for r in answer["results"] if not r["ok"]]
    assert not failed, "\n".join(r["handler"] + ":\n" + r["error"] for r in failed)
    assert answer["outside"] == [], f"imports reached outside the package: {answer['outside']}"
    return answer


def api_event(method: str, path: str, headers: dict) -> dict:
    return {
        "resource": path,
        "path": path,
        "httpMethod": method,
        "headers": headers,
        "multiValueHeaders": {k: [v] for k, v in headers.items()},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": None,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": path,
            "httpMethod": method,
            "requestId": str(uuid.uuid4()),
            "stage": "v1",
            "path": f"/v1{path}",
            "identity": {"sourceIp": "127.0.0.1"},
        },
        "body": None,
        "isBase64Encoded": False,
    }


def sqs_event(queue_name: str, body: dict) -> dict:
    return {
        "Records": [
            {
                "messageId": str(uuid.uuid4()),
                "receiptHandle": "package-test",
                "body": json.dumps(body),
                "attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "1764633600000"},
                "messageAttributes": {},
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "awsRegion": "ap-southeast-1",
                "eventSourceARN": f"arn:aws:sqs:ap-southeast-1:000000000000:{queue_name}",
            }
        ]
    }


def scheduled_event() -> dict:
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "000000000000",
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": "ap-southeast-1",
        "resources": ["arn:aws:events:ap-southeast-1:000000000000:rule/package"],
        "detail": {},
    }


def test_the_api_handler_answers_health_and_an_authenticated_me(package, stack, an):
    handler = _api_handler(package)
    answer = run_in_package(
        package,
        stack,
        [
            {"handler": handler, "event": api_event("GET", "/v1/health", {"accept": "application/json"})},
            {"handler": handler, "event": api_event("GET", "/v1/me", {"authorization": f"Bearer {an.access_token}"})},
            {"handler": handler, "event": api_event("GET", "/v1/me", {"accept-language": "en"})},
        ],
    )
    health, me, anonymous = (r["result"] for r in answer["results"])
    assert health["statusCode"] == 200 and json.loads(health["body"]) == {"status": "ok"}
    assert me["statusCode"] == 200 and json.loads(me["body"])["full_name"] == "Nguyễn Văn An"
    assert anonymous["statusCode"] == 401 and json.loads(anonymous["body"])["code"] == "unauthenticated"
    assert not {"firebase_admin", "PIL", "google"} & set(answer["modules"]), "the API function loaded a heavy library"


def test_every_sqs_handler_runs_on_a_real_sqs_event(package, stack, api, an, fcm):
    # The upload and exports workers are their own functions, tested below.
    handlers = [h for h in _handlers(package, "SQS") if not h.endswith((".on_upload", ".on_export"))]
    assert len(handlers) == 2, handlers
    citizen_id = api.get("/v1/me", headers=an.auth).json()["citizen_id"]
    update = DossierStatusChanged(
        event_id=f"package-{uuid.uuid4()}",
        citizen_id=citizen_id,
        dossier_id="D-package",
        receipt_code="PKG-1",
        procedure_code="KHAI_SINH",
        procedure_name_vi="Đăng ký khai sinh",
        procedure_name_en="Birth registration",
        status="processing",
        occurred_at=datetime.now(UTC).isoformat(),
    )
    token = f"package-test-{uuid.uuid4()}"
    job = push_job(
        f"package-{uuid.uuid4()}",
        citizen_id,
        "Hồ sơ",
        "Đang xử lý",
        {"dossier_id": "D-package"},
        [{"device_id": f"dev-{uuid.uuid4().hex}", "token": token}],
    )
    by_name = {h.rsplit(".", 1)[1]: h for h in handlers}
    run_in_package(
        package,
        stack,
        [
            {
                "handler": by_name["on_notification"],
                "event": sqs_event("citizen-app-local-Notifications", update.to_message()),
            },
            {"handler": by_name["on_push_job"], "event": sqs_event("citizen-app-local-Push", job)},
        ],
    )
    inbox = api.get("/v1/me/notifications", headers=an.auth).json()["items"]
    assert any(entry["data"].get("receipt_code") == "PKG-1" for entry in inbox)
    assert eventually(lambda: fcm.delivered(token), timeout=10)


def test_every_schedule_runs_on_a_scheduled_event(package, stack):
    handlers = _handlers(package, "Schedule")
    # receipt deadlines, parked pushes, tax alerts, the tax payments' sweep, ended delegations,
    # deletion reminders, the monthly access digest
    assert len(handlers) == 8, handlers
    answer = run_in_package(package, stack, [{"handler": h, "event": scheduled_event()} for h in handlers])
    assert [r["result"] for r in answer["results"]] == [None] * len(handlers)


def test_the_api_handler_serves_the_contract_and_answers_a_preflight(package, stack):
    """The contract ships in the package as JSON (no YAML parser there); the docs renderer does not ship."""
    handler = _api_handler(package)
    origin = stack.env["CORS_ALLOWED_ORIGINS"].split(",")[0]
    preflight = api_event("OPTIONS", "/v1/me", {"origin": origin, "access-control-request-method": "GET"})
    answer = run_in_package(
        package,
        stack,
        [
            {"handler": handler, "event": api_event("GET", "/openapi.json", {"accept": "application/json"})},
            {"handler": handler, "event": preflight},
        ],
    )
    contract, options = (r["result"] for r in answer["results"])
    assert contract["statusCode"] == 200
    assert json.loads(contract["body"]) == json.loads(
        (Path(__file__).parents[2] / "chalicelib/data/openapi.json").read_text("utf-8")
    )
    assert options["statusCode"] == 204
    assert options["headers"]["Access-Control-Allow-Origin"] == origin
    shipped = [str(p.relative_to(package["task"])) for p in Path(package["task"]).rglob("*")]
    shipped += [str(p.relative_to(package["layer"])) for p in Path(package["layer"]).rglob("*")]
    assert not [name for name in shipped if "swagger" in name.lower() or name.startswith("devstack")], "dev-only"
    assert "yaml" not in answer["modules"]


def test_the_upload_worker_is_its_own_function_and_the_one_that_loads_the_image_libraries(package, stack):
    """S3's test event (sent when a notification is configured) is skipped; the worker's ports load Pillow."""
    (handler,) = [h for h in _handlers(package, "SQS") if h.endswith(".on_upload")]
    test_event = {"Service": "Amazon S3", "Event": "s3:TestEvent", "Bucket": stack.env["DOCUMENTS_BUCKET"]}
    answer = run_in_package(
        package, stack, [{"handler": handler, "event": sqs_event("citizen-app-local-Uploads", test_event)}]
    )
    assert answer["results"][0]["result"] is None
    assert {"PIL", "pypdf"} <= set(answer["modules"])
    upload = next(f for f in package["functions"].values() if f["Handler"] == handler)
    assert upload["MemorySize"] == 1024 and upload["Timeout"] >= 60


def test_the_exports_worker_is_its_own_function_and_builds_a_real_export(package, stack, api, an):
    """An export started through the API (its queue message held back) is built by the packaged worker."""
    from chalicelib import wiring
    from tests.conftest import RecordingPublisher

    held = RecordingPublisher()
    wiring.override("exports_publisher", held)
    try:
        started = api.post("/v1/me/exports", headers={**an.auth, "Idempotency-Key": str(uuid.uuid4())})
    finally:
        wiring.override("exports_publisher", None)
    assert started.status_code == 202, started.text
    (handler,) = [h for h in _handlers(package, "SQS") if h.endswith(".on_export")]
    (requested,) = held.messages
    answer = run_in_package(
        package, stack, [{"handler": handler, "event": sqs_event("citizen-app-local-Exports", requested)}]
    )
    assert answer["results"][0]["result"] is None
    export = api.get(f"/v1/me/exports/{started.json()['export_id']}", headers=an.auth).json()
    assert export["state"] == "ready" and export["download"]["url"]
    worker = next(f for f in package["functions"].values() if f["Handler"] == handler)
    assert worker["MemorySize"] == 2048 and worker["Timeout"] == 300


# The python3.11 Lambda runtime is Amazon Linux 2: a library needing a newer glibc loads here, not there.
LAMBDA_GLIBC = (2, 26)


def _glibc_needed(library: Path) -> tuple[int, int]:
    """The newest GLIBC_x.y symbol version the shared library names (its dynamic string table carries them)."""
    versions = re.findall(rb"GLIBC_(\d+)\.(\d+)", library.read_bytes())
    return max(((int(major), int(minor)) for major, minor in versions), default=(0, 0))


def test_every_shared_library_in_the_package_loads_with_the_runtimes_glibc(package):
    libraries = [p for root in (package["task"], package["layer"]) for p in Path(root).rglob("*.so*") if p.is_file()]
    assert any("pillow_heif" in str(p) for p in libraries), "the layer ships no pillow_heif binary"
    too_new = {p.name: _glibc_needed(p) for p in libraries if _glibc_needed(p) > LAMBDA_GLIBC}
    assert not too_new, f"need a newer glibc than the Lambda runtime's {LAMBDA_GLIBC}: {too_new}"


def test_no_dependency_was_compiled_on_the_build_machine(package):
    """A `linux_x86_64` wheel was built from source here, linked to this machine's libraries, not Lambda's."""
    site = Path(package["layer"]).glob("python/lib/python*/site-packages/*.dist-info/WHEEL")
    local = [w.parent.name for w in site if re.search(r"^Tag: .*-linux_", w.read_text(), re.MULTILINE)]
    assert not local, f"built from source for the build machine: {local}"
