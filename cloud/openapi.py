"""The published OpenAPI document of the API: FastAPI's, made to say exactly what the server does.

FastAPI builds the document from the routes and their pydantic models. Two
things it gets wrong for this server are put right here, for every route,
present and future:

- it lists a 422 reply on every operation, which this server never sends
  (a body or query that does not fit is 400, see :mod:`cloud.api`);
- a schema given verbatim (pydantic's ``WithJsonSchema``, as the batch items
  of :mod:`cloud.protocol` are) keeps its own ``$defs``, and its ``$ref``s
  point at ``#/$defs/...``, which is nothing in an OpenAPI document (the
  ``$defs`` are not at the document's root). FastAPI only rewrites the
  models it builds itself. :func:`hoist_defs` moves every nested ``$defs``
  entry to ``components/schemas`` and points its references there.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

COMPONENTS_PREFIX = "#/components/schemas/"
_DEFS_PREFIX = "#/$defs/"
_UNSENT_SCHEMAS = ("HTTPValidationError", "ValidationError")


class SchemaConflict(RuntimeError):
    """Two different schemas want the same name in ``components/schemas``."""


def _collect_defs(node: object, found: dict[str, Any]) -> None:
    """Remove every ``$defs`` below ``node`` and gather its entries (themselves searched too)."""
    if isinstance(node, dict):
        defs = node.pop("$defs", None)
        if isinstance(defs, dict):
            for name, schema in defs.items():
                _collect_defs(schema, found)
                if name in found and found[name] != schema:
                    raise SchemaConflict(f"two different schemas are both called {name!r}")
                found[name] = schema
        for value in node.values():
            _collect_defs(value, found)
    elif isinstance(node, list):
        for value in node:
            _collect_defs(value, found)


def _point_refs_at_components(node: object) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_DEFS_PREFIX):
            node["$ref"] = COMPONENTS_PREFIX + ref.removeprefix(_DEFS_PREFIX)
        for value in node.values():
            _point_refs_at_components(value)
    elif isinstance(node, list):
        for value in node:
            _point_refs_at_components(value)


def hoist_defs(document: dict[str, Any]) -> dict[str, Any]:
    """Move every nested ``$defs`` entry of ``document`` into ``components/schemas``, in place.

    References ``#/$defs/<name>`` become ``#/components/schemas/<name>``. A
    name that is already a component must hold the same schema
    (:class:`SchemaConflict` otherwise: two models of one name would make
    one reference mean two things). Returns ``document``.
    """
    found: dict[str, Any] = {}
    _collect_defs(document.get("paths", {}), found)
    components = document.setdefault("components", {}).setdefault("schemas", {})
    _collect_defs(components, found)
    for name, schema in found.items():
        if name in components and components[name] != schema:
            raise SchemaConflict(f"the nested schema {name!r} differs from the component of that name")
        components[name] = schema
    _point_refs_at_components(document)
    return document


def build_openapi(app: FastAPI) -> dict[str, Any]:
    """The document of ``app``, built once and cached on it (FastAPI's ``app.openapi`` contract)."""
    if app.openapi_schema is None:
        document = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        for path in document.get("paths", {}).values():
            for operation in path.values():
                operation.get("responses", {}).pop("422", None)
        for name in _UNSENT_SCHEMAS:
            document.get("components", {}).get("schemas", {}).pop(name, None)
        app.openapi_schema = hoist_defs(document)
    return app.openapi_schema
