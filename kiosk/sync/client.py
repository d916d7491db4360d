"""The kiosk's sync client: register, measure the clock, push the outbox, pull the changes.

Threads: every database access is a function handed to ``executor``; the
CLI runs it inline, the GUI on its one writer thread (a process has exactly
one writing connection, ``store.writer``). Network calls happen on the
calling thread, outside the executor, so a slow server never holds up a
check-in.

After a pull that changed revocations or trusted keys
(``report.trust_changed``), the caller must reload the verifier:
``Kiosk.reload_trust()`` (on the writer thread in the GUI); after one that
changed face templates (``report.faces_changed``), the face gallery.

Face records (enrolments and deletions) are pushed after the events, in the
same round (:mod:`kiosk.sync.face_push`), and pulled with the other changes.
Their templates travel under the area face key, which the kiosk keeps as a
file beside its database: from the registration reply, or from
``GET /face-key`` for a kiosk registered before the cloud had face keys.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from checkin_protocol import __version__
from checkin_protocol.codes.issuer import public_key_b64
from checkin_protocol.event_rows import format_utc
from checkin_protocol.face_records import FACE_KINDS
from checkin_protocol.registration_proof import NONCE_RE, sign_registration
from kiosk.clock import Clock
from kiosk.store import face_sync
from kiosk.store import sync_state as state
from kiosk.store.database import DatabaseFailure, Store
from kiosk.store.face_templates import FaceKeyError, load_area_key, save_area_key
from kiosk.sync.backoff import DEFAULT_INTERVAL_S, Backoff
from kiosk.sync.credentials import (
    DeviceCredentials,
    ensure_device_key,
    load_credentials,
    parse_face_key,
    parse_registration,
    save_registration,
)
from kiosk.sync.errors import SyncError, not_registered
from kiosk.sync.executor import Executor, run_inline
from kiosk.sync.face_push import follow_clock_change, push_face_batch
from kiosk.sync.gaps import apply_missing
from kiosk.sync.kiosk_status import forget_acknowledged
from kiosk.sync.pull import ChangesPage, PageResult, apply_page, parse_changes_page, stored_cursor
from kiosk.sync.push import push_one_batch
from kiosk.sync.reports import FacePushReport, PullReport, PushReport, SyncReport
from kiosk.sync.scheduler import run_with_backoff
from kiosk.sync.status import SyncStatus, read_status
from kiosk.sync.transport import HttpTransport, Transport

log = logging.getLogger(__name__)

T = TypeVar("T")
PAGE_LIMIT = 1000


def parse_server_time(reply: dict[str, object]) -> datetime:
    """The ``server_time`` of a reply, with its time zone (``SyncError`` "garbled" when it is not one)."""
    value = reply.get("server_time")
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise SyncError("garbled", "the server's time could not be read; the kiosk will try again")
    return moment


def _stops_the_round(error: SyncError) -> bool:
    """After this failure the next steps would fail too (no network, no credentials, no disk)."""
    return error.retryable or error.kind in ("not_registered", "storage") or error.code == "unauthenticated"


def parse_nonce(reply: dict[str, object]) -> str:
    """The ``nonce`` of a ``POST /register/nonce`` reply (``SyncError`` "garbled" when it is not one)."""
    nonce = reply.get("nonce")
    if not isinstance(nonce, str) or not NONCE_RE.fullmatch(nonce):
        raise SyncError("garbled", "the server's registration nonce could not be read; try again")
    return nonce


class SyncClient:
    """Sync one kiosk's store with the cloud over a :class:`Transport`."""

    def __init__(
        self,
        store: Store,
        kiosk_id: str,
        clock: Clock,
        transport: Transport,
        executor: Executor = run_inline,
        rng: random.Random | None = None,
        *,
        interval_s: float = DEFAULT_INTERVAL_S,
    ) -> None:
        self.store = store
        self.kiosk_id = kiosk_id
        self.clock = clock
        self.transport = transport
        self._executor = executor
        self.backoff = Backoff(interval_s=interval_s, rng=rng or random.Random())
        self.wake = threading.Event()  # set by sync_now(): the loop starts its next round

    # -- database access, always through the executor -------------------------------------------

    def _db(self, fn: Callable[[], T]) -> T:
        try:
            return self._executor(fn)
        except DatabaseFailure as exc:
            log.error("sync could not use the database: %s", exc)
            raise SyncError(
                "storage",
                f"the kiosk could not read or save its sync records ({exc}); run kiosk doctor",
            ) from exc

    def _now(self) -> datetime:
        return self.clock.now().wall_utc

    def _credentials(self) -> DeviceCredentials:
        credentials = self._db(lambda: load_credentials(self.store.writer))
        if credentials is None:
            raise not_registered()
        return credentials

    def _set_state(self, values: dict[str, str | None]) -> None:
        def write() -> None:
            with self.store.write() as db:
                for key, value in values.items():
                    state.set_value(db, key, value)

        self._db(write)

    # -- the protocol's steps ------------------------------------------------------------------

    def register(self, code: str, *, keep_demo_key: bool = False) -> None:
        """Exchange a provisioning code for device credentials at ``transport.base_url``.

        A kiosk of a platform trusts the platform's keys only: the demo key is
        dropped unless ``keep_demo_key`` (the demo's own local cloud keeps it).

        The device key is made (once, kept for good) before the request is
        sent, and proves itself by signing a fresh nonce of the server
        (``POST /register/nonce``, :mod:`checkin_protocol.registration_proof`);
        the credentials, the platform keys (trusted as source ``cloud``) and
        the bundle key are stored after the reply. Raises :class:`SyncError`
        in plain words; the caller then reloads trust.
        """
        code = code.strip()
        if not code:
            raise SyncError("refused", "the provisioning code is empty; give the code from the platform")

        def make_key() -> Ed25519PrivateKey:
            with self.store.write() as db:
                return ensure_device_key(db)

        key = self._db(make_key)
        nonce = parse_nonce(self.transport.post_json("/register/nonce", {"kiosk_id": self.kiosk_id}))
        body = {
            "provisioning_code": code,
            "kiosk_id": self.kiosk_id,
            "app_version": __version__,
            "device_public_key": public_key_b64(key),
            "nonce": nonce,
            "device_signature": sign_registration(key, nonce, self.kiosk_id, code),
        }
        registration = parse_registration(self.transport.post_json("/register", body), self.kiosk_id)
        server_url = self.transport.base_url

        def save() -> list[str]:
            with self.store.write() as db:
                forget_acknowledged(db)  # the cloud registering it now knows nothing of its status
                return save_registration(
                    db, server_url, registration, self._now(), keep_demo_key=keep_demo_key
                )

        for problem in self._db(save):
            log.warning("registration: %s", problem)
        if registration.face_key is not None:
            self._save_area_key(registration.face_key)
        log.info("registered kiosk %s at %s (area %s)", self.kiosk_id, server_url, registration.area_id)

    def _save_area_key(self, key: bytes) -> None:
        try:
            if save_area_key(self.store.path, key):
                log.info("stored the area face key for kiosk %s", self.kiosk_id)
        except (OSError, FaceKeyError) as exc:
            raise SyncError(
                "storage", f"the kiosk could not save its area face key ({exc}); run kiosk doctor"
            ) from exc

    def area_key(self, credentials: DeviceCredentials | None = None) -> bytes:
        """The area face key: the stored file, else fetched from ``GET /face-key`` and stored.

        Raises :class:`SyncError` (``not_found`` from a server without face keys).
        """
        try:
            key = load_area_key(self.store.path)
        except FaceKeyError as exc:
            log.warning("%s; fetching the area face key again", exc)
            key = None
        if key is not None:
            return key
        token = (credentials or self._credentials()).bearer_token
        key = parse_face_key(self.transport.get_json("/face-key", token=token), "area face key")
        self._save_area_key(key)
        return key

    def measure_clock(self) -> float:
        """Measure and store ``server_time - midpoint(device time sent, device time received)``.

        A clock found set back since the last measurement moves the waiting
        face records back with it (:func:`kiosk.sync.face_push.follow_clock_change`).
        """
        sent = self._now()
        reply = self.transport.get_json("/time")
        received = self._now()
        midpoint = sent + (received - sent) / 2
        offset = round((parse_server_time(reply) - midpoint).total_seconds(), 3)

        def store() -> int:
            with self.store.write() as db:
                previous = state.get_float(db, state.CLOCK_OFFSET_S)
                state.set_value(db, state.CLOCK_OFFSET_S, repr(offset))
                state.set_value(db, state.CLOCK_MEASURED_UTC, format_utc(received))
                return follow_clock_change(db, previous, offset)

        moved = self._db(store)
        if moved:
            log.warning("the clock was set back: %d waiting face records and consents moved with it", moved)
        return offset

    def push_pending(self, max_batches: int | None = None) -> PushReport:
        """Send waiting events, oldest first, in batches of at most 500, until none are left.

        Each batch has a new ``batch_id`` and the stored clock offset. Only
        after its reply, in one transaction, are accepted and duplicate events
        marked delivered and rejected ones marked with their reason; a failed
        batch adds one to each event's ``attempts`` and stops the push (its
        events are sent again next time and come back as duplicates if the
        server had them). Every batch carries the kiosk's status; with nothing
        waiting, an empty batch carries it when it changed
        (:mod:`kiosk.sync.kiosk_status`). Errors are returned in the report, not raised.
        """
        report = PushReport()
        try:
            credentials = self._credentials()
            offset = self._db(lambda: state.get_float(self.store.writer, state.CLOCK_OFFSET_S))
            while max_batches is None or report.batches < max_batches:
                if not push_one_batch(
                    self._db, self.store, self.transport, credentials, offset, self._now, report
                ):
                    break
        except SyncError as exc:
            report.error = exc
        return report

    def push_faces(self, max_batches: int | None = None) -> FacePushReport:
        """Send waiting face records (enrolments, deletions), oldest first, as :meth:`push_pending` does events.

        Fetches the area face key first when the kiosk has none. Errors are
        returned in the report, not raised.
        """
        report = FacePushReport()
        try:
            credentials = self._credentials()
            if self._db(lambda: face_sync.waiting_count(self.store.writer)) == 0:
                return report
            key = self.area_key(credentials)
            offset = self._db(lambda: state.get_float(self.store.writer, state.CLOCK_OFFSET_S))
            while max_batches is None or report.batches < max_batches:
                if not push_face_batch(
                    self._db, self.store, self.transport, credentials, key, offset, self._now, report
                ):
                    break
        except SyncError as exc:
            report.error = exc
        return report

    def pull(self) -> PullReport:
        """Fetch ``/changes`` pages from the stored cursor until ``more`` is false.

        Each page is applied with its cursor in one transaction (via the
        executor). A cursor the server does not know starts over from the
        beginning, once. When ``report.trust_changed``, the caller must call
        ``Kiosk.reload_trust()``. Errors are returned in the report.

        The first page's ``missing`` (records of this kiosk the cloud lacks)
        makes the delivered ones wait again, for the next push
        (:mod:`kiosk.sync.gaps`); ``report.missing`` and ``report.requeued`` count them.
        """
        report = PullReport()
        try:
            credentials = self._credentials()
            cursor = self._db(lambda: stored_cursor(self.store.writer))
            restarted = told = False
            while True:
                params: dict[str, str | int] = {"limit": PAGE_LIMIT}
                if cursor:
                    params["cursor"] = cursor
                try:
                    raw = self.transport.get_json("/changes", params=params, token=credentials.bearer_token)
                except SyncError as exc:
                    if exc.code == "invalid_cursor" and cursor and not restarted:
                        log.warning("the server did not know cursor %s; pulling from the beginning", cursor)
                        cursor, restarted = None, True
                        continue
                    raise
                page = parse_changes_page(raw)
                if not told:
                    told = True
                    self._note_missing(raw.get("missing"), page.server_time, report)
                if any(change.kind in FACE_KINDS for change in page.changes):
                    self.area_key(credentials)  # before the page: a failure leaves it to the next pull
                if page.changes or page.next_cursor != cursor:
                    result = self._apply(page)
                    report.pages += 1
                    report.applied += result.applied
                    report.problems.extend(result.problems)
                    report.trust_changed = report.trust_changed or result.trust_changed
                    report.faces_changed = report.faces_changed or result.faces_changed
                if not page.more:
                    break
                if page.next_cursor == cursor:
                    raise SyncError("garbled", "the server's list of changes did not move on; will try again")
                cursor = page.next_cursor
        except SyncError as exc:
            report.error = exc
        for problem in report.problems:
            log.warning("pull: %s", problem)
        return report

    def _note_missing(self, value: object, as_of: str | None, report: PullReport) -> None:
        outcome = self._db(lambda: apply_missing(self.store, self.kiosk_id, value, self._now(), as_of))
        if outcome is None:  # a cloud that does not report missing records
            return
        if outcome.problem is not None:
            report.problems.append(outcome.problem)
            return
        report.missing, report.requeued = outcome.missing, outcome.requeued

    def _apply(self, page: ChangesPage) -> PageResult:
        return self._db(lambda: apply_page(self.store, page, self._now(), self.kiosk_id))

    def sync_once(self) -> SyncReport:
        """One round now: measure the clock, push events, push face records, pull; remember the outcome.

        A failure that would make the next steps fail too (no network, bad
        credentials) ends the round. The caller must reload trust when
        ``report.trust_changed``, and the face gallery when ``report.faces_changed``.
        """
        report = SyncReport()
        try:
            self._set_state({state.LAST_ATTEMPT_UTC: format_utc(self._now())})
            self._credentials()
            try:
                report.clock_offset_s = self.measure_clock()
            except SyncError as exc:
                report.errors.append(exc)
                if _stops_the_round(exc):
                    return self._finish(report)
            report.push = self.push_pending()
            if report.push.error is not None:
                report.errors.append(report.push.error)
                if _stops_the_round(report.push.error):
                    return self._finish(report)
            report.face_push = self.push_faces()
            if report.face_push.error is not None:
                report.errors.append(report.face_push.error)
                if _stops_the_round(report.face_push.error):
                    return self._finish(report)
            report.pull = self.pull()
            if report.pull.error is not None:
                report.errors.append(report.pull.error)
        except SyncError as exc:
            report.errors.append(exc)
        return self._finish(report)

    def _finish(self, report: SyncReport) -> SyncReport:
        now = format_utc(self._now())
        if report.error is None:
            values = {state.LAST_SUCCESS_UTC: now, state.LAST_ERROR: None, state.LAST_ERROR_UTC: None}
        else:
            values = {state.LAST_ERROR: report.error.message, state.LAST_ERROR_UTC: now}
            log.warning("sync failed (%s): %s", report.error.kind, report.error.message)
        try:
            self._set_state(values)
        except SyncError as exc:
            if exc not in report.errors:
                report.errors.append(exc)
        return report

    def status(self) -> SyncStatus:
        """Records waiting, last success, last error (plain words), registration, clock offset."""
        return self._db(lambda: read_status(self.store.writer))

    # -- scheduling, for the GUI's sync worker -------------------------------------------------

    def next_delay(self, report: SyncReport) -> float:
        """Seconds to wait after ``report``: the normal interval, or the back-off after a failure."""
        if report.ok:
            return self.backoff.succeeded()
        return self.backoff.failed(report.error.retry_after_s if report.error else None)

    def sync_now(self) -> None:
        """Cut the current wait short and forget the back-off (the coordinator's "sync now")."""
        self.backoff.reset()
        self.wake.set()

    def run_with_backoff(
        self, stop_event: threading.Event, on_report: Callable[[SyncReport], None] | None = None
    ) -> None:
        """Sync in rounds on this (worker) thread until ``stop_event`` is set (see :mod:`kiosk.sync.scheduler`)."""
        run_with_backoff(self, stop_event, on_report)


def open_sync_client(
    store: Store,
    kiosk_id: str,
    clock: Clock,
    server_url: str | None = None,
    executor: Executor = run_inline,
) -> SyncClient:
    """A client over HTTP to ``server_url``, or to the server this kiosk registered with.

    ``SyncError`` ``not_registered`` when there is neither.
    """
    url = server_url or executor(lambda: state.get_value(store.writer, state.SERVER_URL))
    if not url:
        raise not_registered()
    return SyncClient(store, kiosk_id, clock, HttpTransport(url), executor)
