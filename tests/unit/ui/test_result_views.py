"""What the result card says: the action first, one figure per line, explicit choices, no accusation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from helpers.fakes import FakeClock

from checkin_protocol.models import Action, Event, Method
from kiosk.services.outcome import Outcome, OutcomeKind, TotalSource
from kiosk.ui.messages import (
    CardLayout,
    ResultAction,
    Tone,
    format_duration,
    not_me_view,
    result_view,
)
from kiosk.ui.widgets.pictograms import Pictogram


def event(action: Action, method: Method = Method.QR, after_s: int = 0, event_id: str = "E1") -> Event:
    clock = FakeClock()
    clock.advance(after_s)
    return Event(event_id, "K1", 1, "V1", "A1", action, method, clock.now())


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (0, "0 min"),
        (45 * 60, "45 min"),
        (2 * 3600 + 15 * 60, "2 h 15 min"),
        (134 * 3600 + 1800, "134 h 30 min"),
    ],
)
def test_a_length_of_time_is_written_one_way(seconds: int, words: str) -> None:
    assert format_duration(seconds) == words


def test_a_check_in_is_a_welcome_with_its_time_as_one_figure() -> None:
    view = result_view(Outcome(OutcomeKind.CHECKED_IN, display_name="雷*霞", event=event(Action.CHECK_IN)))
    assert (view.tone, view.layout, view.icon) == (Tone.SUCCESS, CardLayout.WELCOME, Pictogram.CHECK_IN)
    assert view.title == "Checked in" and view.name == "雷*霞"
    assert [(f.label, f.value) for f in view.figures] == [("Check-in time", "09:00")]
    assert view.actions == () and view.detail == ""


def test_a_check_out_is_a_receipt_with_each_figure_on_its_own_line() -> None:
    outcome = Outcome(
        OutcomeKind.CHECKED_OUT,
        display_name="雷*霞",
        event=event(Action.CHECK_OUT, after_s=8100),
        visit_seconds=8100,
        total_seconds=134 * 3600 + 1800,
        total_source=TotalSource.PLATFORM,
    )
    view = result_view(outcome)
    assert (view.tone, view.layout, view.icon) == (Tone.CHECK_OUT, CardLayout.RECEIPT, Pictogram.CHECK_OUT)
    assert [(f.label, f.value) for f in view.figures] == [
        ("Check-out time", "11:15"),
        ("This visit", "2 h 15 min"),
        ("Total so far", "134 h 30 min"),
    ]


@pytest.mark.parametrize("action", [Action.CHECK_IN, Action.CHECK_OUT])
def test_a_face_check_in_or_out_says_so_and_offers_not_me(action: Action) -> None:
    kind = OutcomeKind.CHECKED_IN if action is Action.CHECK_IN else OutcomeKind.CHECKED_OUT
    view = result_view(Outcome(kind, display_name="雷*霞", event=event(action, Method.FACE)))
    assert view.detail == "Recognised by face"
    assert [(c.action, c.label, c.primary) for c in view.choices] == [(ResultAction.NOT_ME, "Not me", False)]


def test_a_duplicate_names_what_each_choice_does_and_checking_out_is_the_main_one() -> None:
    view = result_view(Outcome(OutcomeKind.DUPLICATE, display_name="雷*霞", previous=event(Action.CHECK_IN)))
    assert [(c.action, c.label, c.primary) for c in view.choices] == [
        (ResultAction.CHECK_OUT_NOW, "Check out now", True),
        (ResultAction.UNDO, "Undo the 09:00 check-in", False),
    ]
    after_out = result_view(
        Outcome(
            OutcomeKind.DUPLICATE,
            previous=event(Action.CHECK_OUT, after_s=int(timedelta(hours=2).total_seconds())),
        )
    )
    assert [(c.action, c.label) for c in after_out.choices] == [
        (ResultAction.UNDO, "Undo the 11:00 check-out")
    ]


@pytest.mark.parametrize("reason", ["bad_signature", "unknown_key"])
def test_a_card_that_cannot_be_verified_is_not_called_forged(reason: str) -> None:
    view = result_view(Outcome(OutcomeKind.REFUSED, reason=reason))
    assert (view.title, view.next_step) == (
        "This volunteer card cannot be verified",
        "Please ask the coordinator for help.",
    )
    assert view.tone is Tone.ERROR


@pytest.mark.parametrize(
    ("action", "title"),
    [
        (Action.CHECK_IN, "Please check in with your volunteer card's QR code"),
        (Action.CHECK_OUT, "Please scan your volunteer card's QR code"),
    ],
)
def test_after_not_me_the_card_asks_for_the_qr_code(action: Action, title: str) -> None:
    undone = Outcome(
        OutcomeKind.UNDONE, event=event(Action.UNDO, Method.FACE), previous=event(action, Method.FACE)
    )
    view = not_me_view(undone)
    assert view.title == title and view.icon is Pictogram.QR_CODE and view.actions == ()
    too_late = not_me_view(Outcome(OutcomeKind.REFUSED, reason="too_late"))
    assert too_late.title == "Too late to undo"
