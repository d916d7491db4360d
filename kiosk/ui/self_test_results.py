"""Each self-test result in a few plain words, in the coordinator's language: "数据库完好", "磁盘空间不足".

A check's ``detail`` is technical English for IT staff (``quick_check: ok``,
``journal_mode=wal``); the Self-test page shows it only behind "Details".
What the page shows first comes from here, chosen by the check's name, its
status and, where one status covers several results, its ``reason``
(:class:`kiosk.services.doctor.Check`). Translated in the context
``SelfTest``, like :mod:`kiosk.ui.self_test_words`.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from kiosk.services.doctor import Check, Status
from kiosk.ui.self_test_words import status_word

translate = QCoreApplication.translate  # lupdate finds translate("SelfTest", "...") calls

OK, WARN, FAIL, SKIPPED = Status.OK, Status.WARN, Status.FAIL, Status.SKIPPED


def _words() -> dict[tuple[str, Status, str], str]:
    """Every known result: (check name, status, reason) -> plain words."""
    return {
        ("data", OK, ""): translate("SelfTest", "Records can be saved here"),
        ("data", WARN, ""): translate("SelfTest", "Records are kept on this computer, not on the USB stick"),
        ("data", FAIL, ""): translate("SelfTest", "Records cannot be saved"),
        ("access", OK, ""): translate("SelfTest", "Only the kiosk can read the records"),
        ("access", OK, "fat"): translate(
            "SelfTest", "The records are on a USB stick: keep it with the coordinator"
        ),
        ("access", WARN, ""): translate("SelfTest", "Other users of this computer can read the records"),
        ("database", OK, ""): translate("SelfTest", "The database is intact"),
        ("database", FAIL, ""): translate("SelfTest", "The database is damaged"),
        ("database", FAIL, "read-only"): translate("SelfTest", "The database can be read but not saved to"),
        ("database", FAIL, "unreadable"): translate("SelfTest", "The database cannot be read"),
        ("journal", OK, ""): translate("SelfTest", "Check-ins are safe in a power cut"),
        ("journal", FAIL, ""): translate("SelfTest", "A power cut could lose check-ins"),
        ("disk", OK, ""): translate("SelfTest", "Enough free disk space"),
        ("disk", WARN, ""): translate("SelfTest", "Disk space is running low"),
        ("disk", FAIL, ""): translate("SelfTest", "The disk is almost full"),
        ("camera", OK, ""): translate("SelfTest", "The camera works"),
        ("camera", WARN, ""): translate("SelfTest", "No picture from the camera"),
        ("camera", FAIL, ""): translate("SelfTest", "No picture from the camera"),
        ("camera", SKIPPED, ""): translate(
            "SelfTest", "No camera here: cards are read by the barcode scanner"
        ),
        ("clock", OK, ""): translate("SelfTest", "The date and time look right"),
        ("clock", WARN, ""): translate("SelfTest", "The clock is earlier than the last check-in"),
        ("clock", FAIL, ""): translate("SelfTest", "The date is wrong"),
        ("clock-sync", OK, ""): translate("SelfTest", "Agrees with the platform's clock"),
        ("clock-sync", WARN, ""): translate("SelfTest", "A few minutes off the platform's clock"),
        ("clock-sync", FAIL, ""): translate("SelfTest", "Far off the platform's clock"),
        ("clock-sync", FAIL, "set-back"): translate("SelfTest", "The clock was set back"),
        ("clock-sync", SKIPPED, "never-synced"): translate(
            "SelfTest", "Never synced: this kiosk has not connected to the platform yet"
        ),
        ("clock-sync", SKIPPED, "not-measured"): translate(
            "SelfTest", "Not compared yet: it will be at the next sync"
        ),
        ("cloud", OK, ""): translate("SelfTest", "Connected to the platform"),
        ("cloud", WARN, ""): translate("SelfTest", "Cannot reach the platform"),
        ("cloud", SKIPPED, ""): translate("SelfTest", "Not connected to a platform: used offline"),
        ("audit", OK, ""): translate("SelfTest", "The audit log is intact"),
        ("audit", FAIL, ""): translate("SelfTest", "The audit log was changed"),
        ("face", OK, ""): translate("SelfTest", "Face check-in is ready"),
        ("face", OK, "switched-off"): translate("SelfTest", "Face check-in is switched off"),
        ("face", WARN, ""): translate("SelfTest", "Face check-in is not installed: QR cards still work"),
        ("face", FAIL, ""): translate("SelfTest", "Enrolled faces cannot be recognised"),
        ("face", SKIPPED, ""): translate("SelfTest", "Face check-in is switched off"),
        ("pins", OK, ""): translate("SelfTest", "Every coordinator PIN is long enough"),
        ("pins", WARN, ""): translate("SelfTest", "A coordinator PIN is too short"),
        ("pins", WARN, "unreadable"): translate("SelfTest", "The coordinator PINs could not be checked"),
        ("pins", SKIPPED, ""): translate("SelfTest", "No coordinator accounts yet"),
    }


def result_words(check: Check) -> str:
    """What ``check`` found, in plain words: by name, status and reason; else the status's word ("正常")."""
    if check.reason == "error":
        return translate("SelfTest", "This check could not run")
    words = _words()
    found = words.get((check.name, check.status, check.reason))
    if found is None:  # a reason this screen does not know yet: the status's usual words
        found = words.get((check.name, check.status, ""))
    return found if found is not None else status_word(check.status)


def known_results() -> list[tuple[str, Status, str]]:
    """Every (name, status, reason) worded here (for tests: each must read differently from its detail)."""
    return list(_words())
