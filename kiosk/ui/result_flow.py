"""What the kiosk screen shows after a scan: the result card, the activity choice, a question, then idle.

The writer's outcome arrives here (after COMMIT); the card stays
``result_seconds`` (twice as long with buttons, three times for a choice of
activity), and its bar runs empty meanwhile. A forgotten check-out of the
volunteer found after the scan is asked about once the result card has gone;
the answer goes to the writer. Undo and "check out now" on the card, and the
activity chosen, go back to the writer as requests.

A check-out of a kiosk set up for a platform shows its signed service
receipt as a QR code (:mod:`kiosk.services.receipts`); that card stays
:data:`RECEIPT_STAYS` times as long, so the volunteer has time to take out
their phone (the next scan replaces it at once, as any card).

"Not me" on a card of a check-in (or check-out) made from a face is there
for :data:`NOT_ME_MS` (10 s): it undoes that event through the writer's
undo, the same path and the same record as the Undo of a duplicate, and the
card that follows asks for the volunteer's QR code.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, datetime

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from checkin_protocol.codes.pass_codes import is_pass_code
from checkin_protocol.models import ActivityStatus, Identity, mask_name
from kiosk.domain.manual import leave_time_choices
from kiosk.services.outcome import Outcome, OutcomeKind
from kiosk.services.receipts import ReceiptIssuer
from kiosk.services.review import ReviewItem
from kiosk.services.sound import SoundPlayer
from kiosk.store import activities as activity_store
from kiosk.store.database import Transaction
from kiosk.ui.messages import ResultAction, not_me_view, result_view
from kiosk.ui.screens.kiosk_screen import KioskScreen
from kiosk.ui.writer_worker import ScanRequest

log = logging.getLogger(__name__)

NOT_ME_MS = 10_000
"""How long "Not me" stays on a face check-in's card."""
RECEIPT_STAYS = 3
"""A check-out card with a receipt stays this many times ``result_seconds``."""


