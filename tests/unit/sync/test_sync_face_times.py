"""Face record times on the kiosk: records dated ahead of the platform are refused, the kiosk's own are never sent so.

What a volunteer would see go wrong: a face that comes back after they asked
for it to be deleted, because a record claimed a time that had not come yet.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pytest
from helpers.fakes import AREA_KEY, KIOSK_ID, FakeClock

from checkin_protocol.face_records import seal_template
from kiosk.services.face_enrolment import FaceEnrolment
from kiosk.store import face_sync
from kiosk.store import sync_state as state
from kiosk.store.database import Store
from kiosk.store.face_templates import load_face_key
from kiosk.sync.client import SyncClient
from kiosk.sync.face_push import build_batch
from kiosk.sync.pull import Change, ChangesPage, apply_page

MODEL = "dlib-resnet-v1"
COORDINATOR = "王老师 (c2)"
START = datetime(2026, 11, 29, 1, 0, tzinfo=UTC)  # FakeClock's start
PAGE_TIME = "2026-11-29T02:00:00.000+00:00"
FAR = "9999-12-31T23:00:00.000+00:00"


def stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


def _descriptors(seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.normal(0, 0.1, 128).astype(np.float32) for _ in range(3)]


def _enrolment(volunteer_id: str, enrolled: str, consented: str) -> Change:
    data: dict[str, Any] = {
        "record_id": str(uuid.uuid4()),
        "volunteer_id": volunteer_id,
        "origin_kiosk": "KOTHER",
        "model_version": MODEL,
        "enrolled_utc": enrolled,
        "consent": {"consented_utc": consented, "coordinator": "李老师", "notice_version": "2026-11"},
        "templates": [
            seal_template(AREA_KEY, str(uuid.uuid4()), volunteer_id, MODEL, d.tobytes())
            for d in _descriptors(3)
        ],
    }
    return Change("face_enrolment", "upsert", volunteer_id, data)


def _deletion(volunteer_id: str, deleted: str) -> Change:
    data = {
        "record_id": str(uuid.uuid4()),
        "volunteer_id": volunteer_id,
        "origin_kiosk": "KOTHER",
        "deleted_utc": deleted,
    }
    return Change("face_deletion", "upsert", volunteer_id, data)


def _apply(store: Store, *changes: Change, server_time: str | None = PAGE_TIME) -> Any:
    return apply_page(store, ChangesPage(tuple(changes), "c1", False, server_time), START, KIOSK_ID)


def _enrol(faces: FaceEnrolment, volunteer_id: str) -> None:
    faces.record_consent(volunteer_id, COORDINATOR)
    assert faces.enrol(volunteer_id, _descriptors(1), COORDINATOR, MODEL) is None


def _settle_all(store: Store) -> None:
    with store.write() as db:
        face_sync.settle(db, {r.record_id: "accepted" for r in face_sync.pending_records(db, 10)}, "b", START)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (_enrolment("V1", FAR, "2026-11-29T01:59:00.000+00:00"), "invalid:enrolled_utc"),
        (
            _enrolment("V1", "2026-11-29T02:09:00.000+00:00", "2026-11-29T02:11:00.000+00:00"),
            "invalid:consent",
        ),
        (_deletion("V1", FAR), "invalid:deleted_utc"),
    ],
    ids=["enrolled in 9999", "consented 11 minutes after the page", "deleted in 9999"],
)
def test_a_received_record_dated_beyond_the_page_and_the_tolerance_is_refused_and_changes_nothing(
    faces: FaceEnrolment, area_store: Store, change: Change, reason: str
) -> None:
    _enrol(faces, "V1")
    _settle_all(area_store)
    held = face_sync.current_record(area_store.writer, "V1")
    result = _apply(area_store, change)
    assert len(result.problems) == 1 and reason in result.problems[0], result.problems
    assert face_sync.current_record(area_store.writer, "V1") == held
    assert [v for v, _ in faces.load_gallery(MODEL)] == ["V1"] * 3
    consent = faces.consent("V1")
    assert consent is not None and consent.active and consent.origin_kiosk is None


def test_a_record_within_the_tolerance_is_applied_and_without_a_page_time_the_kiosk_clock_counts(
    faces: FaceEnrolment, area_store: Store
) -> None:
    within = _enrolment("V1", "2026-11-29T02:09:00.000+00:00", "2026-11-29T02:08:00.000+00:00")
    assert _apply(area_store, within).problems == []
    # No server time on the page: the kiosk's clock (START, no offset measured) plus the tolerance.
    late = _enrolment("V2", "2026-11-29T01:11:00.000+00:00", "2026-11-29T01:00:00.000+00:00")
    (problem,) = _apply(area_store, late, server_time=None).problems
    assert "invalid:enrolled_utc" in problem
    with area_store.write() as db:
        state.set_value(db, state.CLOCK_OFFSET_S, "3600.0")  # the kiosk is an hour slow, and knows it
    assert _apply(area_store, late, server_time=None).problems == []


def test_a_received_deletion_withdraws_every_consent_of_the_volunteer(
    faces: FaceEnrolment, area_store: Store, clock: FakeClock
) -> None:
    clock.advance(3600)  # the consent here is recorded after the deletion was made elsewhere
    faces.record_consent("V1", COORDINATOR)
    result = _apply(area_store, _deletion("V1", "2026-11-29T01:30:00.000+00:00"))
    assert result.problems == []
    consent = faces.consent("V1")
    assert consent is not None and not consent.active, (
        "a consent given before this kiosk heard of the deletion must be asked for again"
    )
    assert faces.enrol("V1", _descriptors(2), COORDINATOR, MODEL) == "no_consent"


def test_received_times_are_kept_on_this_kiosks_clock(faces: FaceEnrolment, area_store: Store) -> None:
    with area_store.write() as db:
        state.set_value(db, state.CLOCK_OFFSET_S, "-3600.0")  # this kiosk is an hour fast
    change = _enrolment("V1", "2026-11-29T01:50:00.000+00:00", "2026-11-29T01:49:00.000+00:00")
    assert _apply(area_store, change).problems == []
    consent = faces.consent("V1")
    assert consent is not None and consent.consented_utc == "2026-11-29T02:49:00.000+00:00", (
        "a consent sent on again from here must not be corrected twice"
    )


def test_a_deletion_dated_after_the_kiosks_clock_is_sent_dated_now_and_stays_so(
    faces: FaceEnrolment, area_store: Store, clock: FakeClock
) -> None:
    faces.delete("V1", COORDINATOR)
    made = clock.now().wall_utc
    clock.jump_wall(-2 * 3600)  # the clock was two hours fast, and is put right before the push
    now = clock.now().wall_utc
    with area_store.write() as db:
        (record,) = build_batch(db, load_face_key(area_store.path, create=False), KIOSK_ID, AREA_KEY, now)
    assert record["deleted_utc"] == stamp(now) != stamp(made), "a deletion must never be refused for its time"
    clock.advance(60)
    with area_store.write() as db:
        (again,) = build_batch(db, None, KIOSK_ID, AREA_KEY, clock.now().wall_utc)
    assert again == record, "sent again (a lost reply), the deletion must be the same record"


class TimeOnly:
    """A transport that answers ``GET /time`` with the server's time the test sets."""

    base_url = "http://cloud.test"

    def __init__(self) -> None:
        self.server_time = START

    def get_json(
        self, path: str, *, params: Mapping[str, str | int] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        assert path == "/time"
        return {"server_time": stamp(self.server_time), "protocol": 1}

    def post_json(self, path: str, body: Mapping[str, Any], *, token: str | None = None) -> dict[str, Any]:
        raise AssertionError(path)


def test_a_clock_set_back_moves_the_waiting_records_and_the_consents_back_with_it(
    faces: FaceEnrolment, area_store: Store, clock: FakeClock
) -> None:
    transport = TimeOnly()
    client = SyncClient(area_store, KIOSK_ID, clock, transport)
    assert client.measure_clock() == 0.0
    _enrol(faces, "V1")  # consent and enrolment at START on a right clock
    clock.jump_wall(-3 * 3600)  # then someone sets the clock three hours back
    clock.advance(60)
    transport.server_time = START + timedelta(seconds=60)
    assert client.measure_clock() == 3 * 3600.0
    (pending,) = face_sync.pending_records(area_store.writer, 10)
    consent = faces.consent("V1")
    assert consent is not None
    on_new_clock = stamp(START - timedelta(hours=3))
    assert (pending.at_utc, consent.consented_utc) == (on_new_clock, on_new_clock), (
        "corrected by the new offset, the enrolment must not look three hours newer than it is"
    )
    clock.jump_wall(3600)  # set forward: the records only look older, nothing moves
    clock.advance(1)
    transport.server_time += timedelta(seconds=1)
    client.measure_clock()
    assert face_sync.pending_records(area_store.writer, 10)[0].at_utc == on_new_clock
