"""The dashboard's web layer: the page, signing in and out, and what every dashboard reply carries.

Routes (none in the sync API's OpenAPI schema):

- ``GET /dashboard``: the page (``static/dashboard.html``, ``Cache-Control:
  no-store``) for a signed-in member; otherwise 303 to the login page;
- ``GET /dashboard/login``: the login form, Chinese by default, English with
  ``?lang=en`` (remembered in the ``lang`` cookie the page shares);
- ``POST /dashboard/login``: check the form (:mod:`cloud.dashboard.sessions`'
  double submit), the rate limit and the password
  (:func:`cloud.dashboard.staff.check_login`); 303 to the page with a session
  cookie, or the form again: 401 wrong, 429 wait N minutes (``Retry-After``),
  403 the form had expired;
- ``POST /dashboard/logout``: with the session's CSRF token, deletes the
  session; 303 to the login page.

Two middlewares (:func:`cloud.dashboard.install_dashboard` adds them):
:class:`DashboardHeaders` gives every ``/dashboard`` reply its security
headers; :class:`FormBodies` lets the two forms past the sync API's body
guard, which admits JSON bodies only (:mod:`cloud.body_guard`).
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cloud.dashboard import sessions
from cloud.dashboard.sessions import CSRF_FIELD, instance_of, submitted_fields
from cloud.dashboard.staff import MAX_PASSWORD_LENGTH, MAX_USERNAME_LENGTH, check_login
from cloud.errors import ApiError, error_response

DASHBOARD_PATH = "/dashboard"
LOGIN_PATH = "/dashboard/login"
LOGOUT_PATH = "/dashboard/logout"
STATIC_PATH = "/dashboard/static"
STATIC_DIR = Path(__file__).resolve().parent / "static"
PAGE_FILE = "dashboard.html"
STYLE_FILE = "app.css"

LANGUAGES = ("zh", "en")
LANG_COOKIE = "lang"
_LANG_COOKIE_SECONDS = 365 * 24 * 3600

#: No inline script anywhere; inline styles stay allowed (chart tooltips are HTML with style attributes).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
SECURITY_HEADERS = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode("ascii")),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
    (b"cross-origin-opener-policy", b"same-origin"),
)
FORM_PATHS = frozenset({LOGIN_PATH, LOGOUT_PATH})
MAX_FORM_BYTES = 8 * 1024
_MAX_FORM_FIELDS = 16

TEXTS = {
    "zh": {
        "html_lang": "zh-CN",
        "title": "志愿服务数据看板",
        "subtitle": "工作人员登录",
        "username": "用户名",
        "password": "密码",
        "submit": "登录",
        "wrong": "用户名或密码不对",
        "wait": "尝试次数过多，请 {minutes} 分钟后再试。",
        "wait_one": "尝试次数过多，请 1 分钟后再试。",
        "expired": "页面已过期，请再登录一次。",
        "other_lang": "English",
        "other_code": "en",
    },
    "en": {
        "html_lang": "en",
        "title": "Volunteer service dashboard",
        "subtitle": "Staff sign-in",
        "username": "Username",
        "password": "Password",
        "submit": "Sign in",
        "wrong": "The username or password is wrong.",
        "wait": "Too many attempts. Try again in {minutes} minutes.",
        "wait_one": "Too many attempts. Try again in 1 minute.",
        "expired": "The page had expired; please sign in again.",
        "other_lang": "中文",
        "other_code": "zh",
    },
}

_LOGIN_STYLE = """
.login-body { margin: 0; min-height: 100vh; display: flex; align-items: center; justify-content: center;
  padding: 1rem; box-sizing: border-box; background: #f3f5f8; color: #1d2733;
  font-family: system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; }
.login-card { width: 100%; max-width: 24rem; background: #fff; border-radius: 12px; padding: 1.75rem 1.5rem;
  box-shadow: 0 2px 12px rgba(20, 40, 80, .12); box-sizing: border-box; }
