"""The dashboard's JSON API (``/dashboard/api/…``, docs/dashboard.md): one read snapshot per request.

Every route needs a signed-in staff member (:func:`cloud.dashboard.sessions.signed_in_staff`)
and answers for an area of their subtree only: ``area`` defaults to their
own; one outside it is 403 ``forbidden_area`` (for staff bound to an area,
whether or not the organisation exists, so the answer says nothing about
other areas), an unknown one 404 ``unknown_area`` for platform-wide staff.
Routes are plain ``def``: FastAPI runs them in its worker threads, as the
sync API's.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse

from cloud.dashboard import views
from cloud.dashboard.fleet import fleet
from cloud.dashboard.sessions import StaffMember, csrf_token_of, signed_in_staff
from cloud.errors import ApiError
from cloud.instance import CloudInstance
from cloud.queries import Reader

router = APIRouter(prefix="/dashboard/api")

Staff = Annotated[StaffMember, Depends(signed_in_staff)]
AreaQuery = Annotated[str | None, Query(max_length=64)]
DaysQuery = Annotated[int, Query(ge=1, le=views.MAX_DAYS)]


def _instance(request: Request) -> CloudInstance:
    instance = request.app.state.instance
    assert isinstance(instance, CloudInstance)
    return instance


def _checked_area(reader: Reader, staff: StaffMember, asked: str | None) -> str | None:
    """The area to answer for: ``asked`` (or the staff member's own) when they may see it."""
    area = asked if asked else staff.area_org_id
    if area is None:
        return None
    if staff.area_org_id is not None and not reader.is_within(area, staff.area_org_id):
        raise ApiError(403, "forbidden_area", "this area is outside the areas of your account")
    if reader.organisation(area) is None:
        raise ApiError(404, "unknown_area", f"no organisation {area!r}")
    return area


def _no_store(body: dict[str, Any]) -> JSONResponse:
    return JSONResponse(body, headers={"Cache-Control": "no-store"})


@router.get("/me")
def me(request: Request, staff: Staff) -> JSONResponse:
    """Who is signed in, their role and area, and the CSRF token their writes carry."""
    instance = _instance(request)
    with instance.store.read() as reader:
        organisation = reader.organisation(staff.area_org_id) if staff.area_org_id else None
    return _no_store(
        {
            "username": staff.username,
            "role": staff.role,
            "area": (
                {"org_id": organisation.org_id, "name": organisation.name, "level": organisation.level}
                if organisation
                else None
            ),
            "csrf_token": csrf_token_of(request, instance),
        }
    )


@router.get("/overview")
def overview(request: Request, staff: Staff, area: AreaQuery = None) -> JSONResponse:
    """Today's figures of the area and of each area one level down."""
    instance = _instance(request)
    with instance.store.read() as reader:
        return _no_store(views.overview(reader, _checked_area(reader, staff, area), instance.clock()))


@router.get("/on-site")
def on_site(request: Request, staff: Staff, area: AreaQuery = None) -> JSONResponse:
    """Activities running now and who is checked in at each."""
    instance = _instance(request)
    with instance.store.read() as reader:
        checked = _checked_area(reader, staff, area)
        return _no_store(views.on_site(reader, checked, instance.clock(), staff.sees_names))


@router.get("/rankings")
def rankings(request: Request, staff: Staff, area: AreaQuery = None, days: DaysQuery = 30) -> JSONResponse:
    """Areas one level down and the top organisations by hours, activities and volunteers."""
    instance = _instance(request)
    with instance.store.read() as reader:
        return _no_store(views.rankings(reader, _checked_area(reader, staff, area), instance.clock(), days))


@router.get("/categories")
def categories(request: Request, staff: Staff, area: AreaQuery = None, days: DaysQuery = 30) -> JSONResponse:
    """Credited hours by category per day."""
    instance = _instance(request)
    with instance.store.read() as reader:
        return _no_store(views.categories(reader, _checked_area(reader, staff, area), instance.clock(), days))


@router.get("/review")
def review(request: Request, staff: Staff, area: AreaQuery = None) -> JSONResponse:
    """The newest visits needing review."""
    instance = _instance(request)
    with instance.store.read() as reader:
        return _no_store(views.review(reader, _checked_area(reader, staff, area), staff.sees_names))


@router.get("/fleet")
def fleet_route(request: Request, staff: Staff, area: AreaQuery = None) -> JSONResponse:
    """The kiosks of the area: last seen, records waiting, clock offset, missing records, self-test."""
    instance = _instance(request)
    with instance.store.read() as reader:
        return _no_store(fleet(reader, _checked_area(reader, staff, area), instance.clock()))
