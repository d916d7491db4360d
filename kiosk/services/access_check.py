"""The self-test's access check: can anyone but the kiosk's own user read the data folder?

The data folder holds names, phone numbers, PIN hashes, the device secret and
the key files, so it should be its user's alone (:mod:`checkin_protocol.private_files`
narrows it at every start). A folder still wider afterwards (files owned by
another account, an ACL the kiosk could not change) is worth a warning, never
a failure: check-ins still work. A FAT/exFAT stick holds no permissions at
all; the check says so in its line without warning.
"""

from __future__ import annotations

from pathlib import Path

from checkin_protocol.private_files import CommandRunner, run_command, wider_than_owner
from kiosk.services.doctor import Check, Status
from kiosk.store.filesystem import filesystem_type, is_fat_family

_EXAMPLES = 3


def check_access(folder: Path, *, windows: bool | None = None, run: CommandRunner = run_command) -> Check:
    """WARN when someone other than this user may read files in ``folder``; OK otherwise."""
    fs = filesystem_type(folder)
    if is_fat_family(fs):
        # Said, not warned: a FAT/exFAT stick is the usual portable kiosk, and nothing at the
        # kiosk can change it, so a warning at every start would only teach people to ignore them.
        return Check(
            "access",
            Status.OK,
            f"on {fs}, which keeps no permissions: whoever holds the stick can read the records; "
            "keep the stick with the coordinator",
            "fat",
        )
    wide = wider_than_owner(folder, windows=windows, run=run)
    if not wide:
        return Check("access", Status.OK, "only this user can read the data folder")
    examples = ", ".join(str(p.relative_to(folder)) or "." for p in wide[:_EXAMPLES])
    more = f" and {len(wide) - _EXAMPLES} more" if len(wide) > _EXAMPLES else ""
    return Check(
        "access",
        Status.WARN,
        f"other users of this PC can read {len(wide)} path(s) of the data folder ({examples}{more}); "
        "restart the kiosk to narrow them, or make the folder readable by this user only",
    )
