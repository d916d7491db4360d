"""What the setup says when provisioning works or fails: what happened, and what to do now.

Functions, not constants, so the words are looked up in the language shown
when they are called (a page keeps the function and calls it again on a
language change).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication

from kiosk.camera.discovery import CameraChoice
from kiosk.services.first_run import ProvisioningState
from kiosk.sync.errors import SyncError

translate = QCoreApplication.translate  # lupdate finds translate("Setup", "...") calls


def qr_refused(reason: str) -> str:
    """A scanned code that is not a usable setup QR code (``ProvisioningQrError.reason``)."""
    words = {
        "volunteer_code": translate(
            "Setup", "This is a volunteer card or an activity code, not the kiosk's setup code."
        ),
        "bare_code": translate(
            "Setup",
            "This code has no server address. Ask the platform for the kiosk's setup QR code.",
        ),
        "unsupported_version": translate(
            "Setup", "This setup code is newer than this kiosk. Ask for an updated kiosk program."
        ),
        "malformed": translate(
            "Setup", "This setup code is damaged or incomplete. Ask the platform for a new one."
        ),
    }
    text = words.get(
        reason, translate("Setup", "This QR code is not a setup code of the volunteer platform.")
    )
    return text + " " + translate("Setup", "Nothing was changed.")


def registering(server_url: str) -> str:
    """Registration is under way."""
    return translate("Setup", "Connecting to %1…").replace("%1", server_url)


def sync_failed(error: SyncError, server_url: str) -> str:
    """Registration failed: why, and what now. Nothing was changed."""
    if error.kind in ("network", "timeout"):
        text = translate(
            "Setup",
            "The server %1 cannot be reached. Check the network cable or Wi-Fi, then scan the code "
            "again, or set up offline for now.",
        ).replace("%1", server_url)
    elif error.code == "unknown_code":
        text = translate("Setup", "The platform does not know this setup code. Ask for a new one.")
    elif error.code == "code_used":
        text = translate("Setup", "This setup code was used already. Ask the platform for a new one.")
    elif error.code == "kiosk_exists":
        text = translate(
            "Setup",
            "The platform knows this kiosk already, under another code. Ask the platform to check it.",
        )
    elif error.code == "not_found":
        text = translate("Setup", "The address %1 does not lead to the platform's server.").replace(
            "%1", server_url
        )
    elif error.kind == "storage":
        text = translate("Setup", "The kiosk could not save its settings: the disk may be full or locked.")
    else:
        text = translate("Setup", "The server could not register the kiosk now. Try again in a minute.")
    return text + " " + translate("Setup", "Nothing was changed.")


def file_refused(name: str, detail: str) -> str:
    """A provisioning file that cannot be used (``detail`` is the technical reason, in English)."""
    return (
        translate("Setup", "The file %1 cannot be used: %2").replace("%1", name).replace("%2", detail)
        + " "
        + translate("Setup", "Nothing was changed.")
    )


# Files named one per line under "no provisioning file"; the rest are counted (the log has them all).
UNREADABLE_LINES = 3


def no_file_found(unreadable: Sequence[tuple[str, str]] = ()) -> str:
    """No provisioning file on any stick; then a line per ``(file name, reason)`` that could not be read.

    The reason is technical English, as in :func:`file_refused`.
    """
    text = translate(
        "Setup",
        "No provisioning file (*.kbundle) was found on a USB stick. Plug in the stick with the "
        "file from the platform, or choose the file yourself.",
    )
    lines = [
        translate("Setup", "%1 cannot be used: %2").replace("%1", name).replace("%2", reason)
        for name, reason in unreadable[:UNREADABLE_LINES]
    ]
    more = len(unreadable) - UNREADABLE_LINES
    if more > 0:
        lines.append(
            translate("Setup", "And %1 more that cannot be used (see the log).").replace("%1", str(more))
        )
    return "\n".join([text, *lines])


def reading_file(name: str) -> str:
    """A provisioning file is being read."""
    return translate("Setup", "Reading %1…").replace("%1", name)


def provisioning_words(state: ProvisioningState) -> str:
    """What the kiosk is connected to, in one or two sentences."""
    if state.kind == "online":
        return (
            translate("Setup", "Registered with %1 as kiosk %2. It downloads the roster by itself.")
            .replace("%1", state.server_url or "")
            .replace("%2", state.device_id or "")
        )
    if state.kind == "usb":
        return translate(
            "Setup",
            "Set up for records by USB stick (area %1). Records travel on the stick: "
            "Coordinator → USB stick.",
        ).replace("%1", state.area_id or "")
    if state.kind == "demo":
        return translate("Setup", "Demo data only: it checks in the demo cards, not real volunteers.")
    if state.kind == "keys":
        return translate("Setup", "Signing keys installed by hand: %1.").replace(
            "%1", ", ".join(state.trusted_keys)
        )
    return translate("Setup", "Not connected to the platform: it cannot check volunteers' cards yet.")


def camera_words(choice: CameraChoice) -> str:
    """The camera as the coordinator reads it: in the camera list and the summary."""
    if choice.source == "none":
        return translate("Setup", "No camera: USB barcode scanner only")
    if choice.source == "synthetic":
        return translate("Setup", "Demo camera (shows the demo cards)")
    if choice.source == "video":
        return translate("Setup", "Video file: %1").replace("%1", choice.path)
    if choice.source == "folder":
        return translate("Setup", "Pictures folder: %1").replace("%1", choice.path)
    name = str(int(choice.device) + 1) if choice.device.isdigit() else choice.device
    return translate("Setup", "Camera %1").replace("%1", name)
