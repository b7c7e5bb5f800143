"""The contract served on every stage (`GET /openapi.json`) and the local docs page (`GET /docs`)."""

import json
import re
import threading

import requests

from app import app
from devstack.contract import SOURCE, TARGET, contract_from_yaml
from devstack.gateway import create_api_server
from tests.contract.openapi import assert_problem, assert_response_matches, load_spec


def test_the_shipped_copy_equals_openapi_yaml():
    """Fails as soon as openapi.yaml is edited without `make contract`."""
    shipped = json.loads(TARGET.read_text(encoding="utf-8"))
    assert shipped == contract_from_yaml(SOURCE.read_text(encoding="utf-8")), "run `make contract`"


def test_the_served_contract_is_openapi_yaml(api):
    response = api.get("/openapi.json")
    assert response.status_code == 200, response.text
    assert_response_matches(response, "/openapi.json", "GET")
    assert response.json() == contract_from_yaml(SOURCE.read_text(encoding="utf-8"))
    assert response.json() == load_spec()
    assert response.headers["Cache-Control"].startswith("public")


def test_an_unchanged_contract_revalidates_with_304(api):
    etag = api.get("/openapi.json").headers["ETag"]
    response = api.get("/openapi.json", headers={"If-None-Match": etag})
    assert response.status_code == 304 and response.content == b""
    assert response.headers["ETag"] == etag
    assert api.get("/openapi.json", headers={"If-None-Match": '"stale"'}).status_code == 200


def test_the_docs_page_and_its_files_are_served_offline(api):
    page = api.get("/docs")
    assert page.status_code == 200, page.text
    assert page.headers["Content-Type"].startswith("text/html")
    assert not re.search(r"(https?:)?//[a-z0-9]", page.text, re.IGNORECASE), "the page names an outside URL"
    linked = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    expected = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}
    assert len(linked) >= 3, linked
    for path in linked:
        asset = api.get(path)
        assert asset.status_code == 200, path
        assert asset.headers["Content-Type"].startswith(expected[path[path.rindex(".") :]]), path
        assert asset.headers["X-Content-Type-Options"] == "nosniff"
        assert asset.content, path
    initializer = api.get("/docs/docs.js").text
    assert '"/openapi.json"' in initializer and "validatorUrl: null" in initializer


def test_nothing_else_of_the_renderer_is_reachable(api):
    assert_problem(api.get("/docs/index.html"), 404, "route_not_found")
    assert_problem(api.get("/docs/../app.py"), 404, "route_not_found")


def test_the_docs_page_is_local_only():
    """Another stage served by the same local server (and every deployed one: /docs is no route) answers 404."""
    server = create_api_server(app, "127.0.0.1", 0, stage="dev")
    thread = threading.Thread(target=server.server.serve_forever, daemon=True)
    thread.start()
    try:
        response = requests.get(f"http://127.0.0.1:{server.server.server_address[1]}/docs", timeout=10)
        assert_problem(response, 404, "route_not_found")
    finally:
        server.server.shutdown()
        server.server.server_close()
    assert "/docs" not in app.routes
