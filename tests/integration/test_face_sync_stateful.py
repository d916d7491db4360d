"""A hypothesis state machine: face enrolments and deletions between kiosks of two areas and the real cloud.

The cloud and the kiosks run on one world clock the machine moves; a
kiosk's clock is the world's plus a skew that a rule sets (days either way,
or thirty years ahead), measured at each sync as a real kiosk measures it.
Kiosks N1 and N2 are in one area, S1 in another; beside them, in each area,
someone holding a kiosk's credentials pushes records of their own making:
enrolments dated in the year 9999 or a few minutes ahead, deletions with
``replaces: null`` dated in the past, now or in 9999.

Invariant (after every step): once the cloud accepted a deletion of a
volunteer, the cloud serves no enrolment of theirs, and no kiosk that synced
since holds a template of theirs, unless it comes from a consent given after
that deletion was accepted (a later step of the machine).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from helpers.cloud_server import RunningCloud
from helpers.face_cloud import FaceDevice, MovingClock, verdicts
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from checkin_protocol.models import ClockReading
from kiosk.services.face_enrolment import FaceEnrolment
from kiosk.store import face_sync
from kiosk.store.database import Store, open_store
from kiosk.sync.client import SyncClient
from kiosk.sync.transport import HttpTransport

MODEL = "dlib-resnet-v1"
COORDINATOR = "王老师 (c2)"
START = datetime(2026, 11, 29, 1, 0, tzinfo=UTC)
FAR = datetime(9999, 12, 31, 23, 0, tzinfo=UTC)
KIOSKS = ("N1", "N2", "S1")  # the last letter but one names the area
SKEWS = st.one_of(st.integers(-72, 72).map(lambda h: timedelta(hours=h)), st.just(timedelta(days=30 * 365)))


@dataclass
class SkewedClock:
    """A kiosk's clocks: the world's time plus the skew a rule set (the monotonic clock never skews)."""

    world: MovingClock
    skew: timedelta = timedelta(0)

    def now(self) -> ClockReading:
        elapsed = self.world.now - START
        return ClockReading(self.world.now + self.skew, 480, int(elapsed.total_seconds() * 1e9), "boot-1")


class Station:
    """A kiosk with its own data folder, registered with the cloud in ``area``."""

    def __init__(
        self, folder: Path, kiosk_id: str, area: str, cloud: RunningCloud, world: MovingClock
    ) -> None:
        self.kiosk_id = kiosk_id
        self.clock = SkewedClock(world)
        self.store: Store = open_store(folder / kiosk_id / "kiosk.db")
        self.faces = FaceEnrolment(self.store, kiosk_id, self.clock)
        self.transport = HttpTransport(cloud.base_url)
        self.client = SyncClient(self.store, kiosk_id, self.clock, self.transport)
        self.client.register(cloud.provision(area))
        self.synced_at = -1  # the step of the last sync round that fully succeeded

    def templates_of(self, volunteer_id: str) -> int:
        row = self.store.writer.execute(
            "SELECT COUNT(*) FROM face_templates WHERE volunteer_id = ?", [volunteer_id]
        )
        return int(row.fetchone()[0])

    def close(self) -> None:
        self.transport.close()
        self.store.close()


class FaceDeletionsEverywhere(RuleBasedStateMachine):
    cloud: RunningCloud
    world: MovingClock
    folder: Path
    run = 0

    @initialize()
    def start(self) -> None:
        run = type(self).run
        type(self).run += 1
        areas = {"N": f"north{run}", "S": f"south{run}"}
        self.stations = [
            Station(self.folder, f"F{run}{name}", areas[name[0]], self.cloud, self.world) for name in KIOSKS
        ]
        self.forgers = {
            letter: FaceDevice(self.cloud, f"F{run}X{letter}", area) for letter, area in areas.items()
        }
        self.volunteers = [f"V{run}x{n}" for n in range(2)]
        self.step = 0
        # (kiosk, volunteer) -> the step of the consent given there / received with an enrolment there
        self.local_consent: dict[tuple[int, str], int] = {}
        self.copied_consent: dict[tuple[int, str], int] = {}
        # enrolment record ID -> the step of the consent it carries
        self.consent_step: dict[str, int] = {}
        # volunteer -> the step at which the cloud accepted their latest deletion
        self.deleted_at: dict[str, int] = {}
        self.accepted_deletions: set[str] = set()  # the kiosks' deletions the cloud accepted
        for k in range(len(self.stations)):
            self.sync(k)  # a first measurement of each clock (records made before one are not corrected)

    def teardown(self) -> None:
        if not hasattr(self, "stations"):
            return
        for _ in range(2):
            for k in range(len(self.stations)):
                self.sync(k)
                assert self.stations[k].synced_at == self.step, "every kiosk must end in sync"
                self.only_newer_consents_after_a_deletion()
        for station in self.stations:
            station.close()

    def _tick(self) -> int:
        self.step += 1
        return self.step

    # -- time ------------------------------------------------------------------------------------

    @rule(seconds=st.sampled_from([1, 59, 600, 3600, 4 * 3600]))
    def time_passes(self, seconds: int) -> None:
        self._tick()
        self.world.advance(seconds)

    @rule(k=st.integers(0, 2), skew=SKEWS)
    def clock_is_set(self, k: int, skew: timedelta) -> None:
        self._tick()
        self.stations[k].clock.skew = skew

    # -- at the desk -------------------------------------------------------------------------------

    @rule(k=st.integers(0, 2), v=st.integers(0, 1), seed=st.integers(0, 2**16))
    def consent_and_enrol(self, k: int, v: int, seed: int) -> None:
        step, volunteer = self._tick(), self.volunteers[v]
        self.stations[k].faces.record_consent(volunteer, COORDINATOR)
        self.local_consent[(k, volunteer)] = step
        self._enrol(k, volunteer, seed)

    @rule(k=st.integers(0, 2), v=st.integers(0, 1), seed=st.integers(0, 2**16))
    def enrol_again_on_the_consent_held(self, k: int, v: int, seed: int) -> None:
        """The coordinator captures again without asking: the consent held may be one the volunteer withdrew elsewhere."""
        self._tick()
        self._enrol(k, self.volunteers[v], seed)

    def _enrol(self, k: int, volunteer: str, seed: int) -> None:
        station = self.stations[k]
        consent = station.faces.consent(volunteer)
        # each volunteer's own faces: two volunteers never share a face (that enrolment would be stopped)
        rng = np.random.default_rng([seed, self.volunteers.index(volunteer)])
        vectors = rng.normal(size=(3, 128)).astype(np.float32)
        refusal = station.faces.enrol(volunteer, list(vectors), COORDINATOR, MODEL)
        if consent is None or not consent.active:
            assert refusal == "no_consent"
            return
        assert refusal is None
        mark = face_sync.current_record(station.store.writer, volunteer)
        assert mark is not None and mark.origin_kiosk is None
        held = self.local_consent if consent.origin_kiosk is None else self.copied_consent
        self.consent_step[mark.record_id] = held[(k, volunteer)]

    @rule(k=st.integers(0, 2), v=st.integers(0, 1))
    def delete(self, k: int, v: int) -> None:
        self._tick()
        self.stations[k].faces.delete(self.volunteers[v], COORDINATOR)

    # -- the network -------------------------------------------------------------------------------

    @rule(k=st.integers(0, 2))
    def sync(self, k: int) -> None:
        step, station = self._tick(), self.stations[k]
        report = station.client.sync_once()
        if report.ok:
            station.synced_at = step
        db = station.store.writer
        for record_id, volunteer in db.execute(
            "SELECT record_id, volunteer_id FROM face_outbox WHERE kind = 'deletion' AND outcome = 'accepted'"
        ):
            if record_id not in self.accepted_deletions:  # accepted in this round
                self.accepted_deletions.add(record_id)
                self.deleted_at[volunteer] = step
        for volunteer in self.volunteers:
            mark = face_sync.current_record(db, volunteer)
            if mark is not None and mark.kind == face_sync.ENROLMENT and mark.origin_kiosk is not None:
                assert mark.record_id in self.consent_step, (
                    f"{station.kiosk_id} took an enrolment nobody made"
                )
                self.copied_consent[(k, volunteer)] = self.consent_step[mark.record_id]

    @rule()
    def everyone_syncs(self) -> None:
        for k in range(len(self.stations)):
            self.sync(k)

    @rule(area=st.sampled_from("NS"), v=st.integers(0, 1), minutes_ahead=st.sampled_from([1, 9, None]))
    def forged_enrolment(self, area: str, v: int, minutes_ahead: int | None) -> None:
        """An enrolment pushed with a kiosk's credentials, a few minutes ahead (within the tolerance) or in 9999."""
        step, forger, volunteer = self._tick(), self.forgers[area], self.volunteers[v]
        at = FAR if minutes_ahead is None else self.world.now + timedelta(minutes=minutes_ahead)
        record = forger.enrolment(volunteer, at, consented=at - timedelta(minutes=1))
        verdict = verdicts(forger.push(record))[record["record_id"]]
        if minutes_ahead is None:
            assert verdict == "invalid:enrolled_utc", "an enrolment dated in 9999 must be refused"
        elif verdict == "accepted":
            self.consent_step[record["record_id"]] = step

    @rule(area=st.sampled_from("NS"), v=st.integers(0, 1), hours_ago=st.sampled_from([0, 30, None]))
    def forged_deletion(self, area: str, v: int, hours_ago: int | None) -> None:
        """A deletion with ``replaces: null`` from an area, dated now, long ago (a kiosk long offline) or in 9999."""
        step, forger, volunteer = self._tick(), self.forgers[area], self.volunteers[v]
        at = FAR if hours_ago is None else self.world.now - timedelta(hours=hours_ago)
        record = forger.deletion(volunteer, at)
        verdict = verdicts(forger.push(record))[record["record_id"]]
        if hours_ago is None:
            assert verdict == "invalid:deleted_utc", "a deletion dated in 9999 must be refused"
        else:
            assert verdict == "accepted", "a deletion must always take"
            self.deleted_at[volunteer] = step

    # -- what must hold ----------------------------------------------------------------------------

    @precondition(lambda self: hasattr(self, "stations"))
    @invariant()
    def only_newer_consents_after_a_deletion(self) -> None:
        for volunteer, deleted in self.deleted_at.items():
            with self.cloud.store.read() as reader:
                served = [row.record_id for row in reader.face_enrolments_of(volunteer)]
            for record_id in served:
                assert self.consent_step.get(record_id, -1) > deleted, (
                    f"the cloud still serves an enrolment of {volunteer} older than their deletion"
                )
            for station in self.stations:
                if station.synced_at <= deleted or station.templates_of(volunteer) == 0:
                    continue
                mark = face_sync.current_record(station.store.writer, volunteer)
                assert mark is not None and mark.kind == face_sync.ENROLMENT
                assert self.consent_step.get(mark.record_id, -1) > deleted, (
                    f"{station.kiosk_id} still recognises {volunteer}, who asked for their face to be deleted"
                )


@pytest.fixture(scope="module")
def cloud_clock() -> MovingClock:
    return MovingClock(START)


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_after_a_deletion_no_kiosk_of_any_area_holds_or_pulls_the_face_until_a_newer_consent(
    cloud: RunningCloud, cloud_clock: MovingClock, tmp_path: Path
) -> None:
    FaceDeletionsEverywhere.cloud = cloud
    FaceDeletionsEverywhere.world = cloud_clock
    FaceDeletionsEverywhere.folder = tmp_path
    run_state_machine_as_test(
        FaceDeletionsEverywhere,
        settings=settings(
            max_examples=15,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
