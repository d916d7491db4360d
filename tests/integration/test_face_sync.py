"""Face templates through the real reference cloud over HTTP: three kiosks, two areas, real SQLite files.

Kiosks A and B are in area ``north``, C in ``south``. What a volunteer would
see go wrong is named in each assertion: a face enrolled at one venue not
recognised at the next one, a deleted face still recognised somewhere, or
face data readable where it must not be.
"""

from __future__ import annotations

import base64
import json
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import requests
from click.testing import CliRunner
from helpers.cloud_server import RunningCloud, running_cloud
from helpers.fakes import FakeClock
from helpers.fault_proxy import FaultPlan, fault_proxy

from kiosk.app import Kiosk, build_kiosk
from kiosk.cli.main import cli
from kiosk.config import DataDir, load_config
from kiosk.store.face_templates import area_key_path
from kiosk.sync.client import SyncClient
from kiosk.sync.reports import SyncReport
from kiosk.sync.transport import HttpTransport, Transport

MODEL = "dlib-resnet-v1"
COORDINATOR = "王老师 (c2)"


def descriptors(seed: int, count: int = 4) -> list[np.ndarray]:
    """Real-looking descriptors: random 128-vectors of length 1, float32."""
    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(count, 128)).astype(np.float32)
    return list(vectors / np.linalg.norm(vectors, axis=1, keepdims=True))


@dataclass
class Station:
    """A kiosk of the test and its sync client."""

    kiosk: Kiosk
    client: SyncClient

    @property
    def kiosk_id(self) -> str:
        return self.kiosk.kiosk_id

    @property
    def clock(self) -> FakeClock:
        assert isinstance(self.kiosk.clock, FakeClock)
        return self.kiosk.clock

    def enrol(self, volunteer_id: str, seed: int, count: int = 4) -> list[np.ndarray]:
        made = descriptors(seed, count)
        self.kiosk.face_enrolment.record_consent(volunteer_id, COORDINATOR)
        assert self.kiosk.face_enrolment.enrol(volunteer_id, made, COORDINATOR, MODEL) is None
        return made

    def gallery(self) -> dict[str, list[np.ndarray]]:
        found: dict[str, list[np.ndarray]] = {}
        for volunteer_id, descriptor in self.kiosk.face_enrolment.load_gallery(MODEL):
            found.setdefault(volunteer_id, []).append(descriptor)
        return found

    def sync(self) -> SyncReport:
        report = self.client.sync_once()
        assert report.ok, report.lines()
        return report

    def one(self, sql: str, *params: object) -> Any:
        return self.kiosk.store.writer.execute(sql, list(params)).fetchone()

    def files(self) -> bytes:
        """The database, its WAL and everything else in the data folder but the key files."""
        folder = self.kiosk.store.path.parent
        return b"".join(
            p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and p.suffix != ".key"
        )


@dataclass
class Venue:
    """The cloud and three registered kiosks: A and B in ``north``, C in ``south``."""

    cloud: RunningCloud
    a: Station
    b: Station
    c: Station

    def cloud_rows(self, sql: str, *params: object) -> list[tuple[Any, ...]]:
        """Rows read from the cloud's SQLite file directly, with a connection of the test's own."""
        conn = sqlite3.connect(self.cloud.data / "cloud.db")
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()

    def cloud_files(self) -> bytes:
        folder = self.cloud.data
        return b"".join(p.read_bytes() for p in sorted(folder.glob("cloud.db*")))


def _station(
    stack: ExitStack, folder: Path, cloud: RunningCloud, area: str, base_url: str | None = None
) -> Station:
    kiosk = build_kiosk(load_config(DataDir(folder, "cli"), env={}), clock=FakeClock())
    stack.callback(kiosk.close)
    transport = HttpTransport(base_url or cloud.base_url)
    stack.callback(transport.close)
    client = SyncClient(kiosk.store, kiosk.kiosk_id, kiosk.clock, transport)
    client.register(cloud.provision(area))
    return Station(kiosk, client)


