"""CORS for the web origins listed in settings (the city portal): the preflight answer and the headers of every
answer to an allowed origin. An origin not on the list gets no CORS header at all, so its browser shares nothing."""

ALLOWED_HEADERS = ("Authorization", "Content-Type", "Idempotency-Key", "X-Purpose", "X-Request-Id", "Accept-Language")
EXPOSED_HEADERS = ("X-Request-Id", "Retry-After", "Content-Language")
# Chromium caps a cached preflight at 2 hours; longer would only be ignored.
PREFLIGHT_MAX_AGE = 7200


def allowed_origin(origin: str | None, allowlist: tuple[str, ...]) -> str | None:
    """The request's Origin when it is on the list (echoed as sent: the browser compares it byte for byte)."""
    if origin and origin.strip().lower() in allowlist:
        return origin.strip()
    return None


def preflight_headers(origin: str, methods: list[str]) -> dict[str, str]:
    return {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Methods": ", ".join(methods),
        "Access-Control-Allow-Headers": ", ".join(ALLOWED_HEADERS),
        "Access-Control-Max-Age": str(PREFLIGHT_MAX_AGE),
    }


def response_headers(origin: str) -> dict[str, str]:
    return {"Access-Control-Allow-Origin": origin, "Access-Control-Expose-Headers": ", ".join(EXPOSED_HEADERS)}
