"""The rules of presence signals, and signals kept push by push equal to signals derived from scratch.

The rules run on :class:`cloud.signal_queries.SignalVisit` values (no
database); the property runs the cloud's real ingest on a SQLite file per
example: whatever the events, the batches and the order they arrive in,
undos included, the signals kept after the last push are those a rebuild of
every visit derives.
"""

from __future__ import annotations

import json
import random
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from unittest import mock

import hypothesis
from helpers.dashboard_data import NOON_ISH, KioskEvents, seed_city
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cloud import presence_signals
from cloud.dashboard_queries import VisitFact
from cloud.presence_signals import (
    NEIGHBOURS,
    SAME_CREDENTIAL_SECONDS,
    WINDOW,
    SignalKind,
    find_signals,
    signal_windows,
)
from cloud.protocol import format_time
from cloud.signal_queries import PassSpan, SignalVisit
from cloud.storage import CloudStore, Storage
from cloud.visit_projection import rebuild_all

NINE = NOON_ISH - timedelta(hours=1)
STRINGS = Path(__file__).resolve().parents[3] / "cloud" / "dashboard" / "static" / "strings.json"


def visit(
    visit_id: str,
    kiosk: str,
    venue: str | None,
    start: datetime,
    minutes: float | None,
    review: str = "",
    credential: str | None = None,
) -> SignalVisit:
    """V1's visit from ``start`` for ``minutes`` (None: not checked out)."""
    end = None if minutes is None else format_time(start + timedelta(minutes=minutes))
    return SignalVisit(
        visit_id, "V1", "A", kiosk, "2026-12-04", format_time(start), end, review, venue, credential
    )


def flagged(*visits: SignalVisit, passes: tuple[PassSpan, ...] = ()) -> set[tuple[str, str, str]]:
    return {(s.visit_id, s.signal, s.other_id) for s in find_signals(visits, passes)}


def test_an_open_or_auto_closed_visit_counts_as_on_site_at_its_check_in_only() -> None:
    there = visit("there", "K2", "西山村活动室", NINE + timedelta(hours=1), 60)
    for here in (
        visit("here", "K1", "东华一村活动室", NINE, None),  # still open
        visit("here", "K1", "东华一村活动室", NINE, 600, review="auto_closed"),  # closed by the kiosk
        visit("here", "K1", "东华一村活动室", NINE, -5, review="negative_duration"),
    ):
        assert flagged(here, there) == set()
    inside = visit("inside", "K1", "东华一村活动室", NINE + timedelta(minutes=90), None)
    assert flagged(inside, there) == {("inside", "two_places", "there"), ("there", "two_places", "inside")}


def test_venues_compare_without_spaces_or_case_and_an_unknown_venue_is_never_another_place() -> None:
    here = visit("here", "K1", " Town  Hall ", NINE, 120)
    assert flagged(here, visit("there", "K2", "town hall", NINE + timedelta(hours=1), 60)) == set()
    assert flagged(here, visit("there", "K2", None, NINE + timedelta(hours=1), 60)) == set()
    assert flagged(here, visit("there", "K2", "Library", NINE + timedelta(hours=1), 60)) != set()


def test_check_ins_further_apart_than_the_window_are_never_compared() -> None:
    long = visit("long", "K1", "东华一村活动室", NINE, 3 * 24 * 60, review="capped")
    assert flagged(long, visit("later", "K2", "西山村活动室", NINE + WINDOW, 60)) != set()
    assert (
        flagged(long, visit("later", "K2", "西山村活动室", NINE + WINDOW + timedelta(seconds=1), 60)) == set()
    )


def test_the_same_credential_threshold_is_inclusive_and_needs_two_kiosks() -> None:
    here = visit("here", "K1", "东华一村活动室", NINE, 5)
    at = NINE + timedelta(seconds=SAME_CREDENTIAL_SECONDS)
    assert flagged(here, visit("hall", "K2", "东华一村活动室", at, 60)) == {
        ("here", "same_credential_seconds", "hall"),
        ("hall", "same_credential_seconds", "here"),
    }
    assert flagged(here, visit("hall", "K2", "东华一村活动室", at + timedelta(seconds=1), 60)) == set()
    assert flagged(here, visit("again", "K1", "东华一村活动室", NINE + timedelta(seconds=10), 60)) == set()


def test_a_card_is_flagged_only_while_a_pass_is_in_use_and_names_the_newest() -> None:
    day = timedelta(days=1)
    old = PassSpan("P0000000001", format_time(NINE - 3 * day), format_time(NINE - day))
    new = PassSpan("P0000000002", format_time(NINE - day), None)
    card = visit("card", "K1", "东华一村活动室", NINE, 60, credential="card")
    assert flagged(card, passes=(old, new)) == {("card", "card_after_pass", "P0000000002")}
    assert flagged(card, passes=(old,)) == set()  # revoked before the check-in
    assert flagged(visit("early", "K1", "x", NINE - 2 * day, 60, credential="card"), passes=(new,)) == set()
    assert flagged(visit("pass", "K1", "x", NINE, 60, credential="pass"), passes=(new,)) == set()
    assert flagged(visit("face", "K1", "x", NINE, 60), passes=(new,)) == set()


def test_visits_with_too_many_check_ins_between_them_are_not_compared() -> None:
    crowd = [
        visit(f"v{n:02d}", f"K{n}", "东湖一村活动室", NINE + timedelta(seconds=n), 60)
        for n in range(NEIGHBOURS + 2)
    ]
    pairs = {(a, b) for a, signal, b in flagged(*crowd) if signal == "same_credential_seconds"}
    assert ("v00", f"v{NEIGHBOURS:02d}") in pairs and ("v00", f"v{NEIGHBOURS + 1:02d}") not in pairs
    assert len(pairs) == 2 * sum(min(NEIGHBOURS, len(crowd) - 1 - n) for n in range(len(crowd)))


