"""Wallet credentials: CPU to issue and to verify one SD-JWT VC (local signer: the budget excludes KMS),
and the signed status list for 1 M credentials with 1 % revoked (compressed size, time to build).

CPU is this thread's CPU time per call; the figures are medians over many credentials.
"""

import random
import time

from bench.common import median, report
from chalicelib.adapters.jws import LocalEcSigner, b64url_decode
from chalicelib.adapters.sd_jwt_vc import issue_sd_jwt_vc, issuer_metadata, present_sd_jwt_vc
from chalicelib.adapters.sd_jwt_verify import load_issuer_keys, verify_presentation
from chalicelib.adapters.status_list_tokens import sign_status_list_token, verify_status_list_token
from chalicelib.domain.credentials import CredentialStatus, credential_types
from chalicelib.domain.status_list import StatusList

RUNS = 500
ISSUER = "https://wallet.example.gov.vn"
LIST_URI = f"{ISSUER}/status-lists/1"
CREDENTIALS, REVOKED_SHARE = 1_000_000, 0.01
CLAIMS = {
    "full_name": "Nguyễn Văn An",
    "date_of_birth": "1990-05-17",
    "place_of_birth": "Phường Hoàn Kiếm, Hà Nội",
    "gender": "Nam",
    "nationality": "Việt Nam",
    "father_name": "Nguyễn Văn Bình",
    "mother_name": "Trần Thị Cúc",
    "registration_number": "123/2026/TLKS",
    "issue_date": "2026-01-02",
    "issuing_authority": "UBND phường Hoàn Kiếm",
}


def _cpu_ms(call) -> tuple[float, object]:
    started = time.thread_time()
    result = call()
    return (time.thread_time() - started) * 1000, result


def bench_issue_and_verify(issuer: LocalEcSigner, holder: LocalEcSigner, now: int) -> None:
    keys = load_issuer_keys(issuer_metadata(ISSUER, [issuer])["jwks"])
    vct = credential_types()["BIRTH_CERTIFICATE_EXTRACT"].vct
    issue_ms, verify_ms = [], []
    for index in range(RUNS):
        spent, sd_jwt = _cpu_ms(
            lambda: issue_sd_jwt_vc(
                issuer,
                claims=CLAIMS,
                vct=vct,
                issuer=ISSUER,
                issued_at=now,
                expires_at=now + 86400,
                status_uri=LIST_URI,
                status_index=index,
                holder_jwk=holder.public_jwk(),
            )
        )
        issue_ms.append(spent)
        presentation = present_sd_jwt_vc(
            sd_jwt, ["full_name", "date_of_birth"], holder, "https://bank.example", "n-1", issued_at=now
        )
        spent, result = _cpu_ms(
            lambda: verify_presentation(
                presentation, keys, status=lambda u, i: 0, now=now, audience="https://bank.example", nonce="n-1"
            )
        )
        assert result.valid, result.checks
        verify_ms.append(spent)
    report("credential issue, 10 claims + cnf, CPU per credential (median)", median(issue_ms), "ms", 5.0)
    report("credential verify, 2 disclosed + KB-JWT, CPU (median)", median(verify_ms), "ms", 5.0)


def bench_status_list(issuer: LocalEcSigner, now: int) -> None:
    revoked = random.Random(2026).sample(range(CREDENTIALS), int(CREDENTIALS * REVOKED_SHARE))
    started = time.perf_counter()
    status_list = StatusList(CREDENTIALS)
    for index in revoked:
        status_list.set(index, CredentialStatus.INVALID)
    token = sign_status_list_token(
        issuer, status_list, uri=LIST_URI, issuer=ISSUER, issued_at=now, ttl=300, expires_at=now + 86400
    )
    build_s = time.perf_counter() - started
    keys = load_issuer_keys(issuer_metadata(ISSUER, [issuer])["jwks"])
    assert verify_status_list_token(token, keys, now=now).status_list.get(revoked[0]) == CredentialStatus.INVALID
    compressed = len(b64url_decode(status_list.encode()["lst"]))
    report("status list 1M credentials 1% revoked, DEFLATE size", compressed / 1024, "KB", 32.0)
    report("status list 1M credentials 1% revoked, signed token size", len(token) / 1024, "KB")
    report("status list 1M credentials 1% revoked, build + compress + sign", build_s, "s", 1.0)


def main() -> None:
    issuer, holder, now = LocalEcSigner.generate("issuer-1"), LocalEcSigner.generate("device"), int(time.time())
    bench_issue_and_verify(issuer, holder, now)
    bench_status_list(issuer, now)


if __name__ == "__main__":
    main()
