"""Signed-in staff: sessions, CSRF tokens, and the FastAPI dependencies the dashboard's routes use.

- **Sessions**: a random 32-byte token in the ``dashboard_session`` cookie
  (HttpOnly, SameSite=Strict, path ``/dashboard``, Secure when the request
  came over https or through a proxy saying ``X-Forwarded-Proto: https``). The
  database keeps only its SHA-256, with an absolute expiry
  (:data:`SESSION_LIFETIME`); signing out deletes the row. A session stops
  working the moment its account is disabled (:mod:`cloud.staff_queries`).
- **CSRF**: each session has its own random token; a write carries it in the
  ``X-CSRF-Token`` header or a ``csrf_token`` form field
  (:func:`checked_csrf`). The page learns it from ``GET /dashboard/api/me``
  (:func:`csrf_token_of`).
- **The login form** has no session yet, so it is protected by a double
  submit: ``GET /dashboard/login`` puts the same random value in a cookie
  (SameSite=Strict, path ``/dashboard/login``) and in a hidden field, and the
  ``POST`` must bring both (:func:`login_form_token_ok`). Another site can
  neither read the value nor make the browser send the cookie.

Times come from the instance's clock (``request.app.state.instance``), so
tests move them.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import Depends, Request, Response

from cloud.errors import ApiError
from cloud.instance import CloudInstance
from cloud.staff_queries import StaffAccountRow, StaffSessionRow
from cloud.storage import Storage

SESSION_COOKIE = "dashboard_session"
SESSION_COOKIE_PATH = "/dashboard"
SESSION_LIFETIME = timedelta(hours=12)
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
LOGIN_FORM_COOKIE = "dashboard_login_form"
LOGIN_FORM_PATH = "/dashboard/login"
LOGIN_FORM_LIFETIME = timedelta(hours=2)
_TOKEN_BYTES = 32
_UNSET = object()


@dataclass(frozen=True, slots=True)
class StaffMember:
    """Who is signed in: their role (``viewer`` or ``manager``) and area (None: every area)."""

    username: str
    role: str
    area_org_id: str | None

    @property
    def sees_names(self) -> bool:
        """Whether volunteers' names are shown in full (managers); viewers see them masked."""
        return self.role == "manager"


@dataclass(frozen=True, slots=True)
class StaffSession:
    """A live session: its member, its CSRF token and when it ends."""

    member: StaffMember
    csrf_token: str
    expires_utc: str


def _session(row: StaffSessionRow) -> StaffSession:
    return StaffSession(StaffMember(row.username, row.role, row.area_org_id), row.csrf_token, row.expires_utc)


def token_sha256(token: str) -> str:
    """What the database keeps of a session token: its SHA-256, hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def tokens_match(sent: str | None, expected: str) -> bool:
    """Whether ``sent`` is ``expected``, compared in constant time (None and "" match nothing)."""
    return bool(sent) and hmac.compare_digest(str(sent).encode("utf-8"), expected.encode("utf-8"))


def start_session(store: Storage, account: StaffAccountRow, now: datetime) -> tuple[str, StaffSession]:
    """Open a session for ``account``: (the token for the cookie, the session). Expired sessions are dropped."""
    token = secrets.token_urlsafe(_TOKEN_BYTES)
    csrf = secrets.token_urlsafe(_TOKEN_BYTES)
    expires = now + SESSION_LIFETIME
    with store.write() as writer:
        writer.delete_expired_staff_sessions(now)
        writer.add_staff_session(token_sha256(token), account.username, csrf, now, expires)
        row = writer.live_staff_session(token_sha256(token), now)
    assert row is not None, "a session just written is live"
    return token, _session(row)


def find_session(store: Storage, token: str, now: datetime) -> StaffSession | None:
    """The live session of ``token`` (not expired, account enabled), or None."""
    with store.read() as reader:
        row = reader.live_staff_session(token_sha256(token), now)
    return None if row is None else _session(row)


def end_session(store: Storage, token: str) -> bool:
    """Delete the session of ``token``; False when there was none."""
    with store.write() as writer:
        return writer.delete_staff_session(token_sha256(token))


def instance_of(request: Request) -> CloudInstance:
    """The cloud instance the app serves (its store and clock)."""
    instance = request.app.state.instance
    assert isinstance(instance, CloudInstance)
    return instance


def current_session(request: Request, instance: CloudInstance | None = None) -> StaffSession | None:
    """The request's live session from its cookie, or None; looked up once per request."""
    found: Any = getattr(request.state, "staff_session", _UNSET)
    if found is _UNSET:
        token = request.cookies.get(SESSION_COOKIE)
        instance = instance or instance_of(request)
        found = None if not token else find_session(instance.store, token, instance.clock())
        request.state.staff_session = found
    assert found is None or isinstance(found, StaffSession)
    return found


