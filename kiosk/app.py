"""The composition root: config -> store -> services. The one place that wires things.

No module-level singletons: the CLI (and, later, the GUI) calls
:func:`build_kiosk` and passes the pieces on. Tests build the same graph with
a fake clock.
"""

from __future__ import annotations

import logging
import logging.handlers
from dataclasses import dataclass

from checkin_protocol.codes.verifier import TokenVerifier
from checkin_protocol.policy import AttendancePolicy, AutoCloseMode, RoundingMode, RoundingPolicy
from checkin_protocol.private_files import tighten
from kiosk.clock import Clock, SystemClock
from kiosk.config import Config, ensure_kiosk_id
from kiosk.services.attendance import AttendanceService
from kiosk.services.current_trust import CurrentTrust
from kiosk.services.desk import DeskService
from kiosk.services.face_enrolment import FaceEnrolment
from kiosk.services.review import ReviewService
from kiosk.services.scanning import ScanService
from kiosk.store.audit import audit_alone
from kiosk.store.database import Store, open_store

LOG_FILE_BYTES = 2 * 1024 * 1024
LOG_FILE_COUNT = 5


def attendance_policy(config: Config) -> AttendancePolicy:
    """The attendance rules' settings from the ``[attendance]`` section."""
    a = config.values["attendance"]
    return AttendancePolicy(
        duplicate_window_s=a["duplicate_window_s"],
        undo_window_s=a["undo_window_s"],
        rounding=RoundingPolicy(step_min=a["rounding_step_min"], mode=RoundingMode(a["rounding_mode"])),
        cap_per_visit_min=a["cap_per_visit_min"],
        auto_close_grace_min=a["auto_close_grace_min"],
        auto_close_mode=AutoCloseMode(a["auto_close_mode"]),
        auto_close_fixed_min=a["auto_close_fixed_min"],
        clock_jump_tolerance_s=a["clock_jump_tolerance_s"],
    )


def setup_logging(config: Config, verbose: bool = False) -> None:
    """Rotating log files in the data folder (IDs only, never names or phones)."""
    config.log_dir.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        config.log_dir / "kiosk.log", maxBytes=LOG_FILE_BYTES, backupCount=LOG_FILE_COUNT, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)


@dataclass
class Kiosk:
    """Everything one running kiosk needs, built once at start."""

    config: Config
    kiosk_id: str
    store: Store
    clock: Clock
    policy: AttendancePolicy
    trust: CurrentTrust
    attendance: AttendanceService
    scanning: ScanService
    desk: DeskService
    review: ReviewService
    face_enrolment: FaceEnrolment

    @property
    def verifier(self) -> TokenVerifier:
        """The token verifier with the keys and revocations in force."""
        return self.trust.verifier

    def reload_trust(self) -> None:
        """Re-read trusted keys and revocations after they changed in the store (one swap)."""
        self.trust.reload(self.store)

    def close(self) -> None:
        self.store.close()


def build_kiosk(config: Config, clock: Clock | None = None) -> Kiosk:
    """Open the store and build the services of this kiosk.

    The data folder is first narrowed to this user (one left wider by an
    older version or copied from elsewhere): it holds names, phone numbers,
    PIN hashes and keys.
    """
    tighten(config.data.path)
    kiosk_id = ensure_kiosk_id(config.data.path)
    store = open_store(config.database_path, config.journal)
    clock = clock or SystemClock()
    if store.report.quarantined_to is not None:
        # The fresh database's first entry says where the damaged one went.
        audit_alone(
            store,
            kiosk_id=kiosk_id,
            action="store.quarantined",
            at=clock.now().wall_utc,
            detail={"moved_to": store.report.quarantined_to.name, "damage": store.report.damage},
        )
    policy = attendance_policy(config)
    trust = CurrentTrust.load(store)
    attendance = AttendanceService(store, kiosk_id, clock, policy, trust)
    scanning = ScanService(store, kiosk_id, clock, trust, attendance)
    desk = DeskService(store, kiosk_id, clock, policy, trust)
    review = ReviewService(store, kiosk_id, desk)
    face_enrolment = FaceEnrolment(store, kiosk_id, clock)
    return Kiosk(
        config, kiosk_id, store, clock, policy, trust, attendance, scanning, desk, review, face_enrolment
    )
