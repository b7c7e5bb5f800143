"""A local, dev-only tax authority over real HTTP: the JSON API HttpTaxRegistry speaks, each request
authenticated by an ES256 client assertion bound to it (see the adapter's docstring), the demo ledger of
devstack/tax_data.py, payments reported idempotently by reference, and faults on command:

    POST   /control/faults {"mode": "slow"|"fail"|"timeout"|"drop", "times": N|null, "delay_seconds": S,
                            "status": 503}
    DELETE /control/faults          GET /control/faults (with "served", the /v1 requests seen)
    GET    /control/payments        the payments reported so far
    POST   /control/obligations {"tax_code", "tax_type": "PIT"|..., "period", "declared_vnd", "due_date"}
                                    a new unpaid obligation of a known taxpayer (announced on the feed)

The change feed `GET /v1/changes?after=<cursor>&limit=` lists obligations created or changed (paid, partly
paid) in the order they changed, each once at its latest state, with a monotonic cursor. It is authenticated
like the rest but neither counted in `served` nor faulted: the tax alert schedule polls it in the background.
"""

import base64
import hashlib
import json
import threading
import time
from datetime import date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from devstack.eid_client_auth import JtiLedger
from devstack.local_http import LocalHttpServer
from devstack.tax_data import TAX_TYPES, VIETNAM, add_item, demo_ledger
from devstack.tax_payments import PaymentBook, Refusal

MAX_ASSERTION_LIFETIME = 300
_DEFAULT_DELAY = {"slow": 2.0, "timeout": 30.0}
_MODES = ("slow", "fail", "timeout", "drop")


