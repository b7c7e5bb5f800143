"""HttpTaxRegistry against the real local tax authority over HTTP: reads, authentication, faults,
retries, the circuit breaker and idempotent payment reports. No fakes: faults are the server's."""

import time
from datetime import UTC, datetime, timedelta

import pytest
import requests

from chalicelib.adapters.tax_authority_http import HttpTaxRegistry
from chalicelib.domain.tax import BusinessState
from chalicelib.errors import ConflictError, NotFoundError, ServiceUnavailableError
from devstack.tax_authority import LocalTaxAuthority
from devstack.tax_data import AN, BINH, BINH_MINH, VIETNAM

CLIENT_ID = "citizen-app-test"


@pytest.fixture(scope="module")
def authority():
    running = LocalTaxAuthority().start()
    running.key_pem = running.new_client(CLIENT_ID)
    yield running
    running.stop()


@pytest.fixture(autouse=True)
def no_faults(authority):
    yield
    authority.clear_faults()


def _registry(authority, key_pem=None, **options) -> HttpTaxRegistry:
    options = {
        "timeout": 2.0,
        "retries": 2,
        "backoff_base": 0.01,
        "breaker_failures": 5,
        "breaker_cooldown": 30.0,
        **options,
    }
    pem = key_pem or authority.key_pem
    return HttpTaxRegistry(authority.url, CLIENT_ID, lambda: pem, **options)


def _fault(authority, **rule):
    assert requests.post(authority.url + "/control/faults", json=rule).status_code == 200


def _served(authority) -> int:
    return requests.get(authority.url + "/control/faults").json()["served"]


def test_profile_with_its_dependant(authority):
    profile = _registry(authority).get_profile(AN)
    assert profile.full_name == "Nguyễn Văn An" and profile.tax_office.name == "Thuế cơ sở 1 thành phố Hà Nội"
    assert [(d.full_name, d.relationship) for d in profile.dependants] == [("Nguyễn Minh Khang", "con")]


def test_obligations_and_payments_are_domain_objects(authority):
    registry = _registry(authority)
    year = datetime.now(VIETNAM).year
    obligations = registry.list_obligations(BINH_MINH, year) + registry.list_obligations(BINH_MINH, year - 1)
    assert {o.tax_type.code for o in obligations} >= {"VAT", "CIT"}
    assert all(o.outstanding_vnd == o.declared_vnd - o.paid_vnd for o in obligations)
    payments = registry.list_payments(AN)
    assert payments and all(p.receipt_number.startswith("CT-") and p.paid_at.tzinfo for p in payments)


def test_business_status_and_representation(authority):
    registry = _registry(authority)
    assert registry.get_business_status("0108765438").state is BusinessState.SUSPENDED
    assert registry.get_business_status("0102345677").state is BusinessState.CEASED
    assert [b.tax_code for b in registry.businesses_represented_by(BINH)] == [BINH_MINH]
    assert registry.businesses_represented_by(AN) == []


def test_unknown_taxpayer_is_not_found(authority):
    with pytest.raises(NotFoundError) as missing:
        _registry(authority).get_profile("0109123466")
    assert missing.value.code == "taxpayer_not_found"


def test_a_wrong_key_is_refused_and_not_retried(authority):
    stranger = LocalTaxAuthority().new_client(CLIENT_ID)  # same client id, a key the authority never saw
    before = _served(authority)
    with pytest.raises(ServiceUnavailableError) as refused:
        _registry(authority, key_pem=stranger).get_profile(AN)
    assert refused.value.code == "tax_authority_credentials_refused"
    assert _served(authority) == before + 1


def test_a_request_without_an_assertion_is_refused(authority):
    answer = requests.get(f"{authority.url}/v1/taxpayers/{AN}")
    assert answer.status_code == 401 and answer.json()["error"] == "invalid_client"


def test_slow_upstream_times_out_without_retry(authority):
    _fault(authority, mode="slow", delay_seconds=10)
    before = _served(authority)
    with pytest.raises(ServiceUnavailableError) as unavailable:
        _registry(authority, timeout=0.5).get_profile(AN)
    assert unavailable.value.code == "tax_authority_unavailable" and unavailable.value.retry_after > 0
    assert _served(authority) == before + 1


def test_failures_are_retried_until_success(authority):
    _fault(authority, mode="fail", times=2, status=503)
    before = _served(authority)
    assert _registry(authority).get_profile(AN).tax_code == AN
    assert _served(authority) == before + 3


def test_dropped_connections_are_retried(authority):
    _fault(authority, mode="drop", times=1)
    assert _registry(authority).get_business_status(BINH_MINH).name == "Công ty TNHH Bình Minh Hà Nội"


def test_a_500_is_not_retried(authority):
    _fault(authority, mode="fail", times=1, status=500)
    with pytest.raises(ServiceUnavailableError):
        _registry(authority).get_profile(AN)


