"""Soak of the whole local stack: mixed requests from a few threads, the process RSS sampled as it goes.

The stack runs in this process, as `make run` runs it (embedded AWS, dev eID, local FCM, API, poller,
schedules), so the RSS sampled is the whole stack's. Budget: ≤ 1 GB for the whole stack after the soak,
and agency writes late in the run as fast as early ones (a store that slows with its size shows here).
Usage: python -m bench.soak [requests] [threads]
"""

import itertools
import sys
import threading
import time
import urllib.parse
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import jwt
import requests

from bench.common import median, pkce_pair, report
from devstack.eid_model import DEMO_CITIZENS
from devstack.stack import GENEROUS_LIMITS, REDIRECT_URI, LocalStack

BUDGET_MIB = 1024.0
SAMPLE_EVERY = 500


def rss_mib() -> float:
    """The whole process's resident set, from the kernel (no extra dependency)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class SoakClient:
    """The calls a phone and an agency system make; one per worker thread (requests sessions are not shared)."""

    def __init__(self, stack: LocalStack):
        self.stack, self.base = stack, stack.api_url
        self.http = requests.Session()
        self.demo = stack.agency_clients[0]
        self._agency_token, self._agency_token_at = "", 0.0
        self.citizen = self.login(DEMO_CITIZENS[0].personal_id)
        self.receipts: list[dict] = []

    def login(self, personal_id: str) -> str:
        verifier, challenge = pkce_pair()
        start = {"redirect_uri": REDIRECT_URI, "code_challenge": challenge, "code_challenge_method": "S256"}
        login = self.http.post(self.base + "/v1/auth/login", json=start).json()
        location = self.http.get(login["authorization_url"] + "&login_hint=" + personal_id, allow_redirects=False)
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(location.headers["Location"]).query)
        body = {"code": query["code"][0], "state": query["state"][0], "code_verifier": verifier}
        return self.http.post(self.base + "/v1/auth/token", json=body).json()["access_token"]

    def agency_headers(self) -> dict[str, str]:
        if time.time() - self._agency_token_at > 240:  # agency tokens live 5 minutes
            self._agency_token = self._fetch_agency_token()
            self._agency_token_at = time.time()
        return {"Authorization": f"Bearer {self._agency_token}", "X-Purpose": urllib.parse.quote("Tiếp nhận hồ sơ")}

    def _fetch_agency_token(self) -> str:
        endpoint = self.stack.agency_token_endpoint
        client_id, now = self.demo.agency.client_id, int(time.time())
        claims = {"iss": client_id, "sub": client_id, "aud": endpoint, "iat": now, "exp": now + 120}
        assertion = jwt.encode(
            {**claims, "jti": str(uuid.uuid4())}, self.demo.private_key_pem, "ES256", headers={"kid": self.demo.kid}
        )
        form = {
            "grant_type": "client_credentials",
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": assertion,
        }
        return self.http.post(endpoint, data=form).json()["access_token"]

    def file(self) -> int:
        body = {"personal_id": DEMO_CITIZENS[0].personal_id, "procedure_code": "KHAI_SINH", "applicant_name": "An"}
        headers = {**self.agency_headers(), "Idempotency-Key": str(uuid.uuid4())}
        answer = self.http.post(self.base + "/v1/agency/dossiers", json=body, headers=headers)
        if answer.status_code == 201:
            self.receipts.append(answer.json())
        return answer.status_code

    def add_event(self) -> int:
        if not self.receipts:
            return self.file()
        receipt = self.receipts[-1]["receipt_code"]
        body = {"event_id": str(uuid.uuid4()), "occurred_at": "2026-03-02T09:00:00+07:00", "status": "processing"}
        path = f"/v1/agency/dossiers/{receipt}/events"
        return self.http.post(self.base + path, json=body, headers=self.agency_headers()).status_code

    def log_in_again(self) -> int:
        """A fresh session replaces the thread's citizen token before its 10 minutes run out."""
        self.citizen = self.login(DEMO_CITIZENS[1].personal_id)
        return 200 if self.citizen else 0

    def citizen_get(self, path: str) -> int:
        return self.http.get(self.base + path, headers={"Authorization": f"Bearer {self.citizen}"}).status_code

    def lookup(self, right_pin: bool) -> int:
        receipt = self.receipts[-1] if self.receipts else {"receipt_code": "HS260101-ZZZZZZZZ", "pin": "000000"}
        pin = receipt["pin"] if right_pin else "999999"
        params = {"receipt_code": receipt["receipt_code"], "pin": pin}
        return self.http.get(self.base + "/v1/dossiers/lookup", params=params).status_code

    def bad_input(self) -> int:
        headers = {"Authorization": f"Bearer {self.citizen}", "Content-Type": "application/json"}
        return self.http.post(self.base + "/v1/me/devices", data=b"{not json", headers=headers).status_code