class LocalTaxAuthority:
    def __init__(self, audience: str | None = None, today: date | None = None) -> None:
        self._audience = audience
        self.ledger = demo_ledger(today or datetime.now(VIETNAM).date())
        self.book = PaymentBook(self.ledger)
        self.feed = ChangeFeed(self.ledger)
        self._clients: dict[str, Any] = {}
        self._jtis = JtiLedger()
        self._lock = threading.Lock()
        self._fault: dict[str, Any] | None = None
        self._wake = threading.Event()
        self.served = 0
        self._server: ThreadingHTTPServer | None = None

    def start(self, host: str = "127.0.0.1", port: int = 0) -> "LocalTaxAuthority":
        self._server = _Server((host, port), _Handler)
        self._server.authority = self
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="tax-authority", daemon=True
        ).start()
        return self

    def stop(self) -> None:
        self.clear_faults()
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def url(self) -> str:
        """Its callers run on this machine (the API): over loopback even when it listens on every address."""
        host, port = self._server.server_address[:2]
        return f"http://{'127.0.0.1' if host == '0.0.0.0' else host}:{port}"

    @property
    def audience(self) -> str:
        return self._audience or self.url

    def new_client(self, client_id: str) -> str:
        """Registers a client with a fresh P-256 key; returns the private key PEM the client signs with."""
        key = ec.generate_private_key(ec.SECP256R1())
        self._clients[client_id] = key.public_key()
        return key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode("ascii")

    def add_obligation(self, tax_code: str, kind: str, period: str, declared_vnd: int, due: date) -> str:
        """A new obligation of a known taxpayer (an assessment, a new period): in the books and on the feed."""
        add_item(self.ledger, tax_code, kind, period, declared_vnd, due)
        item = self.ledger.obligations[tax_code][-1]
        self.book.know(item["obligation_id"], tax_code)
        self.feed.add(tax_code, item)
        return item["obligation_id"]

    # --- faults ---------------------------------------------------------------------------------------

    def set_fault(
        self, mode: str, times: int | None = None, delay_seconds: float | None = None, status: int = 503
    ) -> None:
        if mode not in _MODES:
            raise ValueError(f"mode must be one of {', '.join(_MODES)}")
        delay = _DEFAULT_DELAY.get(mode, 0.0) if delay_seconds is None else float(delay_seconds)
        with self._lock:
            self._fault = {"mode": mode, "times": times, "delay_seconds": delay, "status": int(status)}

    def clear_faults(self) -> None:
        with self._lock:
            self._fault = None
            self._wake.set()  # sleeping slow/timeout handlers finish now
            self._wake = threading.Event()

    def faults(self) -> dict[str, Any]:
        with self._lock:
            return {"fault": self._fault, "served": self.served}

    def take_fault(self) -> tuple[dict[str, Any] | None, threading.Event]:
        with self._lock:
            self.served += 1
            fault = self._fault
            if fault and fault["times"] is not None:
                fault["times"] -= 1
                if fault["times"] <= 0:
                    self._fault = None
            return (dict(fault) if fault else None), self._wake

    # --- authentication -------------------------------------------------------------------------------

    def authenticate(self, method: str, target: str, body: bytes, header: str) -> str:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise Refusal(401, "invalid_client", "send Authorization: Bearer <client assertion>")
        claims = self._verified(token)
        now = time.time()
        if not 0 < claims["exp"] - now <= MAX_ASSERTION_LIFETIME + 10:
            raise Refusal(401, "invalid_client", f"the assertion must expire within {MAX_ASSERTION_LIFETIME} s")
        if claims.get("htm") != method or claims.get("htu") != target:
            raise Refusal(401, "invalid_client", "the assertion is for another request (htm/htu)")
        if body and claims.get("bh") != _body_hash(body):
            raise Refusal(401, "invalid_client", "the assertion does not match the body (bh)")
        if not self._jtis.claim(claims["iss"], str(claims["jti"]), claims["exp"], now):
            raise Refusal(401, "invalid_client", "the assertion was already used (jti replay)")
        return claims["iss"]

    def _verified(self, token: str) -> dict[str, Any]:
        try:
            issuer = jwt.decode(token, options={"verify_signature": False}).get("iss")
            key = self._clients.get(issuer) if isinstance(issuer, str) else None
            if key is None:
                raise Refusal(401, "invalid_client", "unknown client")
            claims = jwt.decode(
                token,
                key,
                algorithms=["ES256"],
                audience=self.audience,
                issuer=issuer,
                leeway=10,
                options={"require": ["iss", "sub", "aud", "iat", "exp", "jti"]},
            )
        except jwt.PyJWTError as error:
            raise Refusal(401, "invalid_client", f"client assertion rejected: {error}") from None
        if claims["sub"] != issuer:
            raise Refusal(401, "invalid_client", "sub must equal iss")
        return claims

    # --- the API --------------------------------------------------------------------------------------

    def answer(self, method: str, path: str, query: dict[str, list[str]], body: bytes) -> tuple[int, Any]:
        parts = path.strip("/").split("/")[1:]  # drop the "v1"
        if method == "GET" and len(parts) in (2, 3) and parts[0] == "taxpayers":
            return self._taxpayer(parts[1], parts[2] if len(parts) == 3 else "", query)
        if method == "GET" and len(parts) == 2 and parts[0] == "businesses":
            return 200, self._found(self.ledger.businesses, parts[1], "business")
        if method == "POST" and parts == ["businesses", "search"]:
            wanted = str(_json_body(body).get("legal_representative", ""))
            codes = self.ledger.representatives.get(wanted, [])
            return 200, {"items": [self.ledger.businesses[code] for code in codes]}
        if method == "POST" and parts == ["payments"]:
            report = _json_body(body)
            status, receipt = self.book.report(report)
            self.feed.touch(report.get("obligation_ids") or [])
            return status, receipt
        if method == "GET" and parts == ["changes"]:
            return 200, self.feed.page(query)
        raise Refusal(404, "not_found", "no such endpoint")

    def _taxpayer(self, code: str, view: str, query: dict[str, list[str]]) -> tuple[int, Any]:
        profile = self._found(self.ledger.taxpayers, code, "taxpayer")
        if view == "":
            return 200, profile
        if view == "payments":
            return 200, {"items": self.book.payments_of(code)}
        if view == "obligations" and (query.get("status") or [""])[0] == "unpaid":
            return 200, {"items": self.book.unpaid_of(code)}
        if view == "obligations":
            year = (query.get("year") or [""])[0]
            if not (year.isdigit() and len(year) == 4):
                raise Refusal(400, "invalid_request", "year=YYYY is required")
            return 200, {"items": self.book.obligations_of(code, int(year))}
        raise Refusal(404, "not_found", "no such endpoint")

    @staticmethod
    def _found(table: dict[str, Any], code: str, what: str) -> Any:
        if code not in table:
            raise Refusal(404, "not_found", f"no such {what}")
        return table[code]


class ChangeFeed:
    """Obligations in the order they last changed: the demo ledger at start, then every payment reported
    and every obligation added. A change moves its obligation to the feed's end with a new sequence."""

    MAX_LIMIT = 500

    def __init__(self, ledger: Any) -> None:
        self._ledger, self._lock = ledger, threading.Lock()
        self._sequence: dict[str, int] = {}  # obligation id -> the sequence of its latest change
        self._owner: dict[str, str] = {}
        for code, items in ledger.obligations.items():
            for item in items:
                self._owner[item["obligation_id"]] = code
        self.touch(list(self._owner))

    def touch(self, obligation_ids: list[Any]) -> None:
        with self._lock:
            for obligation_id in obligation_ids:
                if obligation_id in self._owner:
                    self._sequence[obligation_id] = max(self._sequence.values(), default=0) + 1

    def add(self, tax_code: str, item: dict[str, Any]) -> None:
        """A new obligation (an assessment, a new period), already in the ledger."""
        with self._lock:
            self._owner[item["obligation_id"]] = tax_code
        self.touch([item["obligation_id"]])

    def page(self, query: dict[str, list[str]]) -> dict[str, Any]:
        after, limit = (query.get("after") or ["0"])[0] or "0", (query.get("limit") or ["100"])[0]
        if not (after.isdigit() and limit.isdigit() and 1 <= int(limit) <= self.MAX_LIMIT):
            raise Refusal(400, "invalid_request", f"after must be a cursor and limit 1-{self.MAX_LIMIT}")
        with self._lock:
            ordered = sorted((seq, oid) for oid, seq in self._sequence.items() if seq > int(after))
            chosen = ordered[: int(limit)]
            items = [self._change(seq, oid) for seq, oid in chosen]
        cursor = str(chosen[-1][0]) if chosen else after
        return {"items": items, "next_cursor": cursor, "has_more": len(ordered) > len(chosen)}

    def _change(self, sequence: int, obligation_id: str) -> dict[str, Any]:
        code = self._owner[obligation_id]
        obligation = next(i for i in self._ledger.obligations[code] if i["obligation_id"] == obligation_id)
        business = code in self._ledger.businesses
        representatives = [pid for pid, codes in self._ledger.representatives.items() if code in codes]
        taxpayer = {
            "tax_code": code,
            "name": self._ledger.taxpayers[code]["name"],
            "kind": "business" if business else "individual",
            "legal_representatives": representatives if business else [],
        }
        return {"sequence": sequence, "taxpayer": taxpayer, "obligation": dict(obligation)}


