"""Pure rules: masking, PKCE, session lifetimes, language choice, the error catalogue."""

import ast
import functools
import pathlib
import unicodedata

import pytest

from chalicelib.api.problems import choose_language, known_codes, problem_body
from chalicelib.domain.citizens import mask_personal_id, normalize_text
from chalicelib.domain.login import code_challenge
from chalicelib.domain.sessions import SessionPolicy, open_session, refresh_session
from chalicelib.errors import AppError

POLICY = SessionPolicy(access_token_ttl=600, idle_ttl=100, absolute_ttl=250)


def test_mask_keeps_province_and_last_three_digits():
    assert mask_personal_id("001090000001") == "001******001"
    assert mask_personal_id("12345") == "*****"


def test_pkce_challenge_is_unpadded_base64url_sha256():
    challenge = code_challenge("dBjftJeZ4CVP-mJ92K27uhbUJU1p1r7wW1gFWFOEjXk")
    assert challenge == "6uJB66H-5WprmeoV-wc7KyBIDnresberjsJ43M5w340"
    assert len(challenge) == 43 and "=" not in challenge


def test_normalize_text_composes_vietnamese():
    decomposed = unicodedata.normalize("NFD", " Nguyễn Văn An ")
    assert normalize_text(decomposed) == "Nguyễn Văn An"


def test_session_idle_and_absolute_lifetimes():
    session = open_session("c", 2, now=1000, policy=POLICY)
    assert session.is_active(1099) and not session.is_active(1100)
    refreshed = refresh_session(session, now=1090, policy=POLICY)
    assert refreshed.is_active(1150)
    late = refresh_session(refreshed, now=1200, policy=POLICY)
    assert late.idle_expires_at == 1250 and not late.is_active(1250)


@pytest.mark.parametrize(
    "header, expected",
    [
        (None, "vi"),
        ("", "vi"),
        ("en", "en"),
        ("en-GB", "en"),
        ("vi-VN,en;q=0.8", "vi"),
        ("en;q=0.9,vi;q=0.95", "vi"),
        ("ja", "vi"),
        ("en;q=abc", "vi"),
    ],
)
def test_choose_language(header, expected):
    assert choose_language(header) == expected


@functools.cache
def _app_error_names() -> frozenset[str]:
    import importlib
    import pkgutil

    import chalicelib

    for module in pkgutil.walk_packages(chalicelib.__path__, "chalicelib."):
        importlib.import_module(module.name)
    names, pending = set(), [AppError]
    while pending:
        kind = pending.pop()
        names.add(kind.__name__)
        pending += kind.__subclasses__()
    return frozenset(names)


def _codes_raised_in_chalicelib() -> set[str]:
    codes = set()
    for path in pathlib.Path("chalicelib").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = getattr(node, "func", None) and getattr(node.func, "id", "")
            # only AppErrors become problems: OAuthError answers in the OAuth shape, others never reach a client
            if isinstance(node, ast.Call) and name in _app_error_names() and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    codes.add(first.value)
    return codes


def test_every_error_code_raised_has_a_translation():
    raised = _codes_raised_in_chalicelib()
    assert "refresh_token_reused" in raised
    assert raised <= known_codes(), raised - known_codes()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_problem_body_shape(language):
    body = problem_body(AppError("internal_error"), 500, language, "req-1")
    assert body["instance"] == "req-1" and body["status"] == 500 and body["type"].endswith("internal_error")
    assert (
        body["title"] != problem_body(AppError("internal_error"), 500, "vi" if language == "en" else "en", "r")["title"]
    )
