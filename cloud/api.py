"""The HTTP API of sync protocol version 1: the app factory, its routes and its error replies.

Endpoints that touch the database are plain ``def`` functions, which FastAPI
runs in its worker threads; the store is thread-safe (:mod:`cloud.storage`).
Every error is ``{"error": "<code>", "message": "<plain words>"}``:

- FastAPI's 422 for a body or query that does not fit its model becomes 400
  ``invalid_request`` (with the field and what is wrong), and a body that is
  not JSON 400 ``malformed_json``;
- :class:`~cloud.errors.ApiError` carries its own status and code;
- anything unexpected is 500 ``internal`` with no detail (the log has it).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException as StarletteHTTPException

from checkin_protocol import __version__
from checkin_protocol.sealed import b64
from cloud.auth import AuthenticatedKiosk, authenticated_kiosk
from cloud.body_guard import BodyGuard
from cloud.changes import read_changes
from cloud.dashboard import install_dashboard
from cloud.errors import ApiError, error_response
from cloud.face_ingest import ingest_faces
from cloud.face_protocol import FaceKeyResponse, FacePushRequest, FacePushResponse
from cloud.ingest import ingest
from cloud.instance import CloudInstance
from cloud.kiosk_status import note_seen
from cloud.methods import method_not_allowed
from cloud.openapi import build_openapi
from cloud.pass_api import router as pass_router
from cloud.pass_page import install_pass_page
from cloud.protocol import (
    API_PREFIX,
    DEFAULT_CHANGES_LIMIT,
    MAX_CHANGES_LIMIT,
    ChangeOut,
    ChangesResponse,
    ErrorBody,
    MissingRange,
    PushRequest,
    PushResponse,
    RegisterRequest,
    RegisterResponse,
    RegistrationNonceRequest,
    RegistrationNonceResponse,
    TimeResponse,
    format_time,
)
from cloud.provisioning import register
from cloud.receipt_pages import install_receipts
from cloud.registration_nonces import issue_nonce
from cloud.wire_schema import CURSOR_JSON_SCHEMA

_STATUS_CODES = {404: "not_found"}  # 405 has its own reply (cloud.methods)
_ERROR_TEXT = {
    400: "the request is not valid",
    401: "the device is not authenticated",
    403: "forbidden",
    409: "conflicts with what the server holds",
    413: "the body is too large",
    415: "the body is not JSON",
}


def _errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": ErrorBody, "description": _ERROR_TEXT[status]} for status in statuses}


def _validation_message(error: RequestValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first.get("loc", ()) if part not in ("body", "query", "header"))
    return f"{where}: {first.get('msg', 'invalid')}" if where else str(first.get("msg", "invalid request"))


def install_error_handlers(app: FastAPI) -> None:
    """Make every error reply the protocol's ``{"error", "message"}``."""

    async def api_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ApiError)
        return error_response(exc)

    async def invalid(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        if any(e.get("type") == "json_invalid" for e in exc.errors()):
            return error_response(ApiError(400, "malformed_json", "the body is not valid JSON"))
        return error_response(ApiError(400, "invalid_request", _validation_message(exc)))

    async def http_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 405:
            return method_not_allowed(request.app.router, request.scope)
        if exc.status_code == 400:  # FastAPI's "error parsing the body": not UTF-8, nested too deep
            return error_response(ApiError(400, "malformed_json", "the body is not valid JSON text"))
        code = _STATUS_CODES.get(exc.status_code, f"http_{exc.status_code}")
        return error_response(ApiError(exc.status_code, code, str(exc.detail)))

    async def internal(_: Request, exc: Exception) -> JSONResponse:
        # Starlette re-raises the exception after this reply, and uvicorn logs it with its traceback.
        return error_response(ApiError(500, "internal", "the server failed; try again later"))

    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, internal)


bearer = HTTPBearer(auto_error=False, description="`Bearer <device_id>.<device_secret>`")
router = APIRouter(prefix=API_PREFIX)


async def _instance(request: Request) -> CloudInstance:
    instance = request.app.state.instance
    assert isinstance(instance, CloudInstance)
    return instance


Instance = Annotated[CloudInstance, Depends(_instance)]