.login-lang { text-align: right; margin: -0.5rem 0 0.5rem; }
.login-lang a { color: #2f6fde; text-decoration: none; font-size: 0.95rem; padding: 0.5rem; }
.login-card h1 { font-size: 1.35rem; margin: 0 0 0.25rem; }
.login-card p.login-sub { margin: 0 0 1.25rem; color: #5b6778; }
.login-card label { display: block; font-weight: 600; margin: 1rem 0 0.375rem; }
.login-card input[type=text], .login-card input[type=password] { width: 100%; box-sizing: border-box;
  font-size: 1.0625rem; min-height: 3rem; padding: 0.625rem 0.75rem; border: 1px solid #b9c2cf;
  border-radius: 8px; background: #fff; color: inherit; }
.login-card input:focus { outline: 3px solid #9dbcf5; border-color: #2f6fde; }
.login-card button { width: 100%; min-height: 3rem; margin-top: 1.5rem; font-size: 1.0625rem; font-weight: 600;
  color: #fff; background: #2f6fde; border: 0; border-radius: 8px; cursor: pointer; }
.login-card button:active { background: #2358b5; }
.login-error { margin: 0 0 0.5rem; padding: 0.75rem; border-radius: 8px; background: #fdecec; color: #a01c1c; }
@media (prefers-color-scheme: dark) {
  .login-body { background: #11161d; color: #e4e9f0; }
  .login-card { background: #1b222c; box-shadow: none; }
  .login-card p.login-sub { color: #9aa6b6; }
  .login-card input[type=text], .login-card input[type=password] { background: #11161d; border-color: #3a4656; }
  .login-error { background: #3b1d1d; color: #ffb4b4; }
}
"""


def chosen_language(request: Request) -> str:
    """``?lang=`` when it is a language we have, else the ``lang`` cookie, else Chinese."""
    for candidate in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
        if candidate in LANGUAGES:
            return str(candidate)
    return LANGUAGES[0]


def remember_language(response: Response, request: Request) -> None:
    """Keep a ``?lang=`` choice in the ``lang`` cookie (readable by the page's script, like its own)."""
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        response.set_cookie(LANG_COOKIE, str(asked), max_age=_LANG_COOKIE_SECONDS, path="/", samesite="lax")


def _wait_text(language: str, minutes: int) -> str:
    key = "wait_one" if minutes == 1 else "wait"
    return TEXTS[language][key].format(minutes=minutes)


def login_page(language: str, form_token: str, username: str = "", message: str = "") -> str:
    """The login form's HTML in ``language``, with ``message`` (plain text) above the fields."""
    words = TEXTS[language]
    esc = html.escape
    stylesheet = f'<link rel="icon" href="{STATIC_PATH}/favicon.svg" type="image/svg+xml">' + (
        f'<link rel="stylesheet" href="{STATIC_PATH}/{STYLE_FILE}">'
        if (STATIC_DIR / STYLE_FILE).is_file()
        else ""
    )
    alert = f'<p class="login-error" role="alert">{esc(message)}</p>' if message else ""
    focus_password = " autofocus" if username else ""
    focus_username = "" if username else " autofocus"
    return f"""<!doctype html>
<html lang="{words["html_lang"]}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>{esc(words["title"])} · {esc(words["subtitle"])}</title>
{stylesheet}
<style>{_LOGIN_STYLE}</style>
</head>
<body class="login-body">
<main class="login-card">
<p class="login-lang"><a href="{LOGIN_PATH}?lang={words["other_code"]}" lang="{words["other_code"]}">{esc(words["other_lang"])}</a></p>
<h1>{esc(words["title"])}</h1>
<p class="login-sub">{esc(words["subtitle"])}</p>
{alert}
<form method="post" action="{LOGIN_PATH}">
<input type="hidden" name="{CSRF_FIELD}" value="{esc(form_token)}">
<label for="username">{esc(words["username"])}</label>
<input type="text" id="username" name="username" value="{esc(username)}" autocomplete="username"
 autocapitalize="none" autocorrect="off" spellcheck="false" maxlength="{MAX_USERNAME_LENGTH}" required{focus_username}>
<label for="password">{esc(words["password"])}</label>
<input type="password" id="password" name="password" autocomplete="current-password" maxlength="{MAX_PASSWORD_LENGTH}"
 required{focus_password}>
<button type="submit">{esc(words["submit"])}</button>
</form>
</main>
</body>
</html>
"""


def _login_reply(
    request: Request,
    status: int,
    username: str = "",
    message: str = "",
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    token = sessions.new_login_form_token()
    page = login_page(chosen_language(request), token, username, message)
    response = HTMLResponse(page, status_code=status, headers=headers)
    sessions.set_login_form_cookie(response, request, token)
    remember_language(response, request)
    return response


router = APIRouter(include_in_schema=False)


@router.get(DASHBOARD_PATH)
def dashboard_page(request: Request) -> Response:
    """The dashboard page for a signed-in member; the login page for anyone else."""
    if sessions.current_session(request) is None:
        response: Response = RedirectResponse(LOGIN_PATH, status_code=303)
    elif not (STATIC_DIR / PAGE_FILE).is_file():
        response = HTMLResponse(
            "<!doctype html><title>503</title><p>The dashboard page is not installed.</p>", 503
        )
    else:
        response = FileResponse(STATIC_DIR / PAGE_FILE, media_type="text/html")
    response.headers["cache-control"] = "no-store"
    remember_language(response, request)
    return response


@router.get(LOGIN_PATH)
def login_form(request: Request) -> Response:
    """The login form (a signed-in member goes straight to the page)."""
    if sessions.current_session(request) is not None:
        response: Response = RedirectResponse(DASHBOARD_PATH, status_code=303)
        remember_language(response, request)
        return response
    return _login_reply(request, 200)


Fields = Annotated[dict[str, str], Depends(submitted_fields)]


@router.post(LOGIN_PATH)
def login(request: Request, fields: Fields) -> Response:
    """Sign in: a session cookie and 303 to the page, or the form again saying what went wrong."""
    language = chosen_language(request)
    typed = fields.get("username", "")
    username = typed[:MAX_USERNAME_LENGTH]  # shown again in the form
    if not sessions.login_form_token_ok(request, fields.get(CSRF_FIELD)):
        return _login_reply(request, 403, username, TEXTS[language]["expired"])
    instance = instance_of(request)
    client = request.client.host if request.client else "unknown"
    result = check_login(instance.store, typed, fields.get("password", ""), client, instance.clock())
    if result.wait_seconds:
        message = _wait_text(language, result.wait_minutes)
        return _login_reply(request, 429, username, message, {"retry-after": str(result.wait_seconds)})
    if result.account is None:
        return _login_reply(request, 401, username, TEXTS[language]["wrong"])
    token, _ = sessions.start_session(instance.store, result.account, instance.clock())
    response = RedirectResponse(DASHBOARD_PATH, status_code=303)
    sessions.set_session_cookie(response, request, token)
    sessions.clear_login_form_cookie(response, request)
    return response


@router.post(LOGOUT_PATH)
def logout(request: Request, fields: Fields) -> Response:
    """Sign out (with the session's CSRF token, else 403 ``bad_csrf``); 303 to the login page."""
    session = sessions.current_session(request)
    token = request.cookies.get(sessions.SESSION_COOKIE)
    if session is not None and token:
        if not sessions.tokens_match(sessions.sent_csrf(request, fields), session.csrf_token):
            raise ApiError(403, "bad_csrf", "sign out from the dashboard page (the request lacks its token)")
        sessions.end_session(instance_of(request).store, token)
    response = RedirectResponse(LOGIN_PATH, status_code=303)
    sessions.clear_session_cookie(response, request)
    return response


class DashboardHeaders:
    """ASGI middleware: the security headers on every reply under ``/dashboard``.

    A Content-Security-Policy with no inline script, no framing, no referrer,
    no MIME sniffing; and ``Cache-Control: no-store`` on everything but the
    static files (pages and API answers hold names and figures).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] != "http" or not (path == DASHBOARD_PATH or path.startswith(DASHBOARD_PATH + "/")):
            await self.app(scope, receive, send)
            return
        extra = list(SECURITY_HEADERS)
        if not path.startswith(STATIC_PATH + "/"):
            extra.append((b"cache-control", b"no-store"))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in extra if name not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class FormBodies:
    """ASGI middleware: the login and logout forms' bodies, handed on as the JSON the body guard admits.

    The sync API's body guard (:mod:`cloud.body_guard`) refuses any body that
    is not JSON, before routing; the dashboard's two forms are
    ``application/x-www-form-urlencoded`` (or have no body: a script signing
    out with the CSRF header). For ``POST`` to those two paths only, this
    reads at most :data:`MAX_FORM_BYTES` (413 beyond), decodes the fields and
    passes them on as a flat JSON object of strings. Anything else passes
    untouched. It must run before the body guard (added after it).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] not in FORM_PATHS:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        media_type = headers.get("content-type", "").split(";")[0].strip().lower()
        encoding = headers.get("content-encoding", "identity").strip().lower()
        if media_type not in ("", "application/x-www-form-urlencoded") or encoding not in ("", "identity"):
            await self.app(scope, receive, send)  # JSON as it is; the body guard refuses the rest
            return
        try:
            body = await _read_form(receive)
            fields = parse_qsl(
                body.decode("latin-1"),
                keep_blank_values=True,
                max_num_fields=_MAX_FORM_FIELDS,
                encoding="utf-8",
                errors="replace",
            )
        except ApiError as refusal:
            await error_response(refusal)(scope, receive, send)
            return
        except ValueError:  # more fields than any of the forms has
            await error_response(ApiError(400, "invalid_request", "the form has too many fields"))(
                scope, receive, send
            )
            return
        except _Disconnected:
            return
        payload = json.dumps(dict(fields), ensure_ascii=False).encode("utf-8")
        kept = [
            (name, value)
            for name, value in scope["headers"]
            if name not in (b"content-type", b"content-length", b"transfer-encoding", b"content-encoding")
        ]
        kept += [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if delivered:
                return await receive()
            delivered = True
            return {"type": "http.request", "body": payload, "more_body": False}

        await self.app({**scope, "headers": kept}, replay, send)


class _Disconnected(Exception):
    """The browser went away while sending the form."""


async def _read_form(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise _Disconnected
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_FORM_BYTES:
            raise ApiError(413, "too_large", f"a form is at most {MAX_FORM_BYTES // 1024} KiB")
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)
