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

from checkin_protocol.event_rows import format_utc
from kiosk.store import sync_state as state
from kiosk.store.audit import append_audit
from kiosk.store.coordinators import has_active_coordinator
from kiosk.store.database import Store, Transaction
from kiosk.store.settings import set_setting, setting
from kiosk.store.trust import has_trusted_key, trusted_key_sources

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


def _legacy_set_up(db: Transaction) -> bool:
    """A kiosk made ready by the command line: keys trusted and an active coordinator."""
    keys = has_trusted_key(db)
    coordinator = has_active_coordinator(db)
    return keys and coordinator


def read_progress(db: Transaction) -> SetupProgress:
    """The saved progress; a kiosk with none is at the first step (or finished, if set up by hand)."""
    finished = setting(db, FINISHED_KEY)
    saved = setting(db, STEP_KEY)
    if finished is None and saved is None and _legacy_set_up(db):
        finished = LEGACY_FINISHED
    return SetupProgress(saved if saved in STEPS else STEPS[0], finished, setting(db, HOW_KEY))


def needs_setup(db: Transaction) -> bool:
    """Whether ``kiosk run`` must show the setup first."""
    return not read_progress(db).finished


def save_step(db: Transaction, step: str) -> None:
    """Remember that the setup has reached ``step`` (``ValueError`` for an unknown step)."""
    if step not in STEPS:
        raise ValueError(f"unknown setup step {step!r}; the steps are {', '.join(STEPS)}")
    set_setting(db, STEP_KEY, step)


def save_provisioning_choice(db: Transaction, choice: str) -> None:
    """Remember how provisioning was done (for the summary and the log)."""
    if choice not in PROVISIONING_CHOICES:
        raise ValueError(f"unknown provisioning choice {choice!r}")
    set_setting(db, HOW_KEY, choice)


def finish_setup(db: Transaction, kiosk_id: str, now: datetime) -> None:
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


def provisioning_state(db: Transaction) -> ProvisioningState:
    """Whether and how this kiosk is provisioned, from its sync state and trusted keys."""
    values = state.get_values(
        db, (state.SERVER_URL, state.DEVICE_ID, state.DEVICE_SECRET, state.AREA_ID, state.BUNDLE_PUBLIC_KEY)
    )
    rows = trusted_key_sources(db)
    keys = tuple(key_id for key_id, _ in rows)
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


# -- the setup's steps, each in a transaction of its own (the setup's thread calls these) -------


def record_step(store: Store, step: str) -> None:
    """Save ``step`` as the one to resume at."""
    with store.write() as db:
        save_step(db, step)


def record_provisioning(store: Store, how: str) -> ProvisioningState:
    """Provisioning was done ``how``: remember it, move on to the camera step, and say what the kiosk can verify."""
    with store.write() as db:
        save_provisioning_choice(db, how)
        save_step(db, "camera")
        return provisioning_state(db)


def record_offline(store: Store, kiosk_id: str, now: datetime) -> None:
    """The coordinator chose to go on offline for now (no keys): remember it, and audit it."""
    with store.write() as db:
        save_provisioning_choice(db, "offline")
        save_step(db, "camera")
        append_audit(db, kiosk_id=kiosk_id, action="setup.offline", at=now, detail={"keys": 0})


def record_finish(store: Store, kiosk_id: str, now: datetime) -> None:
    """:func:`finish_setup` in a transaction of its own."""
    with store.write() as db:
        finish_setup(db, kiosk_id, now)