def _kiosk(
    request: Request, instance: Instance, _: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> AuthenticatedKiosk:
    return authenticated_kiosk(instance.store, request.headers.get("authorization"))


#: The authenticated kiosk; an endpoint marks it seen once it has answered (cloud.kiosk_status).
Kiosk = Annotated[AuthenticatedKiosk, Depends(_kiosk)]


def _seen(instance: CloudInstance, kiosk: AuthenticatedKiosk) -> None:
    note_seen(instance.store, kiosk.device.device_id, kiosk.last_seen_utc, instance.clock())


@router.get("/time")
async def server_time(instance: Instance) -> TimeResponse:
    """The server's clock, for the kiosk's clock offset."""
    return TimeResponse(server_time=format_time(instance.clock()))


@router.post("/register/nonce", status_code=201, responses=_errors(400, 413, 415))
def registration_nonce(body: RegistrationNonceRequest, instance: Instance) -> RegistrationNonceResponse:
    """A single-use nonce, valid for five minutes, for the kiosk to sign with its device key and register."""
    return issue_nonce(instance.store, body.kiosk_id, instance.clock())


@router.post("/register", status_code=201, responses=_errors(400, 403, 409, 413, 415))
def register_kiosk(body: RegisterRequest, instance: Instance) -> RegisterResponse:
    """Exchange a one-time provisioning code for device credentials, proving the device key."""
    return register(instance.store, instance.keys, body, instance.clock())


@router.post("/events", responses=_errors(400, 401, 413, 415))
def push_events(body: PushRequest, kiosk: Kiosk, instance: Instance) -> PushResponse:
    """Store a batch of events (and the kiosk's status); each is accepted, a duplicate, or rejected with a reason."""
    return ingest(instance.store, kiosk.device.device_id, body, instance.clock(), from_kiosk=True)


@router.post("/face", responses=_errors(400, 401, 413, 415))
def push_faces(body: FacePushRequest, kiosk: Kiosk, instance: Instance) -> FacePushResponse:
    """Store a batch of face enrolments and deletions; each is accepted, a duplicate, superseded or rejected."""
    device = kiosk.device
    reply = ingest_faces(instance.store, instance.keys.area_keys, device.device_id, body, instance.clock())
    _seen(instance, kiosk)
    return reply


@router.get("/face-key", responses=_errors(401))
def face_key(kiosk: Kiosk, instance: Instance) -> FaceKeyResponse:
    """The face key of the kiosk's area, which its face templates travel under."""
    area_id = kiosk.device.area_id
    reply = FaceKeyResponse(area_id=area_id, face_key=b64(instance.keys.area_keys.key(area_id)))
    _seen(instance, kiosk)
    return reply


@router.get("/changes", responses=_errors(400, 401, 409))
def pull_changes(
    kiosk: Kiosk,
    instance: Instance,
    cursor: Annotated[str, Query(json_schema_extra=CURSOR_JSON_SCHEMA)] = "",
    limit: Annotated[int, Query(ge=1, le=MAX_CHANGES_LIMIT)] = DEFAULT_CHANGES_LIMIT,
) -> ChangesResponse:
    """The changes to roster, activities, sign-ups, revocations and keys after ``cursor``, and the area's face records."""
    page = read_changes(instance.store, cursor, limit, kiosk.device.area_id, kiosk.device.device_id)
    _seen(instance, kiosk)
    return ChangesResponse(
        changes=[
            ChangeOut.model_construct(kind=c.kind, op=c.op, key=c.key, data=c.data) for c in page.changes
        ],
        next_cursor=page.next_cursor,
        more=page.more,
        server_time=format_time(instance.clock()),
        missing=[MissingRange.model_validate(gap.as_wire()) for gap in page.missing],
    )


def create_app(instance: CloudInstance) -> FastAPI:
    """The FastAPI app serving ``instance`` under ``/api/v1`` (docs at ``/api/v1/docs``)."""
    app = FastAPI(
        title="Volunteer kiosk cloud",
        version=__version__,
        description="Sync protocol version 1 (docs/sync-protocol.md): register, push events and face records, "
        "pull changes.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
    )
    app.state.instance = instance
    app.add_middleware(BodyGuard, router=app.router)
    install_error_handlers(app)
    app.openapi = lambda: build_openapi(app)  # type: ignore[method-assign]
    app.include_router(router)
    app.include_router(pass_router)  # phone passes (cloud.pass_api)
    install_receipts(app)  # the receipt page /R/{receipt} and POST /receipts/check (docs/receipts.md)
    install_dashboard(app)  # the staff dashboard at /dashboard (cloud.dashboard)
    install_pass_page(app)  # the volunteer's phone pass at /pass/ (cloud.pass_page)
    return app
