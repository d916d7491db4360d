"""The dashboard's web layer over real HTTP, on SQLite and PostgreSQL: the login page, sessions, CSRF and
the login rate limit, on a server clock the tests move."""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import pytest
import requests
import uvicorn
from fastapi import APIRouter, Depends
from helpers.cloud_server import RunningCloud
from helpers.face_cloud import MovingClock

from cloud.api import create_app
from cloud.dashboard.sessions import SESSION_LIFETIME, StaffMember, checked_csrf, signed_in_staff
from cloud.dashboard.staff import LIMIT_WINDOW, create_account, set_account_disabled
from cloud.dashboard.web import STATIC_DIR
from cloud.instance import CloudInstance
from cloud.server import bind_free_port
from cloud.storage import Storage

NOW = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)
PASSWORD = "长城 correct horse"
FORM_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
WRONG = "用户名或密码不对"


@pytest.fixture
def cloud_clock() -> MovingClock:
    return MovingClock(NOW)


def login_token(session: requests.Session, base: str, query: str = "") -> str:
    """Open the login page as a browser does; the hidden form token it carries."""
    page = session.get(f"{base}/dashboard/login{query}", timeout=10)
    assert page.status_code == 200, page.text
    found = FORM_TOKEN.search(page.text)
    assert found is not None
    return found.group(1)


def sign_in(
    session: requests.Session,
    base: str,
    username: str,
    password: str,
    headers: dict[str, str] | None = None,
    query: str = "",
) -> requests.Response:
    """Fill in and send the login form; the reply, not followed."""
    form = {"csrf_token": login_token(session, base, query), "username": username, "password": password}
    return session.post(
        f"{base}/dashboard/login", data=form, headers=headers, allow_redirects=False, timeout=30
    )


def page_status(session: requests.Session, base: str) -> int:
    return session.get(f"{base}/dashboard", allow_redirects=False, timeout=10).status_code


def session_cookie(browser: requests.Session) -> str:
    """The session token the browser holds."""
    token = browser.cookies.get("dashboard_session")
    assert token is not None
    return str(token)


def stored_session(store: Storage, token: str, now: datetime) -> tuple[str, str] | None:
    """(username, CSRF token) of the live session of ``token``, read from the database."""
    with store.read() as reader:
        row = reader.live_staff_session(hashlib.sha256(token.encode()).hexdigest(), now)
    return None if row is None else (row.username, row.csrf_token)


def add_staff(store: Storage, username: str = "zhang", role: str = "manager") -> None:
    create_account(store, username, PASSWORD, role, None, NOW)


def test_the_login_page_is_chinese_by_default_and_english_on_request(cloud: RunningCloud) -> None:
    browser = requests.Session()
    page = browser.get(f"{cloud.base_url}/dashboard/login", timeout=10)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<html lang="zh-CN">' in page.text
    for words in ("用户名", "密码", "登录", 'name="username"', 'name="password"', 'type="password"'):
        assert words in page.text
    assert "<script" not in page.text
    policy = page.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "frame-ancestors 'none'" in policy
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["cache-control"] == "no-store"
    if (STATIC_DIR / "app.css").is_file():
        assert 'href="/dashboard/static/app.css"' in page.text

    english = browser.get(f"{cloud.base_url}/dashboard/login?lang=en", timeout=10)
    assert '<html lang="en">' in english.text
    assert all(words in english.text for words in ("Username", "Password", "Sign in"))
    assert "用户名" not in english.text and "中文" in english.text  # the switch back
    assert browser.cookies.get("lang") == "en"
    remembered = browser.get(f"{cloud.base_url}/dashboard/login", timeout=10)
    assert "Sign in" in remembered.text  # the cookie remembers the choice
    unknown = browser.get(f"{cloud.base_url}/dashboard/login?lang=fr", timeout=10)
    assert "Sign in" in unknown.text and browser.cookies.get("lang") == "en"
    chinese = browser.get(f"{cloud.base_url}/dashboard/login?lang=zh", timeout=10)
    assert "登录" in chinese.text and browser.cookies.get("lang") == "zh"