def test_windows_merge_per_volunteer_when_they_overlap() -> None:
    facts = [
        VisitFact(
            str(n), "V1", "A1", None, "", "", format_time(NINE + timedelta(hours=hours)), None, "K1", 0, 1, ""
        )
        for n, hours in enumerate((80, 0, 30))
    ]
    windows = signal_windows(facts)
    assert windows == [
        ("V1", format_time(NINE - WINDOW), format_time(NINE + timedelta(hours=30) + WINDOW)),
        (
            "V1",
            format_time(NINE + timedelta(hours=80) - WINDOW),
            format_time(NINE + timedelta(hours=80) + WINDOW),
        ),
    ]


def test_the_dashboard_says_every_signal_in_both_languages_and_the_threshold_it_uses() -> None:
    words = json.loads(STRINGS.read_text(encoding="utf-8"))
    for language in ("zh", "en"):
        for kind in SignalKind:
            assert words[language][f"reason.{kind.value}"] and words[language][f"signal.{kind.value}"]
    minutes = SAME_CREDENTIAL_SECONDS // 60  # the reason's words name the threshold
    assert f"{minutes} 分钟" in words["zh"]["reason.same_credential_seconds"]
    assert f"{minutes} minutes" in words["en"]["reason.same_credential_seconds"]


KIOSKS = ("K1", "K2", "K3")
ACTIVITIES = ("A1", "A3", "A4")  # 东华一村活动室, 西山村活动室, and A4 at A1's venue
#: (kiosk, volunteer, activity, start, minutes to the check-out (None: none), the event undone if any,
#: what the check-in showed); starts in half minutes after 09:00: mostly within minutes or hours of each
#: other, some days apart.
scanned_visits = st.lists(
    st.tuples(
        st.sampled_from(KIOSKS),
        st.sampled_from(("V1", "V2")),
        st.sampled_from(ACTIVITIES),
        st.one_of(st.integers(0, 10), st.integers(0, 480), st.integers(0, 6 * 24 * 60)),
        st.one_of(st.none(), st.integers(1, 300)),
        st.sampled_from((None, None, "in", "out")),
        st.sampled_from((None, "card", "pass")),
    ),
    max_size=16,
)


def _city(folder: Path) -> Storage:
    store = CloudStore.open(folder / "cloud.db")
    seed_city(store, folder)
    with store.write() as writer:
        a1 = writer.row("activity", "A1")
        assert a1 is not None
        writer.upsert_activity(a1 | {"activity_id": "A4"})
    return store


def _signals(store: Storage) -> set[tuple[str, ...]]:
    with store.read() as reader:
        rows = reader._conn.execute("SELECT * FROM presence_signals").fetchall()
    return {tuple(row) for row in rows}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    visits=scanned_visits, batch_sizes=st.lists(st.integers(1, 4), min_size=1, max_size=8), order=st.randoms()
)
def test_signals_kept_push_by_push_are_the_signals_of_a_rebuild(
    visits: list[tuple[str, str, str, int, int | None, str | None, str | None]],
    batch_sizes: list[int],
    order: random.Random,
) -> None:
    kiosks = {kiosk_id: KioskEvents(kiosk_id) for kiosk_id in KIOSKS}
    pushes: list[tuple[str, list[dict[str, object]]]] = []
    for kiosk_id in KIOSKS:
        scans: list[tuple[datetime, str, str, str, bool, str | None]] = []
        for kiosk, volunteer, activity, half_minutes, minutes, undone, shown in visits:
            if kiosk == kiosk_id:
                start = NINE + timedelta(minutes=half_minutes / 2)
                scans.append((start, volunteer, activity, "in", undone == "in", shown))
                if minutes is not None:
                    out = start + timedelta(minutes=minutes)
                    scans.append((out, volunteer, activity, "out", undone == "out", shown))
        events: list[dict[str, object]] = []
        for at, volunteer, activity, action, undo, shown in sorted(scans, key=lambda scan: scan[:5]):
            event = kiosks[kiosk_id].event(volunteer, activity, action, at, credential=shown)  # in seq order
            events.append(event)
            if undo:
                events.append(
                    kiosks[kiosk_id].event(volunteer, activity, "undo", at, ref_event_id=event["event_id"])
                )
        while events:
            size = batch_sizes[len(pushes) % len(batch_sizes)]
            pushes.append((kiosk_id, events[:size]))
            events = events[size:]
    order.shuffle(pushes)  # kiosks sync in any order, and so do their batches
    # Two neighbours instead of eight: the limit is met by a handful of visits.
    with tempfile.TemporaryDirectory() as folder, mock.patch.object(presence_signals, "NEIGHBOURS", 2):
        store = _city(Path(folder))
        with store.write() as writer:  # V1's pass from the second day on; V2's ended after the first
            for pass_id, volunteer, created, revoked in (
                ("P0000000001", "V1", NINE + timedelta(days=1), None),
                ("P0000000002", "V2", NINE - timedelta(days=1), format_time(NINE + timedelta(days=1))),
            ):
                writer._conn.execute(
                    "INSERT INTO passes (pass_id, volunteer_id, public_key, created_utc, revoked_utc) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (pass_id, volunteer, "A" * 43 + "=", format_time(created), revoked),
                )
        try:
            for kiosk_id, batch in pushes:
                kiosks[kiosk_id].push(store, batch, NOON_ISH + timedelta(days=4))
            incremental = _signals(store)
            hypothesis.event(" ".join(sorted({row[1] for row in incremental})) or "no signal")
            with store.write() as writer:
                rebuild_all(writer)
            assert _signals(store) == incremental
        finally:
            store.close()
