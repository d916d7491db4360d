"""The desk's Face tab: find a volunteer, see their face data, enrol (consent, then capture) or delete it.

Four views on one page:

- **pick**: search (as on the check-in page, or scan the card) and the
  volunteer's face status: not enrolled, consent only, enrolled on a date
  with N templates, consent withdrawn, or QR code only (with the reason and
  the other volunteer). Enrol, or delete in one action (with a confirming
  tap).
- **consent** (:class:`~kiosk.ui.screens.desk_face_consent.ConsentView`):
  the notice, the volunteer's answer, the coordinator's confirmation.
- **capture** (:class:`~kiosk.ui.screens.desk_face_capture.CaptureView`):
  the live picture, the hint and the counter.
- **conflict** (:class:`~kiosk.ui.screens.desk_face_conflict.ConflictView`):
  the captured face is another volunteer's as the kiosk would see it; the
  coordinator says whether it is one person or two.

:class:`kiosk.ui.desk_face_controller.FaceDeskController` fills it and does
the work; this page only shows and asks.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, tzinfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.services.face_enrolment import Neighbour
from kiosk.services.face_status import FaceState, FaceStatus
from kiosk.services.volunteer_search import VolunteerMatch
from kiosk.store.face_qr_only import SAME_PERSON
from kiosk.ui import theme
from kiosk.ui.screens.desk_face_capture import CaptureView
from kiosk.ui.screens.desk_face_conflict import ConflictView
from kiosk.ui.screens.desk_face_consent import ConsentView
from kiosk.ui.theme import TOUCH_TARGET_PX
from kiosk.ui.widgets.retranslating import RetranslatingFrame
from kiosk.ui.widgets.search_box import SearchBox
from kiosk.ui.widgets.touch_table import touch_table

DATE_FORMAT = "%Y-%m-%d %H:%M"


class FacePage(RetranslatingFrame):
    """Pick a volunteer and act on their face data; the consent and capture views in between."""

    query_changed = Signal(str)
    volunteer_picked = Signal(str)
    enrol_requested = Signal(str)  # volunteer ID: show the consent notice
    delete_confirmed = Signal(str)  # volunteer ID, after the confirming tap

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._matches: list[VolunteerMatch] = []
        self._states: dict[str, FaceStatus] = {}
        self._volunteer: tuple[str, str] | None = None
        self._status: FaceStatus | None = None
        self._tz: tzinfo | None = None
        self._camera = True
        self._confirming = False

        self.search = SearchBox()
        self.search.query_changed.connect(self.query_changed)
        self.hint = theme.text_role(QLabel(), "caption", tone="muted")
        self.hint.setWordWrap(True)
        self.table = touch_table(3)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.cellClicked.connect(self._on_row_clicked)

        self.name = theme.text_role(QLabel(), "large", strong=True)
        self.status_text = theme.text_role(QLabel(), "body")
        self.status_text.setWordWrap(True)
        self.camera_note = theme.text_role(QLabel(), "caption", tone="warn")
        self.camera_note.setWordWrap(True)
        self.enrol_button = QPushButton()
        self.delete_button = QPushButton()
        for button in (self.enrol_button, self.delete_button):
            button.setMinimumHeight(TOUCH_TARGET_PX)
            theme.button_variant(button, "secondary")
        self.enrol_button.clicked.connect(self._on_enrol)
        self.delete_button.clicked.connect(self._on_delete)
        self.confirm_text = theme.text_role(QLabel(), "small", tone="bad")
        self.confirm_text.setWordWrap(True)
        self.confirm_delete_button = theme.button_variant(QPushButton(), "destructive")
        self.keep_button = theme.button_variant(QPushButton(), "secondary")
        for button in (self.confirm_delete_button, self.keep_button):
            button.setMinimumHeight(TOUCH_TARGET_PX)
        self.confirm_delete_button.clicked.connect(self._on_delete_confirmed)
        self.keep_button.clicked.connect(self._hide_confirm)
        self.message = theme.text_role(QLabel(), "body")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)

        self.consent = ConsentView()
        self.capture = CaptureView()
        self.conflict = ConflictView()
        self.views = QStackedWidget()
        self.views.addWidget(self._pick_view())
        self.views.addWidget(self.consent)
        self.views.addWidget(self.capture)
        self.views.addWidget(self.conflict)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.views)
        self._hide_confirm()
        self.retranslate()

    def _pick_view(self) -> QWidget:
        self.confirm_row = QWidget()
        confirm = QVBoxLayout(self.confirm_row)
        confirm.setContentsMargins(0, 0, 0, 0)
        confirm.addWidget(self.confirm_text)
        confirm_buttons = QHBoxLayout()
        confirm_buttons.addWidget(self.confirm_delete_button)
        confirm_buttons.addWidget(self.keep_button)
        confirm.addLayout(confirm_buttons)
        buttons = QHBoxLayout()
        buttons.addWidget(self.enrol_button)
        buttons.addWidget(self.delete_button)
        left = QVBoxLayout()
        left.addWidget(self.search)
        left.addWidget(self.hint)
        left.addWidget(self.table, 1)
        right = QVBoxLayout()
        right.addWidget(self.name)
        right.addWidget(self.status_text)
        right.addLayout(buttons)
        right.addWidget(self.confirm_row)
        right.addWidget(self.message)
        right.addStretch()
        right.addWidget(self.camera_note)
        view = QWidget()
        layout = QHBoxLayout(view)
        layout.addLayout(left, 3)
        layout.addLayout(right, 2)
        return view

    # -- what the controller sets ----------------------------------------------------------------------

    @property
    def volunteer(self) -> tuple[str, str] | None:
        """``(volunteer ID, name)`` of the volunteer picked."""
        return self._volunteer

    @property
    def matches(self) -> list[VolunteerMatch]:
        """The volunteers listed now."""
        return list(self._matches)

    @property
    def view(self) -> str:
        """The view shown: ``pick``, ``consent``, ``capture`` or ``conflict``."""
        return ("pick", "consent", "capture", "conflict")[self.views.currentIndex()]

    def set_camera(self, available: bool) -> None:
        """Whether faces can be captured here (a camera and a working face engine)."""
        self._camera = available
        self.retranslate()

    def set_matches(self, matches: list[VolunteerMatch], states: dict[str, FaceStatus]) -> None:
        """The search results, each with its face status."""
        self._matches, self._states = matches, states
        self.table.setRowCount(len(matches))
        for row, match in enumerate(matches):
            self.table.setItem(row, 0, QTableWidgetItem(match.name))
            self.table.setItem(row, 1, QTableWidgetItem(match.volunteer_id))
            self.table.setItem(row, 2, QTableWidgetItem(""))
        self._render_states()

    def show_status(self, volunteer_id: str, name: str, status: FaceStatus, tz: tzinfo) -> None:
        """The picked volunteer's face data; back to the pick view."""
        self._volunteer, self._status, self._tz = (volunteer_id, name), status, tz
        self._states[volunteer_id] = status
        self.views.setCurrentIndex(0)
        self.capture.stop()
        self._hide_confirm()
        self._render_states()
        self.retranslate()

    def update_status(self, status: FaceStatus) -> None:
        """Fresh face data of the volunteer picked (a refresh): the view and a pending confirmation stay."""
        if self._volunteer is None or status.volunteer_id != self._volunteer[0]:
            return
        self._status = status
        self._states[status.volunteer_id] = status
        self._render_states()
        self.retranslate()

    def show_message(self, text: str, ok: bool = True) -> None:
        """A result in plain words under the buttons (green when it went well, red when not)."""
        self.message.setText(text)
        theme.set_tone(self.message, "good" if ok else "bad")

    def show_consent(self, coordinator: str) -> None:
        """The consent notice for the picked volunteer."""
        if self._volunteer is None:
            return
        self.show_message("")
        self.consent.start(self._volunteer[1], coordinator)
        self.views.setCurrentIndex(1)

    def show_capture(self, target: int, minimum: int) -> None:
        """The live capture for the picked volunteer."""
        if self._volunteer is None:
            return
        self.capture.start(self._volunteer[1], target, minimum)
        self.views.setCurrentIndex(2)

    def show_conflict(self, other: Neighbour) -> None:
        """The picked volunteer's capture is ``other``'s face as the kiosk sees it: ask the coordinator."""
        if self._volunteer is None:
            return
        self.capture.stop()
        self.conflict.start(self._volunteer[1], other)
        self.views.setCurrentIndex(3)

    def show_pick(self) -> None:
        """Back to the search and status view."""
        self.capture.stop()
        self.views.setCurrentIndex(0)

    def forget(self) -> None:
        """The desk locked: no volunteer picked, no search, no message."""
        self.show_pick()
        self._volunteer = self._status = None
        self.search.clear()
        self.set_matches([], {})
        self.show_message("")
        self._hide_confirm()
        self.retranslate()

    def stop(self) -> None:
        """Stop the typing timer (the window is closing)."""
        self.search.stop()

    # -- behaviour -------------------------------------------------------------------------------------

    def _on_row_clicked(self, row: int, _column: int) -> None:
        if 0 <= row < len(self._matches):
            self.show_message("")
            self.volunteer_picked.emit(self._matches[row].volunteer_id)

    def _on_enrol(self) -> None:
        if self._volunteer is not None:
            self.enrol_requested.emit(self._volunteer[0])

    def _on_delete(self) -> None:
        if self._volunteer is None:
            return
        self.confirm_text.setText(
            self.tr("Delete all face data of %1? Their consent is marked withdrawn.").replace(
                "%1", self._volunteer[1]
            )
        )
        self._confirming = True
        self.confirm_row.setVisible(True)
        self._update_buttons()

    def _on_delete_confirmed(self) -> None:
        confirming = self._confirming
        self._hide_confirm()
        if confirming and self._volunteer is not None:
            self.delete_button.setEnabled(False)  # until the deletion's answer shows the new status
            self.delete_confirmed.emit(self._volunteer[0])

    def _hide_confirm(self) -> None:
        self._confirming = False
        self.confirm_row.setVisible(False)
        self._update_buttons()

    def _update_buttons(self) -> None:
        picked = self._volunteer is not None and self._status is not None
        self.enrol_button.setVisible(picked)
        self.delete_button.setVisible(picked)
        self.enrol_button.setEnabled(picked and not self._confirming)
        has_data = self._status is not None and self._status.has_data
        self.delete_button.setEnabled(has_data and not self._confirming)

    # -- texts -----------------------------------------------------------------------------------------

    def _state_word(self, status: FaceStatus | None) -> str:
        if status is None:
            return ""
        return {
            FaceState.NOT_ENROLLED: "",
            FaceState.CONSENTED: self.tr("consent only"),
            FaceState.ENROLLED: self.tr("enrolled"),
            FaceState.WITHDRAWN: self.tr("deleted"),
            FaceState.QR_ONLY: self.tr("QR code only"),
        }[status.state]

    def _render_states(self) -> None:
        for row, match in enumerate(self._matches):
            item = self.table.item(row, 2)
            if item is not None:
                item.setText(self._state_word(self._states.get(match.volunteer_id)))

    def _local(self, utc_text: str | None) -> str:
        if not utc_text:
            return "?"
        moment = datetime.fromisoformat(utc_text)
        return (moment.astimezone(self._tz) if self._tz else moment).strftime(DATE_FORMAT)

    def _status_text(self) -> str:
        status = self._status
        if status is None:
            return self.tr("Find the volunteer on the left, or scan their card.")
        mark = status.qr_only
        if mark is None:
            return self._data_text(status)
        other = mark.other_volunteer_id
        if status.qr_only_other_name:
            other = self.tr("%1 (%2)").replace("%1", status.qr_only_other_name).replace("%2", other)
        if mark.reason == SAME_PERSON:
            reason = self.tr("QR code only: the same person as %1, registered twice.")
        else:
            reason = self.tr("QR code only: the camera cannot tell them apart from %1.")
        decided = (
            self.tr("Decided %1 by %2.")
            .replace("%1", self._local(mark.decided_utc))
            .replace("%2", mark.coordinator)
        )
        data = self._data_text(replace(status, qr_only=None))
        return reason.replace("%1", other) + " " + decided + "\n" + data

    def _data_text(self, status: FaceStatus) -> str:
        """Consent and templates, as a volunteer who is not QR-only would see them."""
        consent = status.consent
        state = status.state
        if state is FaceState.NOT_ENROLLED:
            return self.tr("No face data. This volunteer checks in with the QR card.")
        assert consent is not None
        recorded = (
            self.tr("Consent recorded %1 by %2 (notice %3).")
            .replace("%1", self._local(consent.consented_utc))
            .replace("%2", consent.coordinator)
            .replace("%3", consent.notice_version)
        )
        if state is FaceState.WITHDRAWN:
            return self.tr("Consent withdrawn %1: no face data is kept.").replace(
                "%1", self._local(consent.withdrawn_utc)
            )
        if state is FaceState.CONSENTED:
            return self.tr("No face templates yet.") + "\n" + recorded
        enrolled = self.tr("Enrolled %1 with %n templates.", "", status.templates).replace(
            "%1", self._local(status.enrolled_utc)
        )
        return enrolled + "\n" + recorded

    def retranslate(self) -> None:
        self.search.setPlaceholderText(self.tr("Name, pinyin initials, last phone digits or ID"))
        self.hint.setText(self.tr("Or scan the volunteer's card."))
        self.table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Volunteer ID"), self.tr("Face")])
        self._render_states()
        self.name.setText(f"{self._volunteer[1]}  {self._volunteer[0]}" if self._volunteer else "")
        self.status_text.setText(self._status_text())
        enrolled = self._status is not None and self._status.templates > 0
        if self._camera:
            self.enrol_button.setText(self.tr("Enrol again…") if enrolled else self.tr("Enrol face…"))
            self.camera_note.setText(
                self.tr("The QR card always works: face check-in is only offered, never required.")
            )
            theme.set_tone(self.camera_note, "muted")
        else:
            self.enrol_button.setText(self.tr("Record consent…"))
            self.camera_note.setText(
                self.tr(
                    "No camera for faces here: consent and deletion work, but faces are "
                    "enrolled at a kiosk with a camera."
                )
            )
            theme.set_tone(self.camera_note, "warn")
        self.delete_button.setText(self.tr("Delete face data…"))
        self.confirm_delete_button.setText(self.tr("Delete"))
        self.keep_button.setText(self.tr("Keep"))
        self._update_buttons()