def test_signing_in_gives_a_cookie_the_database_keeps_only_as_a_hash(
    cloud: RunningCloud, cloud_clock: MovingClock
) -> None:
    add_staff(cloud.store, "Zhang")
    browser = requests.Session()
    not_yet = browser.get(f"{cloud.base_url}/dashboard", allow_redirects=False, timeout=10)
    assert not_yet.status_code == 303 and not_yet.headers["location"] == "/dashboard/login"

    reply = sign_in(browser, cloud.base_url, " ZHANG ", PASSWORD)
    assert reply.status_code == 303 and reply.headers["location"] == "/dashboard"
    set_cookie = reply.headers["set-cookie"]
    assert re.search(
        r"dashboard_session=[\w-]{43}; HttpOnly; Max-Age=43200; Path=/dashboard; SameSite=strict", set_cookie
    )
    assert "Secure" not in set_cookie  # plain http here
    token = session_cookie(browser)
    assert stored_session(cloud.store, token, cloud_clock()) is not None
    with cloud.store.read() as reader:
        kept = reader._conn.execute("SELECT * FROM staff_sessions").fetchall()
    assert len(kept) == 1 and token not in [str(value) for value in kept[0]]

    page = browser.get(f"{cloud.base_url}/dashboard", allow_redirects=False, timeout=10)
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert page.content == (STATIC_DIR / "dashboard.html").read_bytes()
    assert page.headers["x-frame-options"] == "DENY"
    again = browser.get(f"{cloud.base_url}/dashboard/login", allow_redirects=False, timeout=10)
    assert again.status_code == 303 and again.headers["location"] == "/dashboard"

    behind_tls = sign_in(
        requests.Session(), cloud.base_url, "zhang", PASSWORD, {"X-Forwarded-Proto": "https"}
    )
    assert behind_tls.status_code == 303 and "; Secure" in behind_tls.headers["set-cookie"]


def test_a_failed_sign_in_does_not_say_which_part_was_wrong(cloud: RunningCloud) -> None:
    add_staff(cloud.store)
    add_staff(cloud.store, "li", "viewer")
    set_account_disabled(cloud.store, "li", True)
    for username, password in (("zhang", "not the password"), ("nobody", PASSWORD), ("li", PASSWORD)):
        browser = requests.Session()
        reply = sign_in(browser, cloud.base_url, username, password)
        assert reply.status_code == 401 and WRONG in reply.text, username
        assert "dashboard_session" not in browser.cookies
        assert f'value="{username}"' in reply.text  # typed again is the password only
    hostile = sign_in(requests.Session(), cloud.base_url, '"><script>x()</script>', "x")
    assert hostile.status_code == 401 and "<script>" not in hostile.text
    english = sign_in(requests.Session(), cloud.base_url, "zhang", "wrong", query="?lang=en")
    assert english.status_code == 401 and "The username or password is wrong." in english.text


def test_the_login_form_counts_only_with_the_cookie_of_its_own_page(cloud: RunningCloud) -> None:
    add_staff(cloud.store)
    token = login_token(requests.Session(), cloud.base_url)
    form = {"csrf_token": token, "username": "zhang", "password": PASSWORD}
    forged = requests.post(f"{cloud.base_url}/dashboard/login", data=form, allow_redirects=False, timeout=10)
    assert forged.status_code == 403 and "页面已过期" in forged.text
    assert "dashboard_session" not in forged.headers.get("set-cookie", "")
    browser = requests.Session()
    login_token(browser, cloud.base_url)
    mixed = browser.post(f"{cloud.base_url}/dashboard/login", data=form, allow_redirects=False, timeout=10)
    assert mixed.status_code == 403  # its own cookie, another page's field
    with cloud.store.read() as reader:
        assert reader.failed_logins_of_user("zhang", NOW - LIMIT_WINDOW) == []  # not even an attempt
    retried = browser.post(
        f"{cloud.base_url}/dashboard/login",
        data={**form, "csrf_token": FORM_TOKEN.findall(mixed.text)[0]},
        allow_redirects=False,
        timeout=30,
    )
    assert retried.status_code == 303  # the refusal's fresh form works


def test_a_session_ends_twelve_hours_after_signing_in(cloud: RunningCloud, cloud_clock: MovingClock) -> None:
    add_staff(cloud.store)
    browser = requests.Session()
    assert sign_in(browser, cloud.base_url, "zhang", PASSWORD).status_code == 303
    cloud_clock.advance(SESSION_LIFETIME.total_seconds() - 60)
    assert page_status(browser, cloud.base_url) == 200
    cloud_clock.advance(61)
    assert page_status(browser, cloud.base_url) == 303
    assert sign_in(browser, cloud.base_url, "zhang", PASSWORD).status_code == 303  # drops the expired row
    with cloud.store.read() as reader:
        assert reader._conn.execute("SELECT COUNT(*) FROM staff_sessions").fetchone()[0] == 1