@pytest.fixture
def venue(tmp_path: Path) -> Iterator[Venue]:
    with running_cloud(tmp_path / "cloud") as cloud, ExitStack() as stack:
        yield Venue(
            cloud,
            _station(stack, tmp_path / "A", cloud, "north"),
            _station(stack, tmp_path / "B", cloud, "north"),
            _station(stack, tmp_path / "C", cloud, "south"),
        )


def _same(got: list[np.ndarray], want: list[np.ndarray]) -> bool:
    key = lambda v: v.tobytes()  # noqa: E731 - order by bytes: the gallery's order is by template ID
    return len(got) == len(want) and all(
        np.allclose(g, w) for g, w in zip(sorted(got, key=key), sorted(want, key=key), strict=True)
    )


def test_an_enrolment_at_one_kiosk_is_known_at_the_others_of_its_area_only(venue: Venue) -> None:
    enrolled = venue.a.enrol("V1", seed=1)
    venue.a.sync()
    report_b, report_c = venue.b.sync(), venue.c.sync()

    assert _same(venue.b.gallery().get("V1", []), enrolled), "B must recognise V1 as A enrolled them"
    assert report_b.faces_changed and not report_c.faces_changed
    assert venue.c.gallery() == {}, "a kiosk of another area must receive no face data"
    assert venue.c.one("SELECT COUNT(*) FROM face_sync")[0] == 0
    consent = venue.b.kiosk.face_enrolment.consent("V1")
    assert consent is not None and consent.active
    assert (consent.coordinator, consent.origin_kiosk) == (COORDINATOR, venue.a.kiosk_id)
    assert venue.a.one("SELECT outcome FROM face_outbox")[0] == "accepted"
    assert venue.a.client.status().face_waiting == 0

    # A's own enrolment comes back in A's next pull and changes nothing there.
    before = venue.a.one("SELECT group_concat(template_id) FROM face_templates")
    venue.a.sync()
    assert venue.a.one("SELECT group_concat(template_id) FROM face_templates") == before
    assert _same(venue.a.gallery()["V1"], enrolled)

    rows = venue.cloud_rows("SELECT area_id, volunteer_id, kiosk_id, model_version FROM face_enrolments")
    assert rows == [("north", "V1", venue.a.kiosk_id, MODEL)]
    for where, data in (("cloud", venue.cloud_files()), ("A", venue.a.files()), ("B", venue.b.files())):
        for descriptor in enrolled:
            assert descriptor.tobytes()[:32] not in data, (
                f"a plaintext descriptor is readable in {where}'s files"
            )


def test_a_deletion_at_one_kiosk_removes_the_templates_everywhere(venue: Venue) -> None:
    venue.a.enrol("V1", seed=1)
    venue.a.enrol("V2", seed=2)
    venue.a.sync()
    venue.b.sync()
    stored = json.loads(
        venue.cloud_rows("SELECT templates FROM face_enrolments WHERE volunteer_id = 'V1'")[0][0]
    )

    assert venue.b.kiosk.face_enrolment.delete("V1", COORDINATOR) == 4
    venue.b.sync()
    venue.a.sync()

    for station in (venue.a, venue.b):
        assert set(station.gallery()) == {"V2"}, f"{station.kiosk_id} must no longer recognise V1"
        assert station.one("SELECT COUNT(*) FROM face_templates WHERE volunteer_id = 'V1'")[0] == 0
        consent = station.kiosk.face_enrolment.consent("V1")
        assert consent is not None and not consent.active, "the consent must be withdrawn everywhere"
    assert venue.cloud_rows("SELECT volunteer_id FROM face_enrolments") == [("V2",)]
    assert venue.cloud_rows("SELECT volunteer_id, kiosk_id FROM face_tombstones") == [
        ("V1", venue.b.kiosk_id)
    ]
    assert venue.a.one("SELECT COUNT(*) FROM face_outbox WHERE kind = 'deletion'")[0] == 0, (
        "a deletion received from the cloud must not be pushed back"
    )
    audit = venue.a.one("SELECT detail FROM audit_log WHERE action = 'face.deleted_elsewhere'")[0]
    assert json.loads(audit)["origin_kiosk"] == venue.b.kiosk_id
    cloud_bytes = venue.cloud_files()
    for template in stored:
        assert template["ciphertext"].encode() not in cloud_bytes, (
            "the deleted ciphertexts must be gone for real"
        )


