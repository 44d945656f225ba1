"""Static files: our own CSS/JS from ``app/web/static``, and htmx, Swagger UI and Chart.js from ``node_modules``
(installed by ``npm ci``).

Only files named here are served, so no path from a URL ever reaches the filesystem. htmx is not committed: the
setup script (``scripts/install-browser-deps.sh``) runs ``npm ci`` against the pinned ``package-lock.json``.
Pages work without it (plain forms and links); htmx adds the live queue, diff and preview.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from starlette.responses import FileResponse, PlainTextResponse, Response

from app.config import PROJECT_ROOT

router = APIRouter(include_in_schema=False)

STATIC_DIR = Path(__file__).parent / "static"
HTMX_PATH = Path("node_modules") / "htmx.org" / "dist" / "htmx.min.js"
HTMX_FILE = PROJECT_ROOT / HTMX_PATH  # a checkout (editable install)
_OWN = {
    "console.css": "text/css; charset=utf-8",
    "console.js": "text/javascript; charset=utf-8",
    "docs.js": "text/javascript; charset=utf-8",
}
_CACHE = "public, max-age=300"
# Other npm packages the console serves, by URL name → path under node_modules (pinned in package-lock.json).
VENDOR: dict[str, tuple[Path, str]] = {
    "swagger-ui.css": (Path("swagger-ui-dist") / "swagger-ui.css", "text/css; charset=utf-8"),
    "swagger-ui-bundle.js": (Path("swagger-ui-dist") / "swagger-ui-bundle.js", "text/javascript; charset=utf-8"),
    "chart.umd.min.js": (Path("chart.js") / "dist" / "chart.umd.min.js", "text/javascript; charset=utf-8"),
}


@router.get("/static/{name}")
def own_asset(name: str) -> Response:
    media_type = _OWN.get(name)
    if media_type is None:
        return PlainTextResponse(f"no static file named {name!r}", status_code=404)
    return FileResponse(STATIC_DIR / name, media_type=media_type, headers={"Cache-Control": _CACHE})


def htmx_file() -> Path | None:
    """htmx in the checkout, else under the working directory (an image that installed the app as a package)."""
    for candidate in (HTMX_FILE, Path.cwd() / HTMX_PATH):
        if candidate.is_file():
            return candidate
    return None


@router.get("/static/vendor/htmx.min.js")
def htmx() -> Response:
    found = htmx_file()
    if found is None:
        return PlainTextResponse(
            "htmx is not installed: run scripts/install-browser-deps.sh (or `npm ci`) in the repository root",
            status_code=404,
        )
    return FileResponse(found, media_type="text/javascript; charset=utf-8", headers={"Cache-Control": _CACHE})


def vendor_file(relative: Path) -> Path | None:
    """An npm package's file in the checkout's node_modules, else under the working directory."""
    for root in (PROJECT_ROOT, Path.cwd()):
        candidate = root / "node_modules" / relative
        if candidate.is_file():
            return candidate
    return None


@router.get("/static/vendor/{name}")
def vendor_asset(name: str) -> Response:
    known = VENDOR.get(name)
    if known is None:
        return PlainTextResponse(f"no vendor file named {name!r}", status_code=404)
    found = vendor_file(known[0])
    if found is None:
        return PlainTextResponse(
            f"{known[0].parts[0]} is not installed: run scripts/install-browser-deps.sh (or `npm ci`)",
            status_code=404,
        )
    return FileResponse(found, media_type=known[1], headers={"Cache-Control": _CACHE})
