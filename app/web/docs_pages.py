"""API docs that load under the console's CSP: Swagger UI from the npm package ``swagger-ui-dist``, served by
:mod:`app.web.assets`, started by our own ``docs.js`` (FastAPI's built-in page loads it from a CDN with an inline
script, both of which ``script-src 'self'`` forbids, so it rendered blank)."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from starlette.responses import HTMLResponse
from starlette.routing import BaseRoute, Route

router = APIRouter(include_in_schema=False)

_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Triage Desk API</title>
  <link rel="stylesheet" href="/static/vendor/swagger-ui.css">
  <script src="/static/vendor/swagger-ui-bundle.js" defer></script>
  <script src="/static/docs.js" defer></script>
</head>
<body>
<div id="swagger-ui" data-openapi-url="/openapi.json"></div>
</body>
</html>
"""


@router.get("/docs")
def swagger_ui() -> HTMLResponse:
    """Public like ``/openapi.json``: the schema names routes and shapes, never data."""
    return HTMLResponse(_PAGE)


def drop_builtin_docs(app: FastAPI) -> None:
    """Remove FastAPI's CDN-based ``/docs`` and ``/redoc`` (registered in ``FastAPI.__init__``) so ours answer."""
    builtin = {app.docs_url, app.redoc_url, app.swagger_ui_oauth2_redirect_url} - {None}
    kept: list[BaseRoute] = [r for r in app.router.routes if not (isinstance(r, Route) and r.path in builtin)]
    app.router.routes[:] = kept
