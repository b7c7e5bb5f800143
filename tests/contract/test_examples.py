"""Every operation of openapi.yaml shows its request and responses by example, and every example is true to
its schema: integrators copy them, and the fuzzer replays them as test cases."""

import re
from collections.abc import Iterator
from typing import Any

from tests.contract.openapi import (
    PROBLEM_JSON,
    PROBLEM_TYPE_PREFIX,
    _absolute_spec,
    _deref,
    _schema_errors,
    load_spec,
    operations,
)

# (where, media type object, response status or None for a request body, the response object or None)
MediaType = tuple[str, dict[str, Any], str | None, dict[str, Any] | None]


def _media_types() -> Iterator[MediaType]:
    """Every request body and response body the contract documents, refs followed; its schemas' refs resolve."""
    for (path, method), operation in operations(_absolute_spec()).items():
        if "requestBody" in operation:
            for content_type, media in _deref(operation["requestBody"]).get("content", {}).items():
                yield f"{method} {path} request {content_type}", media, None, None
        for status, response in operation["responses"].items():
            response = _deref(response)
            for content_type, media in response.get("content", {}).items():
                yield f"{method} {path} {status} {content_type}", media, status, response


def _examples(media: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """(name, value) of the media type's `example` or of each of its `examples` (refs to components followed)."""
    if "example" in media:
        yield "example", media["example"]
    for name, example in media.get("examples", {}).items():
        yield name, _deref(example).get("value")


def test_every_body_has_an_example():
    missing = [where for where, media, _, _ in _media_types() if not list(_examples(media))]
    assert not missing, f"{len(missing)} bodies of openapi.yaml have no example:\n" + "\n".join(missing)


def test_every_example_matches_its_schema():
    wrong = []
    for where, media, _, _ in _media_types():
        for name, value in _examples(media):
            errors = _schema_errors(media.get("schema", {}), value)
            if errors:
                wrong.append(f"{where} [{name}]:\n" + "\n".join(errors))
    assert not wrong, "examples that do not match their schema:\n" + "\n".join(wrong)


def test_problem_examples_agree_with_their_response():
    """What a schema cannot say: the code is one the response lists, type and status agree with it, and the texts
    are the server's own (Vietnamese, the default)."""
    wrong = []
    for where, media, status, response in _media_types():
        if response is None or PROBLEM_JSON not in where:
            continue
        for name, body in _examples(media):
            wrong += [f"{where} [{name}]: {problem}" for problem in _problem_disagreements(body, status, response)]
    assert not wrong, "\n".join(wrong)


def _problem_disagreements(body: dict[str, Any], status: str, response: dict[str, Any]) -> list[str]:
    from chalicelib.api.problem_texts import CATALOG

    problems = []
    codes = response.get("x-problem-codes")
    if codes is not None and body.get("code") not in codes:
        problems.append(f"code {body.get('code')!r} is not one of {codes}")
    if body.get("type") != PROBLEM_TYPE_PREFIX + str(body.get("code")):
        problems.append(f"type {body.get('type')!r} does not name code {body.get('code')!r}")
    if not (str(body.get("status")) == status or (status.endswith("XX") and str(body.get("status"))[0] == status[0])):
        problems.append(f"status {body.get('status')!r} is not {status}")
    vi = CATALOG.get(body.get("code"), {}).get("vi")
    if vi is not None and not _fills(vi[0], str(body.get("title"))):
        problems.append(f"title {body.get('title')!r} is not the server's {vi[0]!r}")
    if vi is not None and not _fills(vi[1], str(body.get("detail"))):
        problems.append(f"detail {body.get('detail')!r} is not the server's {vi[1]!r}")
    return problems


def _fills(template: str, text: str) -> bool:
    """The text is the catalog's template with its `{params}` filled in."""
    pattern = re.sub(r"\\\{\w+\\\}", ".+", re.escape(template))
    return re.fullmatch(pattern, text) is not None


def test_every_shared_example_is_used():
    spec = load_spec()
    used = {
        example["$ref"].rsplit("/", 1)[1]
        for _, media, _, _ in _media_types()
        for example in media.get("examples", {}).values()
        if "$ref" in example
    }
    unused = set(spec.get("components", {}).get("examples", {})) - used
    assert not unused, f"components/examples nothing refers to: {sorted(unused)}"
