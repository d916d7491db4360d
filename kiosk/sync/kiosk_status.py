"""What the kiosk tells the cloud of itself, for the fleet's dashboard: records waiting, its self-test, its version.

Every push carries it (``status`` of ``POST /events``, docs/sync-protocol.md,
"Kiosk status"): ``waiting`` counted in the same read as the batch, so it
includes the batch; the last self-test's outcome and time, which the
self-test leaves here (:func:`remember_self_test`); the app version.

A kiosk with nothing to send still has news when its self-test ran again
or it was updated: then it pushes an empty batch with the status. To know
when, it keeps the status the cloud last acknowledged, as the cloud keeps it
(``waiting`` less the batch it came with), in ``sync_state``; an empty push
goes out only when the status differs from that, so a kiosk at rest sends
nothing more than before.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from checkin_protocol import __version__
from checkin_protocol.event_rows import format_utc, parse_utc
from kiosk.store import sync_state as state
from kiosk.store.database import Store, Transaction
from kiosk.store.outbox import waiting_count

#: The self-test's worst status (``kiosk.services.doctor.Status``) as the protocol names it.
SELF_TEST_WORDS = {"ok": "ok", "warn": "warning", "fail": "failed"}
UNKNOWN = "unknown"


def remember_self_test(store: Store, worst: str, ran_utc: datetime) -> None:
    """Keep how the self-test that ran at ``ran_utc`` went (its worst check: ``ok``, ``warn``, ``fail``).

    Run it where the kiosk writes (the writer thread in the GUI). A result
    older than the one kept is ignored.
    """
    when = format_utc(ran_utc.astimezone(UTC))
    with store.write() as db:
        kept = _protocol_time(state.get_value(db, state.SELF_TEST_UTC))
        if kept is not None and kept > when:
            return
        state.set_value(db, state.SELF_TEST, SELF_TEST_WORDS.get(worst, UNKNOWN))
        state.set_value(db, state.SELF_TEST_UTC, when)


def _protocol_time(text: str | None) -> str | None:
    """``text`` as a protocol time (UTC, milliseconds), or None when it is not a time."""
    moment = parse_utc(text)
    return None if moment is None else format_utc(moment.astimezone(UTC))


def current_status(db: Transaction) -> dict[str, Any]:
    """The status as the protocol sends it, read now (``waiting``: events not yet acknowledged)."""
    values = state.get_values(db, (state.SELF_TEST, state.SELF_TEST_UTC))
    word = values[state.SELF_TEST]
    ran = _protocol_time(values[state.SELF_TEST_UTC])
    status: dict[str, Any] = {
        "waiting": waiting_count(db),
        "self_test": word if word in SELF_TEST_WORDS.values() and ran is not None else UNKNOWN,
        "app_version": __version__,
    }
    if status["self_test"] != UNKNOWN:
        status["self_test_utc"] = ran
    return status


def _as_acknowledged(status: dict[str, Any], batch_size: int) -> str:
    """The status as the cloud keeps it once a batch of ``batch_size`` is answered, as comparable text."""
    kept = {**status, "waiting": max(0, int(status["waiting"]) - batch_size)}
    return json.dumps(kept, sort_keys=True, separators=(",", ":"))


def status_is_news(db: Transaction, status: dict[str, Any]) -> bool:
    """Whether the cloud's copy differs from ``status`` (an empty push is then worth sending)."""
    return state.get_value(db, state.STATUS_REPORTED) != _as_acknowledged(status, 0)


def remember_acknowledged(db: Transaction, status: dict[str, Any], batch_size: int) -> None:
    """The cloud answered a push of ``batch_size`` events that carried ``status`` (in the settling transaction)."""
    state.set_value(db, state.STATUS_REPORTED, _as_acknowledged(status, batch_size))


def forget_acknowledged(db: Transaction) -> None:
    """A new registration: the cloud knows nothing of this kiosk's status yet."""
    state.set_value(db, state.STATUS_REPORTED, None)
