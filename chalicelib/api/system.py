"""Liveness and the public keys that verify our access tokens."""

from chalicelib import wiring
from chalicelib.api.access import PUBLIC
from chalicelib.api.http import ApiBlueprint, json_response

system_api = ApiBlueprint(__name__)


@system_api.route("/v1/health", methods=["GET"], caller=PUBLIC)
def health():
    return json_response({"status": "ok"}, headers={"Cache-Control": "no-cache"})


@system_api.route("/.well-known/jwks.json", methods=["GET"], caller=PUBLIC)
def jwks():
    return json_response(wiring.public_keys().jwks(), headers={"Cache-Control": "public, max-age=300"})
