"""The 405 reply: a method a path does not take, with the ``Allow`` header RFC 9110 requires.

Starlette answers a wrong method with the methods of the *first* route whose
path matched, and FastAPI's included routers hide their routes behind one
entry. So the methods are found by asking the router itself, through the
public ``Route.matches``, which of the standard methods some route takes on
this path: a path served by several routes (``GET`` from one, ``POST`` from
another) is described whole, and a route added later is covered with no
change here. (FastAPI's own routes do not answer ``HEAD``; its docs routes
do, and say so.)
"""

from __future__ import annotations

from starlette.responses import JSONResponse
from starlette.routing import Match, Router
from starlette.types import Scope

from cloud.errors import ApiError, error_response

_MAX_ECHOED_METHOD = 32  # h11 admits any token as a method; the message need not carry a long one
_USUAL_ORDER = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT")


def routed(router: Router, scope: Scope) -> bool:
    """Whether a route of ``router`` takes the path of ``scope`` with its method."""
    return any(route.matches(scope)[0] is Match.FULL for route in router.routes)


def allowed_methods(router: Router, scope: Scope) -> list[str]:
    """The standard methods some route of ``router`` takes on the path of ``scope``, in the usual order."""
    return [method for method in _USUAL_ORDER if routed(router, {**scope, "method": method})]


def _either(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def method_not_allowed(router: Router, scope: Scope) -> JSONResponse:
    """405 ``method_not_allowed`` naming the methods to use, with the ``Allow`` header listing them."""
    methods = allowed_methods(router, scope)
    method = str(scope.get("method", ""))[:_MAX_ECHOED_METHOD]
    advice = f"; use {_either(methods)}" if methods else ""
    response = error_response(ApiError(405, "method_not_allowed", f"{method} is not allowed here{advice}"))
    response.headers["Allow"] = ", ".join(methods)
    return response