def _body_hash(body: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(body).digest()).rstrip(b"=").decode("ascii")


def _json_body(body: bytes) -> dict[str, Any]:
    try:
        document = json.loads(body or b"{}")
    except ValueError:
        raise Refusal(400, "invalid_request", "the body is not JSON") from None
    if not isinstance(document, dict):
        raise Refusal(400, "invalid_request", "the body must be a JSON object")
    return document


class _Server(LocalHttpServer):
    authority: LocalTaxAuthority


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def _any(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        url = urlsplit(self.path)
        try:
            if url.path.startswith("/control/"):
                return self._send(*_control(self.server.authority, self.command, url.path, body))
            # The feed is polled by a background schedule: faults and `served` stay for the requests a test makes.
            if not url.path.startswith("/v1/changes") and not self._survives_fault():
                return None
            authority = self.server.authority
            authority.authenticate(self.command, self.path, body, self.headers.get("Authorization", ""))
            self._send(*authority.answer(self.command, url.path, parse_qs(url.query), body))
        except Refusal as refusal:
            self._send(refusal.status, refusal.body)

    do_GET = do_POST = do_DELETE = do_PUT = _any

    def _survives_fault(self) -> bool:
        fault, wake = self.server.authority.take_fault()
        if fault is None:
            return True
        if fault["mode"] in ("slow", "timeout"):
            wake.wait(fault["delay_seconds"])
        if fault["mode"] == "fail":
            self._send(fault["status"], {"error": "unavailable", "error_description": "injected failure"})
        self.close_connection = True
        return fault["mode"] == "slow"

    def _send(self, status: int, body: Any) -> None:
        data = b"" if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (its timeout): nothing to answer

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: request lines carry tax codes, which for individuals are personal ID numbers."""


def _control(authority: LocalTaxAuthority, method: str, path: str, body: bytes) -> tuple[int, Any]:
    if path == "/control/faults" and method == "POST":
        rule = _json_body(body)
        try:
            authority.set_fault(
                str(rule.get("mode")), rule.get("times"), rule.get("delay_seconds"), rule.get("status", 503)
            )
        except (TypeError, ValueError) as error:
            raise Refusal(400, "invalid_request", str(error)) from None
        return 200, authority.faults()
    if path == "/control/faults" and method == "DELETE":
        authority.clear_faults()
        return 200, authority.faults()
    if path == "/control/faults" and method == "GET":
        return 200, authority.faults()
    if path == "/control/obligations" and method == "POST":
        return 201, {"obligation_id": _added(authority, _json_body(body))}
    if path == "/control/payments" and method == "GET":
        return 200, {"items": authority.book.reported()}
    raise Refusal(404, "not_found", "no such control endpoint")


def _added(authority: LocalTaxAuthority, rule: dict[str, Any]) -> str:
    try:
        code, kind, period = str(rule["tax_code"]), str(rule["tax_type"]), str(rule["period"])
        declared, due = int(rule["declared_vnd"]), date.fromisoformat(str(rule["due_date"]))
        if code not in authority.ledger.taxpayers or kind not in TAX_TYPES or declared <= 0:
            raise ValueError("a known tax_code and tax_type, and declared_vnd > 0")
    except (KeyError, TypeError, ValueError) as error:
        raise Refusal(400, "invalid_request", f"tax_code, tax_type, period, declared_vnd, due_date: {error}") from None
    return authority.add_obligation(code, kind, period, declared, due)


if __name__ == "__main__":
    import sys

    running = LocalTaxAuthority().start(port=int(sys.argv[1]) if len(sys.argv) > 1 else 0)
    print(
        json.dumps(
            {
                "url": running.url,
                "client_id": "citizen-app-local",
                "client_key_pem": running.new_client("citizen-app-local"),
            }
        ),
        flush=True,
    )
    threading.Event().wait()
