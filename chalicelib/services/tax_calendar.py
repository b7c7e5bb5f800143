"""The citizen's tax calendar as a feed the phone's calendar app subscribes to: a link with a 256-bit secret
(only its SHA-256 is stored), one live link per citizen (a new one revokes the old), read without login."""

import hashlib
import secrets
from collections.abc import Callable
from typing import Protocol

from chalicelib.domain.sessions import Principal
from chalicelib.domain.tax import BusinessStatus, TaxAnswer
from chalicelib.errors import NotFoundError
from chalicelib.services.auth_ports import Citizens
from chalicelib.services.tax_ports import TaxReadPorts
from chalicelib.services.tax_reads import my_calendar


class CalendarFeeds(Protocol):
    def replace(self, citizen_id: str, token_hash: str, now: int) -> None: ...
    def revoke(self, citizen_id: str) -> bool: ...
    def citizen_of(self, token_hash: str) -> str | None: ...


def new_feed_token(principal: Principal, feeds: CalendarFeeds, now: int) -> str:
    token = secrets.token_urlsafe(32)
    feeds.replace(principal.citizen_id, _hash(token), now)
    return token


def revoke_feed(principal: Principal, feeds: CalendarFeeds) -> None:
    if not feeds.revoke(principal.citizen_id):
        raise NotFoundError("calendar_feed_not_found")


def feed_calendar(
    token: str,
    feeds: CalendarFeeds,
    citizens: Citizens,
    ports: TaxReadPorts,
    businesses_of: Callable[[Principal], list[BusinessStatus]],
) -> TaxAnswer:
    """The calendar of the link's citizen, as if they asked (eID level of their profile); unknown link: 404."""
    citizen_id = feeds.citizen_of(_hash(token)) if 20 <= len(token) <= 100 else None
    citizen = citizens.get(citizen_id) if citizen_id else None
    if citizen is None:
        raise NotFoundError("calendar_feed_not_found")
    principal = Principal(citizen.citizen_id, "", citizen.eid_level, citizen)
    return my_calendar(ports, principal, businesses_of(principal))


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
