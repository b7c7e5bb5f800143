"""The interactive docs page of the local stack (`GET /docs`): Swagger UI over the served `/openapi.json`.

Swagger UI's files come from a dev dependency (swagger-ui-bundle-v2) and are served from here, never from a CDN,
so the page works offline; none of it enters the Lambda package (chalicelib/ ships, devstack/ does not).
"""

import mimetypes
from pathlib import Path

from swagger_ui_bundle import swagger_ui_path

PREFIX = "/docs"
# Only what the page loads: nothing else of the vendored folder is reachable.
_ASSETS = ("swagger-ui.css", "swagger-ui-bundle.js", "favicon-32x32.png")
_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".png": "image/png"}

_PAGE = """<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>Citizen app API (local)</title>
    <link rel="stylesheet" href="/docs/swagger-ui.css">
    <link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/docs/swagger-ui-bundle.js"></script>
    <script src="/docs/docs.js"></script>
  </body>
</html>
"""
# validatorUrl null: the default badge would send the contract to an outside validator.
_INITIALIZER = """window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
};
"""


def docs_asset(path: str) -> tuple[str, bytes] | None:
    """(content type, bytes) for a path of the docs page, or None when it is not one."""
    if path in (PREFIX, PREFIX + "/"):
        return "text/html; charset=utf-8", _PAGE.encode("utf-8")
    if not path.startswith(PREFIX + "/"):
        return None
    name = path[len(PREFIX) + 1 :]
    if name == "docs.js":
        return _TYPES[".js"], _INITIALIZER.encode("utf-8")
    if name in _ASSETS:
        file = Path(swagger_ui_path) / name
        content_type = _TYPES.get(file.suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"
        return content_type, file.read_bytes()
    return None
