"""The public contract (openapi.yaml) as a test helper: validate real responses against its schemas."""

import copy
import functools
import json
from pathlib import Path
from typing import Any

import requests
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from devstack.contract import contract_from_yaml

SPEC_PATH = Path(__file__).resolve().parents[2] / "openapi.yaml"
_BASE_URI = "urn:citizen-app:openapi"
PROBLEM_JSON = "application/problem+json"
PROBLEM_TYPE_PREFIX = "urn:problem:citizen-app:"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@functools.lru_cache(maxsize=1)
def load_spec() -> dict[str, Any]:
    """The parsed spec. Shared and cached: do not mutate it."""
    return contract_from_yaml(SPEC_PATH.read_text(encoding="utf-8"))


def operations(spec: dict[str, Any] | None = None) -> dict[tuple[str, str], dict[str, Any]]:
    """(path template, UPPER method) -> operation object."""
    spec = spec or load_spec()
    return {
        (path, method.upper()): item[method]
        for path, item in spec["paths"].items()
        for method in METHODS
        if method in item
    }


@functools.lru_cache(maxsize=1)
def _absolute_spec() -> dict[str, Any]:
    """A copy whose local $refs ("#/...") are absolute, so any schema cut out of it still resolves."""

    def absolutize(node: Any) -> Any:
        if isinstance(node, dict):
            return {
                key: (
                    _BASE_URI + value
                    if key == "$ref" and isinstance(value, str) and value.startswith("#")
                    else absolutize(value)
                )
                for key, value in node.items()
            }
        if isinstance(node, list):
            return [absolutize(item) for item in node]
        return node

    return absolutize(copy.deepcopy(load_spec()))


@functools.lru_cache(maxsize=1)
def _registry() -> Registry:
    resource = Resource.from_contents(_absolute_spec(), default_specification=DRAFT202012)
    return Registry().with_resource(_BASE_URI, resource)


def _deref(node: dict[str, Any]) -> dict[str, Any]:
    """Follows a Reference Object (responses, headers) within the spec."""
    while isinstance(node, dict) and "$ref" in node:
        target: Any = _absolute_spec()
        for part in node["$ref"].split("#", 1)[1].strip("/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def _schema_errors(schema: dict[str, Any], instance: Any) -> list[str]:
    validator = Draft202012Validator(schema, registry=_registry(), format_checker=Draft202012Validator.FORMAT_CHECKER)
    return [
        f"  at /{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.absolute_path)))
    ]


def _describe(response: requests.Response) -> str:
    return f"{response.request.method if response.request else '?'} {response.url} -> {response.status_code}: {response.text[:500]}"


def response_spec(path_template: str, method: str, status: int) -> dict[str, Any]:
    """The Response Object documented for this status, or an AssertionError naming what is documented."""
    spec_paths = _absolute_spec()["paths"]
    assert path_template in spec_paths, f"{path_template} is not a path of openapi.yaml"
    operation = spec_paths[path_template].get(method.lower())
    assert operation is not None, f"{method.upper()} {path_template} is not an operation of openapi.yaml"
    responses = operation["responses"]
    documented = responses.get(str(status)) or responses.get(f"{str(status)[0]}XX") or responses.get("default")
    assert documented is not None, (
        f"status {status} is not documented for {method.upper()} {path_template} "
        f"(documented: {', '.join(sorted(responses))})"
    )
    return _deref(documented)


def assert_response_matches(response: requests.Response, path_template: str, method: str) -> None:
    """The response's status, content type, headers and body are what openapi.yaml documents."""
    documented = response_spec(path_template, method, response.status_code)
    where = f"{method.upper()} {path_template} {response.status_code}"
    _assert_headers(response, documented.get("headers", {}), where)
    content = documented.get("content")
    if not content:
        assert response.content == b"", f"{where}: no body is documented, got {_describe(response)}"
        return
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    assert content_type in content, (
        f"{where}: content type {content_type!r} is not documented (documented: {', '.join(content)}); {_describe(response)}"
    )
    try:
        body = response.json()
    except json.JSONDecodeError as error:
        raise AssertionError(f"{where}: the body is not JSON ({error}); {_describe(response)}") from None
    errors = _schema_errors(content[content_type].get("schema", {}), body)
    assert not errors, (
        f"{where}: the body does not match openapi.yaml:\n" + "\n".join(errors) + f"\n{_describe(response)}"
    )
    if content_type == PROBLEM_JSON:
        _assert_problem_consistent(body, response)
        codes = documented.get("x-problem-codes")
        assert codes is None or body["code"] in codes, f"{where}: code {body['code']!r} is not one of {codes}"


def _assert_headers(response: requests.Response, headers: dict[str, Any], where: str) -> None:
    for name, header in headers.items():
        header = _deref(header)
        value = response.headers.get(name)
        if value is None:
            assert not header.get("required"), f"{where}: required header {name} is missing; {_describe(response)}"
            continue
        schema = header.get("schema", {})
        instance: Any = value
        if schema.get("type") == "integer":
            assert value.strip().isdigit(), f"{where}: header {name}={value!r} is not an integer"
            instance = int(value)
        errors = _schema_errors(schema, instance)
        assert not errors, f"{where}: header {name}={value!r} does not match openapi.yaml:\n" + "\n".join(errors)


def assert_problem(response: requests.Response, status: int | None = None, code: str | None = None) -> dict[str, Any]:
    """For answers no operation documents (unknown path, unsupported method): a valid Problem. Returns the body."""
    if status is not None:
        assert response.status_code == status, f"expected {status}; {_describe(response)}"
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    assert content_type == PROBLEM_JSON, f"not problem+json; {_describe(response)}"
    body = response.json()
    errors = _schema_errors({"$ref": _BASE_URI + "#/components/schemas/Problem"}, body)
    assert not errors, "the body is not a Problem:\n" + "\n".join(errors) + f"\n{_describe(response)}"
    _assert_problem_consistent(body, response)
    if code is not None:
        assert body["code"] == code, f"expected code {code}; {_describe(response)}"
    return body


def _assert_problem_consistent(body: dict[str, Any], response: requests.Response) -> None:
    """What a schema cannot say: the body agrees with the HTTP status, its code and the request id."""
    assert body["status"] == response.status_code, f"status in body differs from HTTP status; {_describe(response)}"
    assert body["type"] == PROBLEM_TYPE_PREFIX + body["code"], f"type does not name code; {_describe(response)}"
    request_id = response.headers.get("X-Request-Id")
    assert request_id is None or body["instance"] == request_id, f"instance is not X-Request-Id; {_describe(response)}"
