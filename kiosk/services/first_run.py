"""First-run setup: which step a kiosk's setup has reached, and whether it is finished.

The setup (``kiosk/ui/setup/``) walks a coordinator through five steps:
the language, provisioning (the cloud's setup QR code, a provisioning file,
or offline for now), the camera, the first coordinator account, and a
summary. Each step shown is saved in the ``settings`` table as it is
reached, so a power cut resumes at the step it stopped; pressing Start on
the summary records the finish, and the setup is never shown again by
itself (``kiosk setup`` runs it again on purpose).

A kiosk set up before the setup existed (keys trusted and a coordinator,
by the command line) counts as finished: it has no step saved.

Functions taking ``db`` run inside the caller's transaction, or as plain
reads; call them on the thread that owns the store's writer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sqlite_utils import Database

from checkin_protocol.event_rows import format_utc
from kiosk.store.audit import append_audit
from kiosk.store.settings import set_setting, setting
from kiosk.sync import state

STEPS: Final = ("language", "provisioning", "camera", "coordinator", "done")
STEP_KEY: Final = "setup_step"
FINISHED_KEY: Final = "setup_finished_utc"
HOW_KEY: Final = "setup_provisioning"  # how provisioning was chosen: online, file, offline or demo
PROVISIONING_CHOICES: Final = ("online", "file", "offline", "demo")
LEGACY_FINISHED: Final = "before-setup"  # finished_utc of a kiosk set up by the command line


@dataclass(frozen=True)
class SetupProgress:
    """How far the setup got: the step to show, and when it was finished (``None``: not yet)."""

    step: str
    finished_utc: str | None
    provisioning_choice: str | None

    @property
    def finished(self) -> bool:
        """Whether Start was pressed on the summary (or the kiosk was set up before the setup existed)."""
        return self.finished_utc is not None


@dataclass(frozen=True)
class ProvisioningState:
    """What the kiosk can verify and whom it syncs with (no secrets).

    ``kind``: ``online`` (registered with a cloud server), ``usb`` (set up
    for USB transfer by a provisioning file), ``demo`` (only the demo key),
    ``keys`` (keys trusted by hand, e.g. ``kiosk`` tests) or ``none``
    (nothing trusted: no card can be verified yet).
    """

    kind: str
    server_url: str | None
    device_id: str | None
    area_id: str | None
    trusted_keys: tuple[str, ...]

    @property
    def can_verify_cards(self) -> bool:
        """Whether at least one signing key is trusted."""
        return bool(self.trusted_keys)


def _legacy_set_up(db: Database) -> bool:
    """A kiosk made ready by the command line: keys trusted and an active coordinator."""
    keys = db.execute("SELECT 1 FROM trusted_keys LIMIT 1").fetchone()
    coordinator = db.execute("SELECT 1 FROM coordinators WHERE removed_utc IS NULL LIMIT 1").fetchone()
    return keys is not None and coordinator is not None


def read_progress(db: Database) -> SetupProgress:
    """The saved progress; a kiosk with none is at the first step (or finished, if set up by hand)."""
    finished = setting(db, FINISHED_KEY)
    saved = setting(db, STEP_KEY)
    if finished is None and saved is None and _legacy_set_up(db):
        finished = LEGACY_FINISHED
    return SetupProgress(saved if saved in STEPS else STEPS[0], finished, setting(db, HOW_KEY))


def needs_setup(db: Database) -> bool:
    """Whether ``kiosk run`` must show the setup first."""
    return not read_progress(db).finished


def save_step(db: Database, step: str) -> None:
    """Remember that the setup has reached ``step`` (``ValueError`` for an unknown step)."""
    if step not in STEPS:
        raise ValueError(f"unknown setup step {step!r}; the steps are {', '.join(STEPS)}")
    set_setting(db, STEP_KEY, step)


def save_provisioning_choice(db: Database, choice: str) -> None:
    """Remember how provisioning was done (for the summary and the log)."""
    if choice not in PROVISIONING_CHOICES:
        raise ValueError(f"unknown provisioning choice {choice!r}")
    set_setting(db, HOW_KEY, choice)


def finish_setup(db: Database, kiosk_id: str, now: datetime) -> None:
    """Record that the coordinator pressed Start: the setup is not shown again by itself."""
    set_setting(db, FINISHED_KEY, format_utc(now))
    set_setting(db, STEP_KEY, STEPS[-1])
    append_audit(
        db,
        kiosk_id=kiosk_id,
        action="setup.finished",
        at=now,
        detail={"provisioning": setting(db, HOW_KEY) or "unknown"},
    )


def provisioning_state(db: Database) -> ProvisioningState:
    """Whether and how this kiosk is provisioned, from its sync state and trusted keys."""
    values = state.get_values(
        db, (state.SERVER_URL, state.DEVICE_ID, state.DEVICE_SECRET, state.AREA_ID, state.BUNDLE_PUBLIC_KEY)
    )
    rows = db.execute("SELECT key_id, source FROM trusted_keys ORDER BY key_id").fetchall()
    keys = tuple(str(key_id) for key_id, _ in rows)
    if values[state.DEVICE_ID] and values[state.DEVICE_SECRET] and values[state.SERVER_URL]:
        kind = "online"
    elif values[state.BUNDLE_PUBLIC_KEY]:
        kind = "usb"
    elif rows and all(source == "demo" for _, source in rows):
        kind = "demo"
    elif rows:
        kind = "keys"
    else:
        kind = "none"
    return ProvisioningState(
        kind,
        values[state.SERVER_URL] if kind == "online" else None,
        values[state.DEVICE_ID] if kind == "online" else None,
        values[state.AREA_ID],
        keys,
    )