def test_signing_out_needs_the_csrf_token_and_deletes_the_session(
    cloud: RunningCloud, cloud_clock: MovingClock
) -> None:
    add_staff(cloud.store)
    browser = requests.Session()
    assert sign_in(browser, cloud.base_url, "zhang", PASSWORD).status_code == 303
    token = session_cookie(browser)
    found = stored_session(cloud.store, token, cloud_clock())
    assert found is not None
    csrf = found[1]
    logout = f"{cloud.base_url}/dashboard/logout"
    for headers, form in (({}, {}), ({"X-CSRF-Token": "forged"}, {}), ({}, {"csrf_token": csrf[:-1]})):
        refused = browser.post(logout, headers=headers, data=form, allow_redirects=False, timeout=10)
        assert refused.status_code == 403 and refused.json()["error"] == "bad_csrf"
    assert page_status(browser, cloud.base_url) == 200  # still signed in

    out = browser.post(logout, data={"csrf_token": csrf}, allow_redirects=False, timeout=10)
    assert out.status_code == 303 and out.headers["location"] == "/dashboard/login"
    assert stored_session(cloud.store, token, cloud_clock()) is None
    assert "dashboard_session" not in browser.cookies
    browser.cookies.set("dashboard_session", token, path="/dashboard")  # a copy kept elsewhere is dead too
    assert page_status(browser, cloud.base_url) == 303

    browser = requests.Session()
    assert sign_in(browser, cloud.base_url, "zhang", PASSWORD).status_code == 303
    second = session_cookie(browser)
    header_found = stored_session(cloud.store, second, cloud_clock())
    assert header_found is not None
    by_header = browser.post(
        logout, headers={"X-CSRF-Token": header_found[1]}, allow_redirects=False, timeout=10
    )
    assert by_header.status_code == 303 and stored_session(cloud.store, second, cloud_clock()) is None


def test_five_failures_lock_the_username_until_the_window_has_passed(
    cloud: RunningCloud, cloud_clock: MovingClock
) -> None:
    add_staff(cloud.store)
    add_staff(cloud.store, "li", "viewer")
    for _ in range(5):
        assert sign_in(requests.Session(), cloud.base_url, "zhang", "wrong password").status_code == 401
    started = time.monotonic()
    locked = sign_in(requests.Session(), cloud.base_url, "zhang", PASSWORD)
    assert locked.status_code == 429 and "尝试次数过多，请 15 分钟后再试" in locked.text
    assert locked.headers["retry-after"] == "900"
    assert time.monotonic() - started < 0.2  # refused without hashing the password
    assert sign_in(requests.Session(), cloud.base_url, "li", PASSWORD).status_code == 303  # others may
    cloud_clock.advance(LIMIT_WINDOW.total_seconds() - 30)
    still = sign_in(requests.Session(), cloud.base_url, "Zhang", PASSWORD, query="?lang=en")
    assert still.status_code == 429 and "Try again in 1 minute." in still.text
    assert still.headers["retry-after"] == "30"
    cloud_clock.advance(30)
    assert sign_in(requests.Session(), cloud.base_url, "zhang", PASSWORD).status_code == 303


def test_a_success_clears_the_username_count(cloud: RunningCloud) -> None:
    add_staff(cloud.store)
    for _ in range(4):
        assert sign_in(requests.Session(), cloud.base_url, "zhang", "wrong password").status_code == 401
    assert sign_in(requests.Session(), cloud.base_url, "zhang", PASSWORD).status_code == 303
    for _ in range(5):  # the four before the success no longer count
        assert sign_in(requests.Session(), cloud.base_url, "zhang", "wrong password").status_code == 401
    assert sign_in(requests.Session(), cloud.base_url, "zhang", PASSWORD).status_code == 429


def test_twenty_failures_from_one_address_lock_it_for_every_username(
    cloud: RunningCloud, cloud_clock: MovingClock
) -> None:
    add_staff(cloud.store)
    attacker = {"X-Forwarded-For": "203.0.113.7"}  # uvicorn trusts the header from 127.0.0.1, as from a proxy
    for n in range(20):
        assert sign_in(requests.Session(), cloud.base_url, f"guess{n}", "123456", attacker).status_code == 401
    refused = sign_in(requests.Session(), cloud.base_url, "zhang", PASSWORD, attacker)
    assert refused.status_code == 429 and "15 分钟" in refused.text
    elsewhere = {"X-Forwarded-For": "198.51.100.2"}
    assert sign_in(requests.Session(), cloud.base_url, "zhang", PASSWORD, elsewhere).status_code == 303
    with cloud.store.read() as reader:
        assert len(reader.failed_logins_from("203.0.113.7", NOW - LIMIT_WINDOW)) == 20
    cloud_clock.advance(LIMIT_WINDOW.total_seconds())
    assert sign_in(requests.Session(), cloud.base_url, "zhang", PASSWORD, attacker).status_code == 303
    with cloud.store.read() as reader:  # what the window no longer counts is dropped
        assert reader._conn.execute("SELECT COUNT(*) FROM login_attempts").fetchone()[0] == 1


