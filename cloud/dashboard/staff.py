"""Staff accounts of the dashboard: passwords, creating and changing accounts, and checking a sign-in.

Passwords are hashed with scrypt (memory-hard, in the standard library) with
a random 16-byte salt per hash; the text kept is
``scrypt$n=32768,r=8,p=3$<salt>$<key>`` (base64), so the parameters can be
raised later and old hashes still verify. N=2^15, r=8, p=3 is one of OWASP's
equivalent minimum settings: 32 MiB and about a quarter of a second per
hash. At most :data:`CONCURRENT_HASHES` hashes run at once per process, so a
flood of sign-ins costs bounded memory.

Sign-in attempts are rate limited in the database (``login_attempts``), so
every worker process counts the same attempts: after
:data:`USER_FAILURES` failures for one username, or :data:`CLIENT_FAILURES`
from one address, within :data:`LIMIT_WINDOW`, further attempts are refused
without checking the password until the oldest of them leaves the window. A
success clears the username's count (not the address's). The check and the
attempt's record happen in one write transaction, before the slow password
check, so parallel attempts cannot slip past the limit. An unknown username
costs the same hash as a known one, and a disabled account is refused like
a wrong password: the answer never says which part was wrong.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import math
import re
import secrets
import threading
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from cloud.staff_queries import StaffAccountRow
from cloud.storage import Storage

ROLES = ("viewer", "manager")
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024
MAX_USERNAME_LENGTH = 64
_USERNAME = re.compile(r"[\w.@-]+")  # letters of any script, digits, and . _ @ -

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 3
_SALT_BYTES = 16
_KEY_BYTES = 32
_MAX_SCRYPT_MEMORY = 256 * 1024 * 1024  # what any stored parameters may ask for
CONCURRENT_HASHES = 2
_hashing = threading.BoundedSemaphore(CONCURRENT_HASHES)

LIMIT_WINDOW = timedelta(minutes=15)
USER_FAILURES = 5
CLIENT_FAILURES = 20


class StaffAccountError(ValueError):
    """An account change refused: a bad username, password, role or area, or an unknown or taken name."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    secret = unicodedata.normalize("NFC", password).encode("utf-8")
    with _hashing:
        return hashlib.scrypt(secret, salt=salt, n=n, r=r, p=p, maxmem=_MAX_SCRYPT_MEMORY, dklen=length)


def hash_password(password: str) -> str:
    """The text to keep for ``password``: scrypt with a fresh salt, its parameters written in."""
    salt = secrets.token_bytes(_SALT_BYTES)
    key = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, _KEY_BYTES)
    return f"scrypt$n={SCRYPT_N},r={SCRYPT_R},p={SCRYPT_P}${_b64(salt)}${_b64(key)}"


def password_matches(password: str, stored: str) -> bool:
    """Whether ``password`` is the one ``stored`` (a :func:`hash_password` text) was made from.

    The keys are compared in constant time; a malformed ``stored`` matches nothing.
    """
    try:
        scheme, params, salt_text, key_text = stored.split("$")
        values = dict(part.split("=", 1) for part in params.split(","))
        n, r, p = int(values["n"]), int(values["r"]), int(values["p"])
        salt, key = base64.b64decode(salt_text, validate=True), base64.b64decode(key_text, validate=True)
    except (ValueError, KeyError):
        return False
    if scheme != "scrypt" or not key or len(password) > MAX_PASSWORD_LENGTH:
        return False
    try:
        candidate = _scrypt(password, salt, n, r, p, len(key))
    except ValueError:  # parameters scrypt refuses or that need too much memory
        return False
    return hmac.compare_digest(candidate, key)


@functools.cache
def _unknown_user_hash() -> str:
    """A hash of no one's password, checked for unknown usernames so they cost the same time."""
    return hash_password(secrets.token_urlsafe(16))


def username_key(text: str) -> str:
    """How a username is stored and looked up: trimmed and lower-case (usernames are not case-sensitive)."""
    return text.strip().lower()


def checked_username(text: str) -> str:
    """``text`` as a username (:func:`username_key`), or :class:`StaffAccountError` saying what is wrong."""
    username = username_key(text)
    if not 1 <= len(username) <= MAX_USERNAME_LENGTH or not _USERNAME.fullmatch(username):
        raise StaffAccountError(
            f"a username is 1 to {MAX_USERNAME_LENGTH} letters, digits or . _ @ - (no spaces): {text!r}"
        )
    return username


