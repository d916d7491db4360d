"""The self-test in the coordinator's language: a title, a short problem and what to do, per check.

The checks (:mod:`kiosk.services.self_test`) name themselves with stable keys
and explain their numbers in English for the log; the screen words them here,
through Qt's translation (context ``SelfTest``). What each result found, in
plain words, is in :mod:`kiosk.ui.self_test_results`. The advice names no
setting, file or command: those are in the check's technical detail, which
the Self-test page shows under "Details" for whoever set the kiosk up.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from kiosk.services.doctor import Status
from kiosk.ui.theme import Tone

translate = QCoreApplication.translate  # lupdate finds translate("SelfTest", "...") calls


def check_title(name: str) -> str:
    """What a check looks at, as a heading."""
    titles = {
        "data": translate("SelfTest", "Data folder"),
        "access": translate("SelfTest", "Who can read the records"),
        "database": translate("SelfTest", "Database"),
        "journal": translate("SelfTest", "Database safety setting"),
        "disk": translate("SelfTest", "Free disk space"),
        "camera": translate("SelfTest", "Camera"),
        "clock": translate("SelfTest", "Clock"),
        "clock-sync": translate("SelfTest", "Clock against the platform"),
        "cloud": translate("SelfTest", "Connection to the platform"),
        "audit": translate("SelfTest", "Audit log"),
        "face": translate("SelfTest", "Face check-in"),
        "pins": translate("SelfTest", "Coordinator PINs"),
    }
    return titles.get(name, name)


def problem_phrase(name: str) -> str:
    """A check that warned or failed, in a few words for the status bar."""
    phrases = {
        "data": translate("SelfTest", "the data folder cannot be written"),
        "access": translate("SelfTest", "other users can read the records"),
        "database": translate("SelfTest", "the database is damaged"),
        "journal": translate("SelfTest", "unsafe database setting"),
        "disk": translate("SelfTest", "low disk space"),
        "camera": translate("SelfTest", "no camera picture"),
        "clock": translate("SelfTest", "the clock looks wrong"),
        "clock-sync": translate("SelfTest", "the clock differs from the platform's"),
        "cloud": translate("SelfTest", "the platform cannot be reached"),
        "audit": translate("SelfTest", "the audit log was changed"),
        "face": translate("SelfTest", "face check-in unavailable"),
        "pins": translate("SelfTest", "a coordinator PIN is too short"),
    }
    return phrases.get(name, name)


def advice(name: str) -> str:
    """What the coordinator can do about a check that warned or failed."""
    texts = {
        "data": translate(
            "SelfTest",
            "Check-ins cannot be saved. On a USB stick: check its write-protect switch and free space, "
            "plug it in again, then restart the kiosk.",
        ),
        "access": translate(
            "SelfTest",
            "Names and phone numbers should be readable by this computer account only. Restart the kiosk "
            "to fix it; on a USB stick, keep the stick with the coordinator.",
        ),
        "database": translate(
            "SelfTest", "Restart the kiosk. If this stays, contact support and keep the data folder as it is."
        ),
        "journal": translate(
            "SelfTest",
            "Ask whoever set up this kiosk to change the database setting (see Details), then restart "
            "the kiosk.",
        ),
        "disk": translate(
            "SelfTest",
            "Free some space on this disk (old exports, downloads), or check-ins may stop being saved.",
        ),
        "camera": translate(
            "SelfTest",
            "Check the camera's cable and restart the kiosk. Cards still work with a USB barcode scanner.",
        ),
        "clock": translate("SelfTest", "Set this computer's date, time and time zone."),
        "clock-sync": translate(
            "SelfTest", "Set this computer's date, time and time zone, or switch on automatic time."
        ),
        "cloud": translate(
            "SelfTest", "The kiosk keeps working offline and syncs later. Check the network if this lasts."
        ),
        "audit": translate(
            "SelfTest", "The record log was changed outside the kiosk. Contact support; keep the data folder."
        ),
        "face": translate(
            "SelfTest",
            "Volunteers can still use their QR card. Ask whoever set up this kiosk to install face check-in, "
            "or to restore its key from a backup.",
        ),
        "pins": translate(
            "SelfTest",
            "A PIN of fewer than 6 digits can be guessed. Give each coordinator named under Details a new "
            "PIN of 6 to 8 digits. A PIN from an older version is measured when it is next used.",
        ),
    }
    return texts.get(name, "")


def error_advice() -> str:
    """What to do when a check could not run at all (its ``reason`` is ``error``)."""
    return translate("SelfTest", "Restart the kiosk. If this stays, contact support (see Details).")


def status_word(status: Status) -> str:
    """OK, warning, failed, or not used here: the words of a result with none of its own."""
    return {
        Status.OK: translate("SelfTest", "OK"),
        Status.WARN: translate("SelfTest", "Warning"),
        Status.FAIL: translate("SelfTest", "Failed"),
        Status.SKIPPED: translate("SelfTest", "Not used here"),
    }[status]


STATUS_MARK = {Status.OK: "✓", Status.WARN: "⚠", Status.FAIL: "✖", Status.SKIPPED: "○"}
"""The icon of each status: colour is never the only signal."""
STATUS_TONE: dict[Status, Tone] = {
    Status.OK: "good",
    Status.WARN: "warn",
    Status.FAIL: "bad",
    Status.SKIPPED: "muted",
}
"""The theme's colour of each status (:mod:`kiosk.ui.theme`)."""
