"""Rate limits declared on routes (`limit=` of ApiBlueprint.route), counted after authentication: per citizen
on authenticated routes, per client IP on public ones.

The client IP is API Gateway's `requestContext.identity.sourceIp` (the peer it saw; Chalice's local server
fills 127.0.0.1), never X-Forwarded-For, which any client can write. A coarse per-IP limit over every route
is the WAF's (infra/waf.py).
"""

import time
from collections.abc import Callable

from chalice.app import Request

from chalicelib import wiring
from chalicelib.config import Limits
from chalicelib.domain.agencies import AgencyPrincipal
from chalicelib.domain.rate_limits import RateRule
from chalicelib.domain.sessions import Principal
from chalicelib.services.rate_limits import check_rate

LOGIN_STARTS = "login_starts"
RECEIPT_LOOKUPS = "receipt_lookups"
DEVICE_REGISTRATIONS = "device_registrations"
ONLINE_FILINGS = "online_filings"
SHARE_VIEWS = "share_views"
UPLOAD_REQUESTS = "upload_requests"
BUSINESS_STATUS_VIEWS = "business_status_views"
CALENDAR_FEED_READS = "calendar_feed_reads"
EXPORT_REQUESTS = "export_requests"
MINUTE, HOUR, DAY = 60, 3600, 86400

_RULES: dict[str, Callable[[Limits], tuple[int, int]]] = {
    LOGIN_STARTS: lambda limits: (limits.login_starts_per_minute, MINUTE),
    RECEIPT_LOOKUPS: lambda limits: (limits.receipt_lookups_per_minute, MINUTE),
    DEVICE_REGISTRATIONS: lambda limits: (limits.device_registrations_per_hour, HOUR),
    ONLINE_FILINGS: lambda limits: (limits.online_filings_per_hour, HOUR),
    SHARE_VIEWS: lambda limits: (limits.share_views_per_minute, MINUTE),
    UPLOAD_REQUESTS: lambda limits: (limits.upload_requests_per_hour, HOUR),
    BUSINESS_STATUS_VIEWS: lambda limits: (limits.business_status_views_per_minute, MINUTE),
    CALENDAR_FEED_READS: lambda limits: (limits.calendar_feed_reads_per_minute, MINUTE),
    EXPORT_REQUESTS: lambda limits: (limits.export_requests_per_day, DAY),
}


class UnknownLimitError(TypeError):
    """A route names a limit that has no rule."""


def checked_limit(name: str, path: str) -> str:
    if name and name not in _RULES:
        raise UnknownLimitError(f"route {path} names an unknown limit {name!r}")
    return name


def enforce_limit(name: str, principal: Principal | AgencyPrincipal | None, request: Request) -> None:
    """TooManyRequestsError when the caller used up the route's limit for the current window."""
    if not name:
        return
    limit, window = _RULES[name](wiring.settings().limits)
    subject = f"citizen:{principal.citizen_id}" if isinstance(principal, Principal) else f"ip:{client_ip(request)}"
    check_rate(RateRule(name, limit, window), subject, wiring.rate_counters(), int(time.time()))


def client_ip(request: Request) -> str:
    identity = (getattr(request, "context", None) or {}).get("identity") or {}
    return str(identity.get("sourceIp") or "unknown")
