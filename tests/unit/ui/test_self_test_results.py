"""The self-test's words for the coordinator: every result has its own, and none is technical."""

from __future__ import annotations

import re

import pytest

from kiosk.services.doctor import Check, Status
from kiosk.services.self_test import CHECK_ORDER
from kiosk.ui.self_test_results import known_results, result_words
from kiosk.ui.self_test_words import advice, check_title, error_advice

# What IT staff read in a check's detail, and a coordinator should not have to.
TECHNICAL = re.compile(r"[=_\[\]/\\]|\.toml|\bkiosk \w+-\w+|journal|WAL|GiB|sqlite", re.IGNORECASE)


@pytest.mark.parametrize("name", CHECK_ORDER)
def test_every_check_has_a_title_and_words_for_ok(name: str) -> None:
    assert check_title(name) != name
    assert result_words(Check(name, Status.OK, "technical")) != result_words(Check("?", Status.OK, ""))


@pytest.mark.parametrize(("name", "status", "reason"), known_results())
def test_no_plain_words_are_technical(name: str, status: Status, reason: str) -> None:
    words = result_words(Check(name, status, "quick_check: ok", reason))
    assert not TECHNICAL.search(words), words
    if status in (Status.WARN, Status.FAIL):
        assert advice(name) and not TECHNICAL.search(advice(name)), advice(name)


def test_one_status_with_several_results_reads_by_its_reason() -> None:
    never = Check("clock-sync", Status.SKIPPED, "never synced", "never-synced")
    later = Check("clock-sync", Status.SKIPPED, "no offset measured yet", "not-measured")
    assert result_words(never) == "Never synced: this kiosk has not connected to the platform yet"
    assert result_words(later) != result_words(never)
    fat = Check("access", Status.OK, "on vfat", "fat")
    assert result_words(fat) != result_words(Check("access", Status.OK, "only this user"))


def test_an_unknown_reason_reads_as_its_status_and_a_broken_check_says_so() -> None:
    assert result_words(Check("disk", Status.WARN, "", "new-reason")) == "Disk space is running low"
    assert result_words(Check("disk", Status.FAIL, "the check itself failed", "error")) == (
        "This check could not run"
    )
    assert not TECHNICAL.search(error_advice())
