"""Push fan-out: throughput of one push-worker process sending through the real firebase-admin SDK to
the local FCM endpoint (run in its own process, so its CPU is not counted), and the projected time for
1,000,000 devices within FCM's 600,000 messages/minute quota.

Measured: `services.push.send_push_job` on 500-token jobs with FcmPushSender; markers, devices and
queues are in-memory here (their AWS calls are 5 TransactWriteItems per 500 tokens on AWS).
Usage: python -m bench.fanout [runs] [jobs per run]
"""

import json
import math
import subprocess
import sys
import time
import uuid

from bench.common import median, report
from chalicelib.adapters.fcm import FcmPushSender
from chalicelib.services.notification_ports import PushPorts
from chalicelib.services.push import send_push_job

DEVICES, QUOTA_PER_SECOND, BUDGET_PER_VCPU, BUDGET_SECONDS = 1_000_000, 600_000 / 60, 500, 150


class _Markers:
    def claim(self, event_id, device_ids, now):
        return set(device_ids)

    def release(self, event_id, device_ids):
        return None


class _Nothing:
    def delete_dead(self, token):
        return None

    def publish(self, message, delay_seconds=0, attributes=None):
        return None


def start_endpoint() -> tuple[subprocess.Popen, dict]:
    process = subprocess.Popen([sys.executable, "-m", "devstack.fcm_endpoint"], stdout=subprocess.PIPE, text=True)
    return process, json.loads(process.stdout.readline())


def job(size: int) -> dict:
    return {
        "type": "push_job",
        "event_id": str(uuid.uuid4()),
        "citizen_id": "bench",
        "attempt": 0,
        "title": "Hồ sơ 000.00.31.H26-251121-0001 đã được tiếp nhận",
        "body": "Hồ sơ “Đăng ký khai sinh” của bạn.",
        "data": {"dossier_id": "D1", "status": "received"},
        "targets": [{"device_id": f"d{i}", "token": f"bench-{uuid.uuid4().hex}"} for i in range(size)],
    }


def one_run(ports: PushPorts, jobs: int) -> tuple[float, float]:
    """(messages per CPU second of this process, messages per wall second)."""
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(jobs):
        assert send_push_job(job(500), ports, 0)["sent"] == 500
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return jobs * 500 / cpu, jobs * 500 / wall


def main(runs: int = 5, jobs: int = 4) -> None:
    endpoint, info = start_endpoint()
    try:
        sender = FcmPushSender(lambda: json.dumps(info["service_account"]), info["url"])
        ports = PushPorts(
            sender=sender, markers=_Markers(), devices=_Nothing(), push_queue=_Nothing(), dead_letters=_Nothing()
        )
        one_run(ports, 1)  # warm: token fetch, SDK init, connection pool
        results = [one_run(ports, jobs) for _ in range(runs)]
    finally:
        endpoint.terminate()
    per_vcpu, per_wall = median(r[0] for r in results), median(r[1] for r in results)
    workers = math.ceil(QUOTA_PER_SECOND / per_vcpu)
    seconds = max(DEVICES / QUOTA_PER_SECOND, DEVICES / (per_vcpu * workers))
    report(
        "push fan-out: messages/s per worker vCPU (500-token jobs, real SDK)",
        per_vcpu,
        "msg/s",
        BUDGET_PER_VCPU,
        lower_is_better=False,
    )
    report("push fan-out: messages/s wall clock, one worker process", per_wall, "msg/s")
    report("push fan-out: worker vCPUs to fill FCM's 600k/min quota", workers, "vCPU")
    report("push fan-out: projected time for 1,000,000 devices within the quota", seconds, "s", BUDGET_SECONDS)


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