def test_every_face_record_arrives_exactly_once_through_a_network_that_drops_requests(
    tmp_path: Path,
) -> None:
    weights = {"pass": 0.4, "drop_before": 0.3, "drop_after": 0.3}
    with running_cloud(tmp_path / "cloud") as cloud, ExitStack() as stack:
        proxy = stack.enter_context(fault_proxy(cloud.base_url, FaultPlan(weights, seed=3)))
        a = _station(stack, tmp_path / "A", cloud, "north")
        b = _station(stack, tmp_path / "B", cloud, "north")
        for station in (a, b):  # from now on both talk through the proxy
            transport = HttpTransport(proxy.url)
            stack.callback(transport.close)
            station.client = SyncClient(station.kiosk.store, station.kiosk_id, station.clock, transport)
        enrolled = {f"V{n}": a.enrol(f"V{n}", seed=n, count=3) for n in range(1, 25)}
        for n in range(1, 5):
            a.kiosk.face_enrolment.delete(f"V{n}", COORDINATOR)
            del enrolled[f"V{n}"]
        for station in (a, b, a, b):
            for _ in range(60):
                if station.client.sync_once().ok and station.client.status().face_waiting == 0:
                    break
            else:
                pytest.fail(f"sync did not finish through the faulty network: {proxy.counts}")
        assert proxy.counts["drop_after"] > 0 and proxy.counts["drop_before"] > 0

        gallery = b.gallery()
        assert sorted(gallery) == sorted(enrolled), "B must hold exactly the enrolments that were not deleted"
        assert all(_same(gallery[v], d) for v, d in enrolled.items())
        outcomes = dict(
            a.kiosk.store.writer.execute("SELECT outcome, COUNT(*) FROM face_outbox GROUP BY outcome")
        )
        assert sum(outcomes.values()) == 28 and set(outcomes) <= {"accepted", "duplicate", "replaced_here"}
        assert outcomes["replaced_here"] == 4, "an enrolment deleted before it was sent is never sent"
        with cloud.store.read() as reader:
            assert len(reader.face_enrolments_of("V5")) == 1 and reader.face_tombstone("V1") is not None


