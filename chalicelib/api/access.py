"""Who may call a route, declared on the route itself: the edge authenticates before the view runs.

Every route says one of PUBLIC, citizen(level) or agency(scope); one that says nothing is refused when it
is registered. An authenticated view receives its caller as its first argument.
"""

import time
from dataclasses import dataclass
from typing import Any

from chalice.app import Request

from chalicelib import wiring
from chalicelib.domain.agencies import AgencyPrincipal
from chalicelib.domain.sessions import Principal
from chalicelib.errors import AuthenticationError
from chalicelib.services import agencies, auth


class RouteDeclarationError(TypeError):
    """A route was registered without saying who may call it."""


@dataclass(frozen=True)
class PublicAccess:
    """Anyone, no token: the view gets no caller."""


@dataclass(frozen=True)
class CitizenAccess:
    """A logged-in citizen whose session's eID level is at least `level`."""

    level: int = 1


@dataclass(frozen=True)
class AgencyAccess:
    """An agency system whose token carries `scope`."""

    scope: str


Access = PublicAccess | CitizenAccess | AgencyAccess
PUBLIC = PublicAccess()


def citizen(level: int = 1) -> CitizenAccess:
    return CitizenAccess(level)


def agency(scope: str) -> AgencyAccess:
    return AgencyAccess(scope)


def checked_access(declared: Any, path: str) -> Access:
    if not isinstance(declared, (PublicAccess, CitizenAccess, AgencyAccess)):
        raise RouteDeclarationError(f"route {path} must declare caller=PUBLIC, citizen(level) or agency(scope)")
    return declared


def authenticate(access: Access, request: Request) -> None | Principal | AgencyPrincipal:
    """The caller the route admits, or AuthenticationError/ForbiddenError (answered by the edge)."""
    if isinstance(access, PublicAccess):
        return None
    if isinstance(access, AgencyAccess):
        return agencies.authenticate_agency(bearer_token(request), wiring.agency_token_verifier(), access.scope)
    return auth.authenticate(
        bearer_token(request), wiring.token_verifier(), wiring.sessions(), int(time.time()), min_level=access.level
    )


def bearer_token(request: Request) -> str:
    scheme, _, token = (request.headers.get("authorization") or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationError("unauthenticated")
    return token.strip()