def test_a_disabled_account_loses_its_sessions_at_once(cloud: RunningCloud, cloud_clock: MovingClock) -> None:
    add_staff(cloud.store)
    browser = requests.Session()
    assert sign_in(browser, cloud.base_url, "zhang", PASSWORD).status_code == 303
    with cloud.store.write() as writer:
        writer.set_staff_disabled("zhang", True)  # the flag alone, the session row left in place
    assert page_status(browser, cloud.base_url) == 303
    assert set_account_disabled(cloud.store, "zhang", True) == 1  # the command also deletes the rows
    assert set_account_disabled(cloud.store, "zhang", False) == 0
    assert page_status(browser, cloud.base_url) == 303
    assert sign_in(browser, cloud.base_url, "zhang", PASSWORD).status_code == 303


def test_a_form_too_large_or_with_too_many_fields_is_refused(cloud: RunningCloud) -> None:
    login = f"{cloud.base_url}/dashboard/login"
    large = requests.post(login, data={"username": "x" * 9000}, allow_redirects=False, timeout=10)
    assert large.status_code == 413 and large.json()["error"] == "too_large"
    many = requests.post(login, data={f"f{n}": "1" for n in range(20)}, allow_redirects=False, timeout=10)
    assert many.status_code == 400 and many.json()["error"] == "invalid_request"
    other = requests.post(login, data=b"x", headers={"Content-Type": "text/plain"}, timeout=10)
    assert other.status_code == 415


probe = APIRouter(prefix="/dashboard/probe")


@probe.get("/me")
def probe_me(staff: Annotated[StaffMember, Depends(signed_in_staff)]) -> dict[str, object]:
    """What a JSON route of the dashboard learns of its caller."""
    return {"username": staff.username, "role": staff.role, "sees_names": staff.sees_names}


@probe.post("/write")
def probe_write(staff: Annotated[StaffMember, Depends(checked_csrf)]) -> dict[str, str]:
    """A write, allowed with the session's CSRF token only."""
    return {"written_by": staff.username}


@contextmanager
def serving_with_probe(instance: CloudInstance) -> Iterator[str]:
    """The cloud's app with the probe routes, served on 127.0.0.1 until the block ends; its base URL."""
    app = create_app(instance)
    app.include_router(probe)
    with bind_free_port() as sock:
        config = uvicorn.Config(app, http="h11", lifespan="off", log_level="warning", access_log=False)
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        try:
            deadline = time.monotonic() + 15
            while not server.started and thread.is_alive() and time.monotonic() < deadline:
                time.sleep(0.02)
            assert server.started
            yield f"http://127.0.0.1:{sock.getsockname()[1]}"
        finally:
            server.should_exit = True
            thread.join(15)


def test_json_routes_need_a_live_session_and_writes_its_csrf_token(
    cloud_instance: CloudInstance, tmp_path: Path
) -> None:
    clock = MovingClock(NOW)
    cloud_instance.clock = clock
    add_staff(cloud_instance.store, "li", "viewer")
    with serving_with_probe(cloud_instance) as base:
        anonymous = requests.get(f"{base}/dashboard/probe/me", timeout=10)
        assert anonymous.status_code == 401 and anonymous.json()["error"] == "not_signed_in"
        not_signed = requests.post(f"{base}/dashboard/probe/write", json={}, timeout=10)
        assert not_signed.status_code == 401
        browser = requests.Session()
        assert sign_in(browser, base, "li", PASSWORD).status_code == 303
        me = browser.get(f"{base}/dashboard/probe/me", timeout=10)
        assert me.json() == {"username": "li", "role": "viewer", "sees_names": False}
        assert me.headers["cache-control"] == "no-store"
        found = stored_session(cloud_instance.store, session_cookie(browser), clock())
        assert found is not None
        csrf = found[1]
        write = f"{base}/dashboard/probe/write"
        for headers, body in (({}, {}), ({"X-CSRF-Token": csrf + "x"}, {}), ({}, {"csrf_token": "forged"})):
            refused = browser.post(write, headers=headers, json=body, timeout=10)
            assert refused.status_code == 403 and refused.json()["error"] == "bad_csrf"
        assert browser.post(write, headers={"X-CSRF-Token": csrf}, json={}, timeout=10).json() == {
            "written_by": "li"
        }
        assert browser.post(write, json={"csrf_token": csrf}, timeout=10).status_code == 200
        clock.advance(SESSION_LIFETIME.total_seconds())
        expired = browser.get(f"{base}/dashboard/probe/me", timeout=10)
        assert expired.status_code == 401 and expired.json()["error"] == "not_signed_in"
