"""The volunteer's phone pass page at ``/pass/`` (docs/phone-pass.md).

Static files only (``static/``): the page, its scripts, words, styles,
manifest and icons, the QR library (``static/vendor/``, fetched by
``scripts/fetch_qrcode_js.py``) and the service worker ``/pass/sw.js``,
whose scope is ``/pass/``, so once visited the page works offline. The page
talks to the cloud through the sync API (``GET /api/v1/time``,
``POST /api/v1/passes``, ``GET /api/v1/passes/{pass_id}``: :mod:`cloud.pass_api`).

Every reply carries the page's security headers: no inline script, nothing
from another origin, the camera for this origin only (scanning the card).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

PASS_PATH = "/pass"
STATIC_DIR = Path(__file__).resolve().parent / "static"

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; worker-src 'self'; manifest-src 'self'; media-src 'self' blob:; "
    "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Permissions-Policy": "camera=(self), microphone=(), geolocation=()",
}
#: The service worker and the page are checked with the server on every load (their cache answers offline).
REVALIDATED = frozenset({"sw.js", ".", "index.html"})


class PassFiles(StaticFiles):
    """The page's static files with its security headers; the service worker and page always revalidated."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        """The file at ``path`` (``index.html`` for the folder), with the headers."""
        response = await super().get_response(path, scope)
        response.headers.update(SECURITY_HEADERS)
        if path in REVALIDATED:
            response.headers["Cache-Control"] = "no-cache"
        if path.endswith(".webmanifest"):
            response.headers["Content-Type"] = "application/manifest+json"
        return response


def install_pass_page(app: FastAPI) -> None:
    """Serve the pass page on ``app`` at ``/pass/`` (``/pass`` redirects there); not in the OpenAPI schema."""

    @app.get(PASS_PATH, include_in_schema=False)
    async def pass_root() -> RedirectResponse:
        return RedirectResponse(f"{PASS_PATH}/", status_code=308)

    app.mount(PASS_PATH, PassFiles(directory=STATIC_DIR, html=True), name="pass-page")