# One round of the mix: agency writes are a quarter of it, as in the report that found the growth.
MIX = (
    ("agency_write", SoakClient.file),
    ("citizen_read", lambda c: c.citizen_get("/v1/me")),
    ("agency_write", SoakClient.add_event),
    ("notifications", lambda c: c.citizen_get("/v1/me/notifications")),
    ("citizen_read", lambda c: c.citizen_get("/v1/me/dossiers")),
    ("lookup", lambda c: c.lookup(right_pin=True)),
    ("bad_input", SoakClient.bad_input),
    ("lookup", lambda c: c.lookup(right_pin=False)),
)
LOGIN_EVERY = 50  # a fresh login (eID round trip + session) every 50 requests of a thread


class Soak:
    def __init__(self, stack: LocalStack, total: int, threads: int):
        self.stack, self.total, self.threads = stack, total, threads
        self._counter = itertools.count()
        self._lock = threading.Lock()
        self.writes: list[tuple[int, float]] = []  # (request number, ms)
        self.statuses: Counter = Counter()
        self.rss: list[tuple[int, float]] = [(0, rss_mib())]

    def run(self) -> None:
        with ThreadPoolExecutor(self.threads) as pool:
            for future in [pool.submit(self._worker) for _ in range(self.threads)]:
                future.result()

    def _worker(self) -> None:
        client = SoakClient(self.stack)
        for step in itertools.count():
            number = next(self._counter)
            if number >= self.total:
                return
            kind, call = ("login", SoakClient.log_in_again)
            if step % LOGIN_EVERY:
                kind, call = MIX[step % len(MIX)]
            started = time.perf_counter()
            status = call(client)
            self._record(number, kind, status, (time.perf_counter() - started) * 1000)

    def _record(self, number: int, kind: str, status: int, ms: float) -> None:
        with self._lock:
            self.statuses[f"{kind} {status}"] += 1
            if kind == "agency_write":
                self.writes.append((number, ms))
            if number % SAMPLE_EVERY == 0:
                self.rss.append((number, rss_mib()))
                print(f"  {number:>6} requests  RSS {self.rss[-1][1]:7.0f} MiB", flush=True)


def main(total: int = 20_000, threads: int = 4) -> None:
    stack = LocalStack(env=dict(GENEROUS_LIMITS)).start()  # one client at 127.0.0.1 soaks; limits are not measured
    try:
        soak = Soak(stack, total, threads)
        started = time.perf_counter()
        soak.run()
        elapsed = time.perf_counter() - started
        soak.rss.append((total, rss_mib()))
    finally:
        stack.stop()
    _report(soak, total, elapsed)


def _report(soak: Soak, total: int, elapsed: float) -> None:
    tenth = max(total // 10, 1)
    early = [ms for number, ms in soak.writes if number < tenth]
    late = [ms for number, ms in soak.writes if number >= total - tenth]
    start, peak, end = soak.rss[0][1], max(mib for _, mib in soak.rss), soak.rss[-1][1]
    print(f"{total} requests from {soak.threads} threads in {elapsed:.0f} s ({total / elapsed:.0f}/s)")
    print("answers: " + ", ".join(f"{key}: {count}" for key, count in sorted(soak.statuses.items())))
    print(f"RSS start {start:.0f} MiB, peak {peak:.0f} MiB, end {end:.0f} MiB")
    report(f"soak {total}: whole-stack RSS at the end", end, "MiB", BUDGET_MIB)
    report(f"soak {total}: whole-stack RSS peak", peak, "MiB", BUDGET_MIB)
    report(f"soak {total}: RSS growth per 1,000 requests", (end - start) * 1000 / total, "MiB")
    report(f"soak {total}: agency write p50, first tenth", median(early), "ms")
    report(f"soak {total}: agency write p50, last tenth", median(late), "ms")
    # Late vs early: ≤ 2× means writes do not slow with the size of the store.
    report(f"soak {total}: agency write p50 late/early", median(late) / median(early), "x", 2.0)


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))