class RecordingTransport:
    """Passes requests on and keeps the bodies of face pushes."""

    def __init__(self, inner: HttpTransport) -> None:
        self.inner = inner
        self.base_url = inner.base_url
        self.face_bodies: list[dict[str, Any]] = []

    def get_json(
        self, path: str, *, params: Mapping[str, str | int] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        return self.inner.get_json(path, params=params, token=token)

    def post_json(self, path: str, body: Mapping[str, Any], *, token: str | None = None) -> dict[str, Any]:
        if path == "/face":
            self.face_bodies.append(json.loads(json.dumps(body)))
        return self.inner.post_json(path, body, token=token)


def _recorded_push(station: Station) -> tuple[dict[str, Any], dict[str, str]]:
    transport: Transport = station.client.transport
    assert isinstance(transport, HttpTransport)
    recorder = RecordingTransport(transport)
    client = SyncClient(station.kiosk.store, station.kiosk_id, station.clock, recorder)
    assert client.push_faces().error is None
    token = station.kiosk.store.writer.execute(
        "SELECT value FROM sync_state WHERE key = 'device_secret'"
    ).fetchone()[0]
    return recorder.face_bodies[-1], {"Authorization": f"Bearer {station.kiosk_id}.{token}"}


def test_a_replayed_push_changes_nothing_and_a_tampered_one_is_refused(venue: Venue) -> None:
    venue.a.enrol("V1", seed=1)
    body, headers = _recorded_push(venue.a)
    counts = venue.cloud.store.table_counts()
    log = venue.cloud_rows("SELECT MAX(change_id) FROM changes")

    replay = requests.post(f"{venue.cloud.api_url}/face", json=body, headers=headers, timeout=10)
    assert replay.status_code == 200 and replay.json()["duplicate"] == [body["records"][0]["record_id"]]
    assert (
        venue.cloud.store.table_counts() == counts
        and venue.cloud_rows("SELECT MAX(change_id) FROM changes") == log
    )

    tampered = json.loads(json.dumps(body))
    record = tampered["records"][0]
    record["record_id"], record["volunteer_id"] = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "V9"
    reply = requests.post(f"{venue.cloud.api_url}/face", json=tampered, headers=headers, timeout=10).json()
    assert reply["rejected"] == [{"record_id": record["record_id"], "reason": "undecryptable"}], (
        "templates moved to another volunteer must not open"
    )
    foreign = json.loads(json.dumps(body))
    foreign["records"][0]["kiosk_id"] = venue.b.kiosk_id
    reply = requests.post(f"{venue.cloud.api_url}/face", json=foreign, headers=headers, timeout=10).json()
    assert reply["rejected"][0]["reason"] == "wrong_kiosk"
    after = venue.cloud.store.table_counts()
    assert {**after, "changes": 0} == {**counts, "changes": 0}, "a refused record stores nothing"


def test_a_ciphertext_changed_in_the_cloud_is_refused_for_that_record_only(venue: Venue) -> None:
    venue.a.enrol("V1", seed=1)
    kept = venue.a.enrol("V2", seed=2)
    venue.a.sync()
    conn = sqlite3.connect(venue.cloud.data / "cloud.db")
    with conn:
        (text,) = conn.execute("SELECT templates FROM face_enrolments WHERE volunteer_id = 'V1'").fetchone()
        templates = json.loads(text)
        sealed = bytearray(base64.b64decode(templates[0]["ciphertext"]))
        sealed[5] ^= 1
        templates[0]["ciphertext"] = base64.b64encode(bytes(sealed)).decode()
        conn.execute(
            "UPDATE face_enrolments SET templates = ? WHERE volunteer_id = 'V1'", (json.dumps(templates),)
        )
    conn.close()

    report = venue.b.client.sync_once()
    assert report.pull is not None and len(report.pull.problems) == 1 and "V1" in report.pull.problems[0]
    assert set(venue.b.gallery()) == {"V2"} and _same(venue.b.gallery()["V2"], kept)
    assert venue.b.kiosk.face_enrolment.consent("V1") is None, "nothing of the refused record may be stored"


def test_an_old_enrolment_arriving_after_a_newer_deletion_does_not_bring_the_face_back(venue: Venue) -> None:
    venue.b.clock.advance(3600)  # B deletes an hour after A enrolled (no clock offset measured: device times)
    venue.a.enrol("V1", seed=1)
    venue.b.kiosk.face_enrolment.delete("V1", COORDINATOR)
    assert venue.b.client.push_faces().accepted == 1
    late = venue.a.client.push_faces()
    assert (late.accepted, late.superseded) == (0, 1), "the older enrolment must lose to the newer deletion"
    assert venue.cloud_rows("SELECT COUNT(*) FROM face_enrolments") == [(0,)]

    assert venue.a.client.pull().faces_changed
    assert venue.a.gallery() == {}, "A must forget the face the volunteer asked to delete"
    consent = venue.a.kiosk.face_enrolment.consent("V1")
    assert consent is not None and not consent.active


def test_consenting_again_after_a_deletion_brings_the_new_enrolment_everywhere(venue: Venue) -> None:
    venue.a.enrol("V1", seed=1)
    venue.a.sync()
    venue.b.sync()
    venue.b.kiosk.face_enrolment.delete("V1", COORDINATOR)
    venue.b.sync()
    venue.a.sync()
    assert venue.a.gallery() == {}

    again = venue.a.enrol("V1", seed=11)  # made knowing the deletion: it names it and wins
    venue.a.sync()
    venue.b.sync()
    assert _same(venue.b.gallery()["V1"], again)
    assert venue.cloud_rows("SELECT COUNT(*) FROM face_enrolments") == [(1,)]

    # C (another area) never heard of the deletion; its enrolment, later by the corrected clock, stands too.
    venue.c.clock.advance(timedelta(days=1).total_seconds())
    venue.c.enrol("V1", seed=21)
    venue.c.sync()
    assert venue.cloud_rows("SELECT area_id FROM face_enrolments ORDER BY area_id") == [
        ("north",),
        ("south",),
    ]


def test_a_kiosk_registered_before_face_keys_fetches_its_area_key(venue: Venue) -> None:
    path = area_key_path(venue.b.kiosk.store.path)
    key = path.read_bytes()
    path.unlink()
    enrolled = venue.a.enrol("V1", seed=1)
    venue.a.sync()
    venue.b.sync()
    assert path.read_bytes() == key and path.stat().st_mode & 0o077 == 0
    assert _same(venue.b.gallery()["V1"], enrolled)
    assert area_key_path(venue.c.kiosk.store.path).read_bytes() != key, "each area has its own key"


def test_a_kiosk_whose_own_record_is_refused_catches_up_with_what_it_held_back(venue: Venue) -> None:
    venue.a.enrol("V1", seed=1)
    venue.a.sync()
    venue.b.sync()
    venue.a.kiosk.face_enrolment.delete("V1", COORDINATOR)
    venue.a.sync()
    # B enrols V1 again with a model the platform does not know, and pulls before it pushes.
    venue.b.kiosk.face_enrolment.record_consent("V1", COORDINATOR)
    assert venue.b.kiosk.face_enrolment.enrol("V1", descriptors(5), COORDINATOR, "future-model-v9") is None
    assert not venue.b.client.pull().faces_changed, "the deletion waits while B's own record does"
    refused = venue.b.client.push_faces()
    assert refused.rejected == [
        (
            venue.b.one("SELECT record_id FROM face_outbox WHERE rejected_reason IS NOT NULL")[0],
            "unknown_model",
        )
    ]
    assert venue.b.client.pull().faces_changed
    assert venue.b.one("SELECT COUNT(*) FROM face_templates")[0] == 0, (
        "B must follow the deletion the cloud holds"
    )
    assert venue.b.client.status().face_rejected == 1


def test_kiosk_sync_carries_face_records_and_sync_status_counts_them(tmp_path: Path) -> None:
    data = tmp_path / "kiosk"

    def kiosk_cli(*args: str) -> str:
        result = CliRunner().invoke(cli, ["--data", str(data), *args])
        assert result.exit_code == 0, result.output
        return result.output

    with running_cloud(tmp_path / "cloud") as cloud:
        kiosk_cli("register", cloud.provision("north"), "--server", cloud.base_url)
        kiosk = build_kiosk(load_config(DataDir(data, "cli"), env={}), clock=FakeClock())
        try:
            Station(
                kiosk, SyncClient(kiosk.store, kiosk.kiosk_id, kiosk.clock, HttpTransport(cloud.base_url))
            ).enrol("V1", seed=1)
        finally:
            kiosk.close()
        assert "face records waiting  1" in kiosk_cli("sync-status")
        out = kiosk_cli("sync")
        assert "face data: sent 1 face record" in out and "Sync done." in out
        assert "face records waiting  0" in kiosk_cli("sync-status")
        assert venue_rows(cloud, "SELECT volunteer_id FROM face_enrolments") == [("V1",)]


def venue_rows(cloud: RunningCloud, sql: str) -> list[tuple[Any, ...]]:
    with cloud.store.read() as reader:
        return [tuple(r) for r in reader._conn.execute(sql).fetchall()]
