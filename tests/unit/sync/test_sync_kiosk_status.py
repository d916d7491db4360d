"""The status a kiosk sends with its pushes is always one the cloud takes, whatever its store holds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from checkin_protocol import __version__
from cloud.protocol import KioskStatus
from kiosk.store import sync_state as state
from kiosk.store.database import Store
from kiosk.sync.kiosk_status import current_status, remember_acknowledged, remember_self_test, status_is_news

RAN = datetime(2026, 11, 29, 1, 0, tzinfo=UTC)


def test_a_self_test_is_kept_in_the_protocols_words_and_time(store: Store) -> None:
    remember_self_test(store, "warn", RAN.astimezone(timezone(timedelta(hours=8))))
    status = current_status(store.writer)
    assert status == {
        "waiting": 0,
        "self_test": "warning",
        "self_test_utc": "2026-11-29T01:00:00.000+00:00",
        "app_version": __version__,
    }
    KioskStatus.model_validate(status)  # what the cloud checks it against


@pytest.mark.parametrize(
    ("word", "when"),
    [
        ("warning", "yesterday"),
        ("broken", "2026-11-29T01:00:00.000+00:00"),
        ("ok", "2026-11-29T01:00:00"),
        ("ok", None),
    ],
)
def test_a_garbled_self_test_in_the_store_is_sent_as_unknown_never_refused(
    store: Store, word: str, when: str | None
) -> None:
    with store.write() as db:
        state.set_value(db, state.SELF_TEST, word)
        state.set_value(db, state.SELF_TEST_UTC, when)
    status = current_status(store.writer)
    assert status["self_test"] == "unknown" and "self_test_utc" not in status
    KioskStatus.model_validate(status)


def test_the_status_is_news_until_the_cloud_acknowledged_it_less_the_batch(store: Store) -> None:
    status = {**current_status(store.writer), "waiting": 3}
    assert status_is_news(store.writer, current_status(store.writer))
    with store.write() as db:
        remember_acknowledged(db, status, 3)  # three waited, the batch of three was answered
    assert not status_is_news(store.writer, current_status(store.writer))
    remember_self_test(store, "fail", RAN)
    assert status_is_news(store.writer, current_status(store.writer))