def check_new_password(password: str) -> None:
    """:class:`StaffAccountError` unless ``password`` is long enough (and not absurdly long)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise StaffAccountError(f"the password must be at least {MIN_PASSWORD_LENGTH} characters long")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise StaffAccountError(f"the password must be at most {MAX_PASSWORD_LENGTH} characters long")


def create_account(
    store: Storage, username: str, password: str, role: str, area_org_id: str | None, at: datetime
) -> StaffAccountRow:
    """Add an enabled account; ``area_org_id`` must be an organisation of the roster (None: every area)."""
    name = checked_username(username)
    if role not in ROLES:
        raise StaffAccountError(f"the role must be one of {', '.join(ROLES)}, not {role!r}")
    check_new_password(password)
    password_hash = hash_password(password)
    with store.write() as writer:
        if area_org_id is not None and writer.row("organisation", area_org_id) is None:
            raise StaffAccountError(f"{area_org_id} is not an organisation of the roster; import it first")
        if not writer.add_staff_account(name, password_hash, role, area_org_id, at):
            raise StaffAccountError(f"there is already an account {name}")
        created = writer.staff_account(name)
    assert created is not None
    return created


def change_password(store: Storage, username: str, password: str) -> int:
    """Give an account a new password and end its sessions; how many sessions were ended."""
    check_new_password(password)
    password_hash = hash_password(password)
    name = username_key(username)
    with store.write() as writer:
        if not writer.set_staff_password(name, password_hash):
            raise StaffAccountError(f"there is no account {name}")
        return writer.delete_staff_sessions_of(name)


def set_account_disabled(store: Storage, username: str, disabled: bool) -> int:
    """Disable (ending its sessions) or enable an account; how many sessions were ended."""
    name = username_key(username)
    with store.write() as writer:
        if not writer.set_staff_disabled(name, disabled):
            raise StaffAccountError(f"there is no account {name}")
        return writer.delete_staff_sessions_of(name) if disabled else 0


def list_accounts(store: Storage) -> list[StaffAccountRow]:
    """Every account, by username."""
    with store.read() as reader:
        return reader.staff_accounts()


def live_session_counts(store: Storage, now: datetime) -> dict[str, int]:
    """How many unexpired sessions each username holds."""
    with store.read() as reader:
        return reader.live_staff_session_counts(now)


@dataclass(frozen=True, slots=True)
class LoginCheck:
    """The answer to a sign-in: the account when it succeeded, else how long to wait (0: just wrong)."""

    account: StaffAccountRow | None
    wait_seconds: int = 0

    @property
    def wait_minutes(self) -> int:
        """The wait rounded up to whole minutes (at least 1 when there is any wait)."""
        return max(1, math.ceil(self.wait_seconds / 60)) if self.wait_seconds else 0


def _wait(failures: list[datetime], limit: int, now: datetime) -> int:
    """Seconds until fewer than ``limit`` of ``failures`` (oldest first) are inside the window."""
    if len(failures) < limit:
        return 0
    lifts = failures[len(failures) - limit] + LIMIT_WINDOW
    return max(1, math.ceil((lifts - now).total_seconds()))


def check_login(store: Storage, username: str, password: str, client: str, now: datetime) -> LoginCheck:
    """Check a sign-in under the rate limit (see the module docstring); every attempt checked is recorded."""
    name = username_key(username)[: MAX_USERNAME_LENGTH + 1]  # longer: no account, counted as one name
    since = now - LIMIT_WINDOW
    with store.write() as writer:
        writer.forget_login_attempts_until(since)
        wait = max(
            _wait(writer.failed_logins_of_user(name, since), USER_FAILURES, now),
            _wait(writer.failed_logins_from(client, since), CLIENT_FAILURES, now),
        )
        if wait:
            return LoginCheck(None, wait)
        attempt = writer.record_login_attempt(name, client, now, succeeded=False)
        account = writer.staff_account(name)
    matches = password_matches(password, account.password_hash if account else _unknown_user_hash())
    if account is None or account.disabled or not matches:
        return LoginCheck(None)
    with store.write() as writer:
        writer.mark_login_succeeded(attempt)
    return LoginCheck(account)
