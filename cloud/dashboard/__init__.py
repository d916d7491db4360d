"""The live staff dashboard at ``/dashboard`` (docs/dashboard.md).

- :mod:`cloud.dashboard.staff`: accounts, password hashing, the login rate limit;
- :mod:`cloud.dashboard.sessions`: sessions, CSRF, the FastAPI dependencies;
- :mod:`cloud.dashboard.web`: the page, signing in and out, security headers;
- :mod:`cloud.dashboard.api_routes`: the JSON API the page reads (``/dashboard/api``);
- ``static/``: the page itself, its script, styles and charts.

:func:`install_dashboard` puts them all on the app.
"""

from __future__ import annotations

import importlib

from fastapi import APIRouter, FastAPI
from starlette.staticfiles import StaticFiles

from cloud.body_guard import BodyGuard
from cloud.dashboard.web import STATIC_DIR, STATIC_PATH, DashboardHeaders, FormBodies
from cloud.dashboard.web import router as web_router

API_ROUTES_MODULE = "cloud.dashboard.api_routes"


def _api_router() -> APIRouter | None:
    """The JSON API's router, or None while :mod:`cloud.dashboard.api_routes` is not written yet."""
    try:
        module = importlib.import_module(API_ROUTES_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name != API_ROUTES_MODULE:
            raise
        return None
    router = module.router
    assert isinstance(router, APIRouter)
    return router


def install_dashboard(app: FastAPI) -> None:
    """Serve the dashboard on ``app``: its pages, JSON API and static files, and its two middlewares.

    Call it after the body guard is added (:func:`cloud.api.create_app` does):
    :class:`~cloud.dashboard.web.FormBodies` must run before the guard. None
    of these routes is in the sync API's OpenAPI schema.
    """
    guarded = any(getattr(middleware, "cls", None) is BodyGuard for middleware in app.user_middleware)
    if not guarded:
        raise RuntimeError("install the dashboard after the body guard (cloud.api.create_app)")
    app.include_router(web_router)
    api_router = _api_router()
    if api_router is not None:
        app.include_router(api_router, include_in_schema=False)
    app.mount(STATIC_PATH, StaticFiles(directory=STATIC_DIR, check_dir=False), name="dashboard-static")
    app.add_middleware(FormBodies)
    app.add_middleware(DashboardHeaders)