def _not_signed_in() -> ApiError:
    return ApiError(401, "not_signed_in", "sign in at /dashboard/login first (or the session has ended)")


def signed_in_staff(request: Request) -> StaffMember:
    """FastAPI dependency: the signed-in staff member; 401 ``not_signed_in`` without a live session."""
    session = current_session(request)
    if session is None:
        raise _not_signed_in()
    return session.member


def csrf_token_of(request: Request, instance: CloudInstance | None = None) -> str:
    """The CSRF token of the request's session (for ``GET /dashboard/api/me``); 401 without a session.

    ``instance``: the app's instance when the caller has it at hand (else found from the request).
    """
    session = current_session(request, instance)
    if session is None:
        raise _not_signed_in()
    return session.csrf_token


async def submitted_fields(request: Request) -> dict[str, str]:
    """The text fields of a POST's body: a form (arriving as JSON, see :class:`cloud.dashboard.web.FormBodies`)
    or a JSON object; empty when there is no body or it is something else."""
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        return {}
    try:
        body = await request.json()
    except ValueError:
        return {}
    if not isinstance(body, dict):
        return {}
    return {str(key): value for key, value in body.items() if isinstance(value, str)}


def sent_csrf(request: Request, fields: dict[str, str]) -> str | None:
    """The CSRF token a write carries: the ``X-CSRF-Token`` header, else the ``csrf_token`` field."""
    return request.headers.get(CSRF_HEADER) or fields.get(CSRF_FIELD)


async def checked_csrf(
    request: Request, staff: Annotated[StaffMember, Depends(signed_in_staff)]
) -> StaffMember:
    """FastAPI dependency for writes: the signed-in member, once the session's CSRF token came with the
    request; 401 ``not_signed_in`` without a session, 403 ``bad_csrf`` without the right token."""
    fields = {} if request.headers.get(CSRF_HEADER) else await submitted_fields(request)
    if not tokens_match(sent_csrf(request, fields), csrf_token_of(request)):
        raise ApiError(403, "bad_csrf", f"the request lacks this session's {CSRF_HEADER}; reload the page")
    return staff


def is_https(request: Request) -> bool:
    """Whether the browser reached us over https (directly, or through a proxy that says so)."""
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"


def set_session_cookie(response: Response, request: Request, token: str) -> None:
    """Give the browser its session token (HttpOnly, SameSite=Strict, Secure over https)."""
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        path=SESSION_COOKIE_PATH,
        secure=is_https(request),
        httponly=True,
        samesite="strict",
    )


def clear_session_cookie(response: Response, request: Request) -> None:
    """Make the browser forget its session token."""
    response.delete_cookie(
        SESSION_COOKIE, path=SESSION_COOKIE_PATH, secure=is_https(request), httponly=True, samesite="strict"
    )


def new_login_form_token() -> str:
    """A fresh login-form token: for the form's hidden field and :func:`set_login_form_cookie`."""
    return secrets.token_urlsafe(_TOKEN_BYTES)


def set_login_form_cookie(response: Response, request: Request, token: str) -> None:
    """Set the login-form token's cookie (the double submit's other half)."""
    response.set_cookie(
        LOGIN_FORM_COOKIE,
        token,
        max_age=int(LOGIN_FORM_LIFETIME.total_seconds()),
        path=LOGIN_FORM_PATH,
        secure=is_https(request),
        httponly=True,
        samesite="strict",
    )


def login_form_token_ok(request: Request, submitted: str | None) -> bool:
    """Whether the login form's hidden field matches the cookie ``GET /dashboard/login`` set."""
    cookie = request.cookies.get(LOGIN_FORM_COOKIE)
    return cookie is not None and tokens_match(submitted, cookie)


def clear_login_form_cookie(response: Response, request: Request) -> None:
    """Drop the login-form cookie once it has served."""
    response.delete_cookie(
        LOGIN_FORM_COOKIE, path=LOGIN_FORM_PATH, secure=is_https(request), httponly=True, samesite="strict"
    )
