"""What the coordinator sees of sync: records waiting, the last success, the last error in plain words."""

from __future__ import annotations

from dataclasses import dataclass, field

from kiosk.store import face_sync
from kiosk.store import sync_state as state
from kiosk.store.database import Transaction
from kiosk.store.outbox import rejected_count, waiting_count
from kiosk.sync.gaps import MissingReport, stored_missing


@dataclass(frozen=True)
class SyncStatus:
    """The state of sync on this kiosk (no secrets in it).

    ``waiting``: events neither delivered nor rejected; ``last_error``: the
    last round's failure for a coordinator, None after a success;
    ``clock_offset_s``: server time minus device time at the last measurement;
    ``face_waiting`` / ``face_rejected``: face enrolments and deletions made
    here that wait for the cloud / that it refused; ``cloud_missing``: the
    records of this kiosk the cloud last reported it lacks (``missing_report``
    says which, and what the kiosk did: :mod:`kiosk.sync.gaps`).
    """

    waiting: int
    last_success_utc: str | None
    last_error: str | None
    registered: bool
    clock_offset_s: float | None
    rejected: int = 0
    server_url: str | None = None
    device_id: str | None = None
    last_attempt_utc: str | None = None
    last_error_utc: str | None = None
    trust_conflicts: tuple[str, ...] = field(default_factory=tuple)
    face_waiting: int = 0
    face_rejected: int = 0
    missing_report: MissingReport | None = None

    @property
    def cloud_missing(self) -> int:
        """Records of this kiosk the cloud last reported it lacks (0: none)."""
        return 0 if self.missing_report is None else self.missing_report.missing


def read_status(db: Transaction) -> SyncStatus:
    """Read the sync status from the store (plain reads; no transaction needed)."""
    values = state.get_values(
        db,
        (
            state.SERVER_URL,
            state.DEVICE_ID,
            state.DEVICE_SECRET,
            state.LAST_SUCCESS_UTC,
            state.LAST_ATTEMPT_UTC,
            state.LAST_ERROR,
            state.LAST_ERROR_UTC,
        ),
    )
    registered = bool(values[state.SERVER_URL] and values[state.DEVICE_ID] and values[state.DEVICE_SECRET])
    return SyncStatus(
        waiting=waiting_count(db),
        last_success_utc=values[state.LAST_SUCCESS_UTC],
        last_error=values[state.LAST_ERROR],
        registered=registered,
        clock_offset_s=state.get_float(db, state.CLOCK_OFFSET_S),
        rejected=rejected_count(db),
        server_url=values[state.SERVER_URL],
        device_id=values[state.DEVICE_ID],
        last_attempt_utc=values[state.LAST_ATTEMPT_UTC],
        last_error_utc=values[state.LAST_ERROR_UTC],
        trust_conflicts=tuple(state.trust_conflicts(db)),
        face_waiting=face_sync.waiting_count(db),
        face_rejected=face_sync.rejected_count(db),
        missing_report=stored_missing(db),
    )