def test_retries_give_up_after_their_budget(authority):
    _fault(authority, mode="fail", times=None, status=502)
    before = _served(authority)
    with pytest.raises(ServiceUnavailableError):
        _registry(authority, retries=2).get_profile(AN)
    assert _served(authority) == before + 3


def _wait_until_served(registry, deadline_seconds=10.0):
    """Calls until the breaker lets a call through again (after its cool-down)."""
    deadline = time.monotonic() + deadline_seconds
    while True:
        try:
            return registry.get_profile(AN)
        except ServiceUnavailableError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_the_circuit_opens_then_one_probe_closes_it(authority):
    registry = _registry(authority, retries=0, breaker_failures=3, breaker_cooldown=1.0)
    _fault(authority, mode="fail", times=None, status=503)
    for _ in range(3):
        with pytest.raises(ServiceUnavailableError):
            registry.get_profile(AN)
    opened_at = _served(authority)
    with pytest.raises(ServiceUnavailableError) as open_circuit:
        registry.get_profile(AN)
    assert _served(authority) == opened_at, "an open circuit must not call the upstream"
    assert open_circuit.value.retry_after == 1
    authority.clear_faults()
    assert _wait_until_served(registry).tax_code == AN
    assert _served(authority) == opened_at + 1, "after the cool-down one probe goes through and closes it"
    registry.get_profile(AN)
    assert _served(authority) == opened_at + 2


def test_a_failed_probe_opens_the_circuit_again(authority):
    registry = _registry(authority, retries=0, breaker_failures=1, breaker_cooldown=1.0)
    _fault(authority, mode="fail", times=None, status=503)
    with pytest.raises(ServiceUnavailableError):
        registry.get_profile(AN)
    time.sleep(1.1)  # the breaker's cool-down; what is asserted is the request count, not a time
    before = _served(authority)
    with pytest.raises(ServiceUnavailableError):
        registry.get_profile(AN)  # the probe: reaches the upstream, fails
    with pytest.raises(ServiceUnavailableError):
        registry.get_profile(AN)  # open again: does not
    assert _served(authority) == before + 1


def test_not_found_does_not_count_towards_opening(authority):
    registry = _registry(authority, retries=0, breaker_failures=2)
    for _ in range(3):
        with pytest.raises(NotFoundError):
            registry.get_business_status("0109123466")
    assert registry.get_profile(AN).tax_code == AN


def test_report_payment_is_idempotent_by_reference(authority):
    registry = _registry(authority)
    paid_at = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)
    overdue_year = (datetime.now(VIETNAM) - timedelta(days=40)).year  # An's PIT is 40 days overdue
    obligation = next(
        o for o in registry.list_obligations(AN, overdue_year) if o.tax_type.code == "PIT" and o.outstanding_vnd
    )
    first = registry.report_payment((obligation.obligation_id,), 4_900_000, "TAXIDEMP0001", paid_at)
    _fault(authority, mode="fail", times=1, status=503)  # the retry of a lost answer: same receipt
    again = registry.report_payment((obligation.obligation_id,), 4_900_000, "TAXIDEMP0001", paid_at)
    assert first == again and first.reference == "TAXIDEMP0001" and first.paid_at == paid_at
    reported = requests.get(authority.url + "/control/payments").json()["items"]
    assert [p["reference"] for p in reported].count("TAXIDEMP0001") == 1
    assert first.receipt_number in {p.receipt_number for p in registry.list_payments(AN)}
    with pytest.raises(ConflictError):
        registry.report_payment((obligation.obligation_id,), 1_000, "TAXIDEMP0001", paid_at)


def test_report_payment_of_an_unknown_obligation(authority):
    with pytest.raises(NotFoundError) as missing:
        _registry(authority).report_payment(("NOPE-1",), 1_000, "TAXUNKNOWN01", datetime.now(UTC))
    assert missing.value.code == "obligation_not_found"


def test_a_replayed_or_moved_assertion_is_refused(authority):
    sign = _registry(authority)._assertion  # the adapter's own signing, sent by hand twice
    headers = {"Authorization": "Bearer " + sign("GET", f"/v1/taxpayers/{AN}", None)}
    assert requests.get(f"{authority.url}/v1/taxpayers/{AN}", headers=headers).status_code == 200
    replay = requests.get(f"{authority.url}/v1/taxpayers/{AN}", headers=headers)
    assert replay.status_code == 401 and "replay" in replay.json()["error_description"]
    moved = requests.get(
        f"{authority.url}/v1/taxpayers/{BINH}",
        headers={"Authorization": "Bearer " + sign("GET", f"/v1/taxpayers/{AN}", None)},
    )
    assert moved.status_code == 401 and "htm/htu" in moved.json()["error_description"]
