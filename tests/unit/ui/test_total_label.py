"""The check-out card's total says whose it is, and since when when that is long ago, in both languages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest
from helpers.fakes import FakeClock
from PySide6.QtWidgets import QApplication

from checkin_protocol.models import Action, Event, Method
from kiosk.services.outcome import Outcome, OutcomeKind, TotalSource
from kiosk.ui.i18n import LanguageSwitcher
from kiosk.ui.messages import result_view

CHINA = timezone(timedelta(hours=8))


def _check_out(source: TotalSource, as_of: datetime | None = None) -> Outcome:
    clock = FakeClock()  # 29 Nov 2026, 09:00 in China
    clock.advance(8100)
    return Outcome(
        OutcomeKind.CHECKED_OUT,
        display_name="雷*霞",
        event=Event("E1", "K1", 2, "V1", "A1", Action.CHECK_OUT, Method.QR, clock.now()),
        visit_seconds=8100,
        total_seconds=300 * 3600 + 8100,
        total_source=source,
        total_as_of=as_of,
    )


@pytest.fixture(params=["en", "zh_CN"])
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    switcher = LanguageSwitcher(qapp)
    switcher.set_language(request.param)
    yield request.param
    switcher.remove()


WORDS = {
    "en": {
        "kiosk": "Total at this kiosk",
        "platform": "Total so far",
        "this_year": "Total so far\n(as of 1 Nov)",
        "last_year": "Total so far\n(as of 31 Dec 2025)",
        "value": "302 h 15 min",
    },
    "zh_CN": {
        "kiosk": "本机累计",
        "platform": "累计服务",
        "this_year": "累计服务\n（截至11月1日）",
        "last_year": "累计服务\n（截至2025年12月31日）",
        "value": "302 小时 15 分钟",
    },
}


def _total(outcome: Outcome) -> tuple[str, str]:
    figure = result_view(outcome).figures[-1]
    return figure.label, figure.value


def test_without_a_platform_total_the_figure_is_this_kiosks(language: str) -> None:
    assert _total(_check_out(TotalSource.KIOSK)) == (WORDS[language]["kiosk"], WORDS[language]["value"])


def test_a_current_platform_total_is_the_total_so_far(language: str) -> None:
    assert _total(_check_out(TotalSource.PLATFORM)) == (WORDS[language]["platform"], WORDS[language]["value"])


def test_an_old_platform_total_says_the_local_date_it_is_as_of(language: str) -> None:
    as_of = datetime(2026, 11, 1, 1, 0, tzinfo=CHINA)
    assert _total(_check_out(TotalSource.PLATFORM, as_of))[0] == WORDS[language]["this_year"]
    last_year = datetime(2025, 12, 31, 23, 0, tzinfo=CHINA)
    assert _total(_check_out(TotalSource.PLATFORM, last_year))[0] == WORDS[language]["last_year"]
