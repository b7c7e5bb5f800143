"""Shared by the benchmarks: medians and one line per figure in the form `make bench` tabulates."""

import base64
import hashlib
import json
import secrets
import statistics
from collections.abc import Iterable

RESULT_PREFIX = "BENCH "


def median(values: Iterable[float]) -> float:
    return statistics.median(list(values))


def report(figure: str, value: float, unit: str, budget: float | None = None, lower_is_better: bool = True) -> None:
    """Ratio is value/budget when lower is better, budget/value otherwise: ≤ 1.0 is within budget.
    A figure without a budget is printed for information (ratio null)."""
    if budget is None:
        ratio = None
    elif lower_is_better:
        ratio = round(value / budget, 3) if budget else (0.0 if value == 0 else float("inf"))
    else:
        ratio = round(budget / value, 3) if value else float("inf")
    print(
        RESULT_PREFIX
        + json.dumps(
            {"figure": figure, "value": round(value, 3), "unit": unit, "budget": budget, "ratio": ratio},
            ensure_ascii=False,
        ),
        flush=True,
    )


def pkce_pair() -> tuple[str, str]:
    """An app's RFC 7636 S256 pair for one login: (code_verifier, code_challenge)."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge
