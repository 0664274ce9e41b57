"""The memory explorer: a static page at /ui (HTML, CSS and ES modules shipped in this package) that reads the API
with a key the browser keeps in sessionStorage. Only the local server mounts it; Lambda functions serve the API."""

from __future__ import annotations

from importlib.resources import files

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.responses import Response
from starlette.types import Scope

UI_PATH = "/ui"

# Scripts, styles and images from this origin only: no inline script or style, no third-party origin. The page calls
# the API on its own origin ('self'); hosted elsewhere, it is the host's policy that must name the API's origin.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    # Revalidate each time (ETag): a new version of the page is never mixed with cached modules of the old one.
    "Cache-Control": "no-cache",
}


def ui_directory() -> str:
    return str(files("agent_memory.http") / "ui")


class ExplorerFiles(StaticFiles):
    """StaticFiles with the explorer's security headers on every file it answers (and on 304s)."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        response.headers.update(SECURITY_HEADERS)
        return response


def install_ui(app: FastAPI) -> None:
    # Mounts are not routes: the explorer never appears in the OpenAPI document.
    app.mount(UI_PATH, ExplorerFiles(directory=ui_directory(), html=True), name="ui")
