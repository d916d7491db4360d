"""What a scan, an undo or an auto-close came to: the value the screen shows.

An :class:`Outcome` carries enums and IDs, never text; the UI translates them.
``confirmed`` is true only when an event was written and its transaction
committed, which is when the screen may say "checked in".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from checkin_protocol.models import Event


class OutcomeKind(StrEnum):
    CHECKED_IN = "checked_in"
    CHECKED_OUT = "checked_out"
    DUPLICATE = "duplicate"  # seen again within the window: nothing written, offer Undo / check out now
    REFUSED = "refused"  # a rule or the token said no; ``reason`` says which
    UNDONE = "undone"
    ACTIVITY_OPENED = "activity_opened"
    CHOOSE_ACTIVITY = "choose_activity"  # several activities are open: the volunteer picks one
    FAILED = "failed"  # nothing could be stored; ``reason`` is a :class:`Failure`


class Failure(StrEnum):
    """Why nothing was stored, in words the UI can translate."""

    NO_OPEN_ACTIVITY = "no_open_activity"
    UNKNOWN_ACTIVITY = "unknown_activity"
    UNKNOWN_EVENT = "unknown_event"
    NOT_CHECKED_IN = "not_checked_in"
    STORAGE_FULL = "storage_full"
    STORAGE_ERROR = "storage_error"


class TotalSource(StrEnum):
    """Where a volunteer's total comes from."""

    PLATFORM = "platform"  # the platform's total, plus this kiosk's visits it had not counted yet
    KIOSK = "kiosk"  # no platform total is known here: this kiosk's visits only


@dataclass(frozen=True)
class Outcome:
    """The result of one request to the attendance service.

    ``reason`` is the value of a :class:`~kiosk.domain.rules.RefusalReason`,
    :class:`~kiosk.domain.rules.UndoRefusal`,
    :class:`~checkin_protocol.codes.results.Refusal` or :class:`Failure`.
    ``event`` is the event written (None when nothing was written);
    ``previous`` is the earlier event a duplicate or an undo refers to, or the
    check-in that a check-out closes. ``visit_seconds`` is the credited length
    of the visit a check-out closed; ``total_seconds`` the volunteer's credited
    total: ``total_source`` says whether it is the platform's (with this
    kiosk's visits it had not counted yet) or this kiosk's alone;
    ``total_as_of`` is the kiosk-local time a platform total is current as of,
    set only when that is long ago (``kiosk.services.volunteer_total``).
    """

    kind: OutcomeKind
    volunteer_id: str | None = None
    display_name: str | None = None
    activity_id: str | None = None
    reason: str | None = None
    event: Event | None = None
    previous: Event | None = None
    visit_seconds: int | None = None
    total_seconds: int | None = None
    total_source: TotalSource = TotalSource.KIOSK
    total_as_of: datetime | None = None
    choices: tuple[str, ...] = ()

    @property
    def confirmed(self) -> bool:
        """True when an event was written durably."""
        return self.event is not None