class ResultFlow(QObject):
    """Shows the writer's outcomes on the kiosk screen and sends the volunteer's answers back."""

    scan_requested = Signal(object)  # ScanRequest with the activity chosen -> writer
    undo_requested = Signal(str)  # event ID -> writer
    check_out_requested = Signal(object, str)  # Identity, activity ID -> writer
    leave_answered = Signal(str, object)  # check-in event ID, UTC time or None -> writer
    result_shown = Signal(object, object)  # (Outcome, ScanRequest | None), after it is on screen

    def __init__(
        self,
        screen: KioskScreen,
        reader: Transaction,
        sounds: SoundPlayer,
        result_seconds: int,
        receipts: ReceiptIssuer | None = None,
    ) -> None:
        super().__init__()
        self._receipts = receipts
        self._screen = screen
        self._reader = reader
        self._sounds = sounds
        self._result_seconds = result_seconds
        self._closed = False
        self._last_outcome: Outcome | None = None
        self._pending_choice: ScanRequest | None = None
        self._pending_question: ReviewItem | None = None
        self._asked: ReviewItem | None = None
        self._disowned: str | None = None  # the event "Not me" asked to undo, until the writer answers
        self.not_me_timer = QTimer(self)
        self.not_me_timer.setSingleShot(True)
        self.not_me_timer.timeout.connect(self._on_not_me_over)
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.timeout.connect(self._on_idle_due)
        screen.result.action_chosen.connect(self._on_result_action)
        screen.choice.chosen.connect(self._on_activity_chosen)
        screen.question.answered.connect(self._on_leave_answered)

    def result_ms(self) -> int:
        """How long a plain result card stays."""
        return self._result_seconds * 1000

    def stop(self) -> None:
        """The window closes: later outcomes are not shown."""
        self._closed = True
        self.idle_timer.stop()
        self.not_me_timer.stop()

    @Slot(object, object)
    def show_outcome(self, outcome: Outcome, request: ScanRequest | None) -> None:
        """The writer's outcome of a scan, an undo or a check-out (``WriterWorker.outcome_ready``)."""
        if self._closed:
            return
        self._pending_question = self._asked = None  # a new scan: an earlier question is dropped
        self.not_me_timer.stop()
        if outcome.kind is OutcomeKind.CHOOSE_ACTIVITY and request is not None:
            self._pending_choice = request
            open_ones = [
                a
                for a in activity_store.list_activities(self._reader, ActivityStatus.OPEN)
                if a.activity_id in outcome.choices
            ]
            self._screen.show_choice(outcome.display_name or "", open_ones)
            self._sounds.play("notice")
            self.idle_timer.start(self.result_ms() * 3)
        else:
            self._last_outcome = outcome
            disowned = self._disowned
            if (
                disowned is not None
                and outcome.previous is not None
                and outcome.previous.event_id == disowned
            ):
                self._disowned = None  # the writer's answer to "Not me" (a scan queued before it comes first)
                view = not_me_view(outcome)
            else:
                view = result_view(
                    outcome,
                    request.method if request is not None else None,
                    pass_code=request is not None and is_pass_code(request.text),
                )
                receipt = self._receipts.issue(self._reader, outcome) if self._receipts is not None else None
                if receipt is not None:
                    view = replace(view, receipt_url=receipt.url)
            stays = self.result_ms() * (RECEIPT_STAYS if view.receipt_url else 2 if view.actions else 1)
            self._screen.show_result(view, stays)
            self._sounds.play(view.sound)
            self.idle_timer.start(stays)
            if ResultAction.NOT_ME in view.actions:
                self.not_me_timer.start(min(NOT_ME_MS, stays))
        self.result_shown.emit(outcome, request)

    @Slot(object)
    def ask_about_leaving(self, item: ReviewItem) -> None:
        """Asked after the scan's result has been shown (the result card stays first)."""
        self._pending_question = item

    @Slot(str)
    def _on_result_action(self, action: str) -> None:
        outcome = self._last_outcome
        if outcome is None:
            return
        if action == ResultAction.NOT_ME and outcome.event is not None:
            self._disown(outcome)
            return
        if outcome.previous is None:
            return
        self._screen.result.set_choices_enabled(False)
        if action == ResultAction.UNDO:
            self.undo_requested.emit(outcome.previous.event_id)
        elif action == ResultAction.CHECK_OUT_NOW and outcome.volunteer_id and outcome.activity_id:
            # The check-out is made as the check-in was: the same method and credential.
            previous = outcome.previous
            name = outcome.display_name or ""
            identity = Identity(outcome.volunteer_id, name, previous.method, credential=previous.credential)
            self.check_out_requested.emit(identity, outcome.activity_id)

    def _disown(self, outcome: Outcome) -> None:
        """ "Not me": undo the face's check-in (or check-out) like any undo; the next card asks for the QR code."""
        assert outcome.event is not None
        self.not_me_timer.stop()
        self._screen.result.set_choices_enabled(False)
        self._disowned = outcome.event.event_id
        log.warning(
            "'not me' on the face %s of %s: undoing %s",
            outcome.event.action.value,
            outcome.volunteer_id,
            outcome.event.event_id,
        )
        self.undo_requested.emit(outcome.event.event_id)

    @Slot()
    def _on_not_me_over(self) -> None:
        self._screen.result.withdraw(ResultAction.NOT_ME)

    @Slot(str)
    def _on_activity_chosen(self, activity_id: str) -> None:
        request, self._pending_choice = self._pending_choice, None
        if request is not None:
            self.scan_requested.emit(replace(request, activity_id=activity_id))

    @Slot()
    def _on_idle_due(self) -> None:
        self._pending_choice = None
        question, self._pending_question = self._pending_question, None
        if question is not None and question.check_in is not None and question.check_out is not None:
            choices = leave_time_choices(question.check_in.clock.local, question.check_out.clock.local)
            self._screen.show_question(mask_name(question.name), question.activity_title, choices)
            self._asked = question
            self._sounds.play("notice")
            self.idle_timer.start(self.result_ms() * 4)
            return
        self._asked = None
        self._screen.show_idle()

    @Slot(object)
    def _on_leave_answered(self, left_at: object) -> None:
        asked, self._asked = self._asked, None
        if asked is not None:
            moment = left_at.astimezone(UTC) if isinstance(left_at, datetime) else None
            self.leave_answered.emit(asked.subject_event_id, moment)
            self._sounds.play("success")
        self.idle_timer.stop()
        self._screen.show_idle()
