"""Check a wallet presentation (the text of a share QR code) the way an offline verifier would:
`python -m devstack.verify_cli <presentation|@file> --jwks <file|url> [--status-list <file|url>]`.

With files only it makes no network call: the issuer's published keys and a cached status list are all it
needs. It prints the disclosed claims and every check, and exits 0 when the presentation is valid, 1 if not.
"""

import argparse
import json
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from chalicelib.adapters.sd_jwt_verify import load_issuer_keys, verify_presentation
from chalicelib.adapters.status_list_tokens import verify_status_list_token
from chalicelib.domain.credentials import VerifiedPresentation
from chalicelib.domain.status_list import StatusListToken
from chalicelib.errors import ValidationError


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    now = int(time.time())
    keys = load_issuer_keys(_jwks(json.loads(_read(args.jwks))))
    status_list = _status_list(args.status_list, keys, now) if args.status_list else None
    result = verify_presentation(
        _presentation(args.presentation), keys, status=status_list, now=now, audience=args.audience, nonce=args.nonce
    )
    print(json.dumps(_as_json(result), ensure_ascii=False, indent=2) if args.json else _as_text(result))
    return 0 if result.valid else 1


def _presentation(argument: str) -> str:
    return Path(argument[1:]).read_text(encoding="utf-8").strip() if argument.startswith("@") else argument.strip()


def _read(source: str) -> str:
    if source.startswith(("https://", "http://")):
        with urllib.request.urlopen(source, timeout=10) as answer:  # noqa: S310 (the verifier's own choice)
            return answer.read().decode("utf-8")
    return Path(source).read_text(encoding="utf-8")


def _jwks(document: Any) -> Any:
    """A JWKS, or the issuer metadata of /.well-known/jwt-vc-issuer (keys inline or behind jwks_uri)."""
    if isinstance(document, dict) and "keys" not in document:
        if "jwks" in document:
            return document["jwks"]
        if isinstance(document.get("jwks_uri"), str):
            return json.loads(_read(document["jwks_uri"]))
    return document


def _status_list(source: str, keys: dict, now: int) -> StatusListToken | None:
    """A list that fails its own checks is reported and left out: the status then reads status_unknown."""
    try:
        return verify_status_list_token(_read(source), keys, now=now)
    except ValidationError as refused:
        print(f"status list refused: {refused.code}", file=sys.stderr)
        return None


def _as_text(result: VerifiedPresentation) -> str:
    lines = [f"issuer: {result.issuer or '-'}", f"type: {result.vct or '-'}"]
    if result.expires_at is not None:
        lines.append(f"expires: {_instant(result.expires_at)}")
    lines += [f"claim {name}: {value}" for name, value in result.claims.items()]
    lines += [f"check {name}: {outcome}" for name, outcome in result.checks.items()]
    lines.append("result: VALID" if result.valid else f"result: NOT VALID ({', '.join(result.reasons)})")
    return "\n".join(lines)


def _as_json(result: VerifiedPresentation) -> dict[str, Any]:
    return {
        "valid": result.valid,
        "issuer": result.issuer,
        "vct": result.vct,
        "claims": result.claims,
        "checks": result.checks,
        "status": result.status.name if result.status is not None else None,
        "expires_at": _instant(result.expires_at) if result.expires_at is not None else None,
    }


def _instant(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m devstack.verify_cli", description=__doc__.splitlines()[0])
    parser.add_argument("presentation", help="the compact SD-JWT presentation, or @file holding it")
    parser.add_argument("--jwks", required=True, help="the issuer's JWKS or jwt-vc-issuer metadata: file or URL")
    parser.add_argument("--status-list", help="the statuslist+jwt: file (offline) or URL")
    parser.add_argument("--audience", help="require a Key Binding JWT for this audience")
    parser.add_argument("--nonce", help="require a Key Binding JWT with this nonce")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    return parser


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
