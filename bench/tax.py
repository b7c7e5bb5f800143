"""CPU of the tax pieces: tax-code validation, VietQR build and parse, debts, and one HttpTaxRegistry read
against the local tax authority (ES256 assertion, HTTP, JSON to domain objects).

CPU is this thread's time (time.thread_time): the local authority answers in other threads, so its work
and the waiting are excluded. The budget is the house's warm-request budget of 2 ms of our CPU.
"""

import time
from datetime import date, timedelta

from bench.common import median, report
from chalicelib.adapters.tax_authority_http import HttpTaxRegistry
from chalicelib.domain.tax import TaxObligation, TaxType, debts_of, upcoming_deadlines
from chalicelib.domain.tax_codes import validate_tax_code
from chalicelib.domain.vietqr import VietQr, build_payload, parse_payload
from devstack.tax_authority import LocalTaxAuthority
from devstack.tax_data import AN

ROUNDS, REPEAT = 7, 2_000


def _cpu_us(work, repeat: int = REPEAT) -> float:
    samples = []
    for _ in range(ROUNDS):
        started = time.thread_time()
        for _ in range(repeat):
            work()
        samples.append((time.thread_time() - started) / repeat * 1e6)
    return median(samples)


def _obligations(count: int) -> list[TaxObligation]:
    kind, today = TaxType("VAT", "Thuế giá trị gia tăng", "Value added tax"), date(2026, 3, 10)
    return [
        TaxObligation(f"VAT-{i}", kind, "2026-01", 1_000_000, today + timedelta(days=i - count // 2), 0, 1_000_000)
        for i in range(count)
    ]


def bench_domain() -> None:
    report(
        "tax: validate_tax_code (10 digits, check digit)", _cpu_us(lambda: validate_tax_code("0109123458")), "µs", 20
    )
    qr = VietQr("970415", "3751071234567", 4_850_000, "TAX2026AB12")
    report("tax: VietQR build + parse", _cpu_us(lambda: parse_payload(build_payload(qr))), "µs", 200)
    items, today = _obligations(100), date(2026, 3, 10)
    work = lambda: (debts_of(items, today), upcoming_deadlines(items, today, 30))  # noqa: E731
    report("tax: debts + deadlines of 100 obligations", _cpu_us(work, 200), "µs", 500)


def bench_registry() -> None:
    authority = LocalTaxAuthority().start()
    try:
        pem = authority.new_client("bench")
        registry = HttpTaxRegistry(authority.url, "bench", lambda: pem, timeout=5.0)
        registry.get_profile(AN)  # warm: the key is parsed once
        cpu_us = _cpu_us(lambda: registry.get_profile(AN), 50)
        report("tax: HttpTaxRegistry.get_profile, our CPU per call", cpu_us / 1000, "ms", 2.0)
    finally:
        authority.stop()


if __name__ == "__main__":
    bench_domain()
    bench_registry()
