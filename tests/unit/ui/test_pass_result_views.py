"""What the result card says to a phone pass: every refusal has its words, and speaks of the phone, not a card."""

from __future__ import annotations

import pytest

from checkin_protocol.models import Method
from kiosk.services.outcome import Outcome, OutcomeKind
from kiosk.services.pass_scan import PassRefusal
from kiosk.ui.messages import Tone, result_view


def refused(reason: str) -> Outcome:
    return Outcome(OutcomeKind.REFUSED, reason=reason)


def test_a_stale_code_asks_for_a_refresh() -> None:
    view = result_view(refused(PassRefusal.STALE), Method.QR, pass_code=True)
    assert (view.title, view.next_step) == (
        "The code on your phone is out of date",
        "Please refresh the check-in code on your phone.",
    )
    assert view.tone is Tone.ERROR and view.sound == "error"


@pytest.mark.parametrize("reason", [r.value for r in PassRefusal] + ["malformed", "card_revoked"])
def test_every_refusal_of_a_pass_has_its_own_words_and_a_next_step(reason: str) -> None:
    view = result_view(refused(reason), Method.SCANNER, pass_code=True)
    assert view.title != "Not recorded" and view.next_step
    assert "card's QR code" not in view.next_step and "card still" not in view.next_step


def test_a_bad_signature_speaks_of_the_phone_for_a_pass_and_of_the_card_for_a_card() -> None:
    assert "phone" in result_view(refused("bad_signature"), Method.QR, pass_code=True).title
    assert "card" in result_view(refused("bad_signature"), Method.QR).title


def test_a_volunteer_refused_by_the_roster_is_not_told_to_use_a_newer_card_for_a_pass() -> None:
    assert "newest card" not in result_view(refused("card_revoked"), Method.QR, pass_code=True).next_step
    assert "newest card" in result_view(refused("card_revoked"), Method.QR).next_step
