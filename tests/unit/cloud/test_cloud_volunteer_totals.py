"""Each volunteer's platform total of service travels with the volunteer in the changes kiosks pull (issue 18)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from helpers.cloud_server import RunningCloud
from helpers.face_cloud import MovingClock

from checkin_protocol.bundle_files import parse_bundle
from checkin_protocol.sealed import x25519_public_b64
from cloud.bundles import export_changes
from cloud.ingest import ingest
from cloud.instance import CloudInstance
from cloud.protocol import PushRequest, format_time
from cloud.queries import DeviceRow

NOW = datetime(2026, 3, 12, 8, 0, tzinfo=UTC)
WALL = datetime(2026, 3, 12, 0, 30, tzinfo=UTC)
ROSTER = "volunteer_id,name,org_id,org_name,org_level\nV1,雷彩霞,ORG-1,城关镇,township\nV2,王芳,ORG-1,城关镇,township\n"
VISIT_S = 2 * 3600 + 15 * 60  # a check-in and a check-out 2 h 15 min apart


@pytest.fixture
def cloud_clock() -> MovingClock:
    return MovingClock(NOW)


def event(kiosk: str, seq: int, action: str, at: datetime, volunteer: str = "V1") -> dict[str, Any]:
    return {
        "event_id": str(uuid.uuid4()),
        "kiosk_id": kiosk,
        "seq": seq,
        "volunteer_id": volunteer,
        "activity_id": "A2026-0312",
        "action": action,
        "method": "qr",
        "wall_utc": at.isoformat(timespec="milliseconds"),
        "utc_offset_min": 480,
        "monotonic_ns": int((at - WALL).total_seconds() * 1e9) + 1,
        "boot_id": f"boot-{kiosk}",
        "ref_event_id": None,
        "auto_closed": False,
        "credit_seconds": None,
        "actor": None,
    }


def batch(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "batch_id": str(uuid.uuid4()),
        "sent_at_device": events[-1]["wall_utc"],
        "clock_offset_s": 0.0,
        "events": events,
    }


def visit(kiosk: str, first_seq: int, start: datetime, seconds: int, volunteer: str = "V1") -> dict[str, Any]:
    """A batch of one check-in and its check-out ``seconds`` later."""
    out_at = start + timedelta(seconds=seconds)
    return batch(
        [
            event(kiosk, first_seq, "in", start, volunteer),
            event(kiosk, first_seq + 1, "out", out_at, volunteer),
        ]
    )


def push(cloud: RunningCloud, auth: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    reply = requests.post(f"{cloud.api_url}/events", json=body, headers=auth, timeout=10)
    assert reply.status_code == 200, reply.text
    return dict(reply.json())


def pull_all(
    cloud: RunningCloud, auth: dict[str, str], cursor: str | None
) -> tuple[list[dict[str, Any]], str]:
    changes: list[dict[str, Any]] = []
    while True:
        params: dict[str, Any] = {"limit": 1000} if cursor is None else {"limit": 1000, "cursor": cursor}
        reply = requests.get(f"{cloud.api_url}/changes", params=params, headers=auth, timeout=10)
        assert reply.status_code == 200, reply.text
        page = reply.json()
        changes += page["changes"]
        cursor = page["next_cursor"]
        if not page["more"]:
            return changes, cursor


def volunteer_changes(changes: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {c["key"]: c for c in changes if c["kind"] == "volunteer"}


def import_roster(cloud: RunningCloud, folder: Path, text: str = ROSTER) -> None:
    path = folder / "roster.csv"
    path.write_text(text, encoding="utf-8")
    assert cloud.store.import_roster(path).imported


def test_a_new_volunteer_comes_with_total_zero_never_computed_and_one_log_entry(
    cloud: RunningCloud, tmp_path: Path
) -> None:
    auth = cloud.register("K0000000T01")
    import_roster(cloud, tmp_path)
    changes, _ = pull_all(cloud, auth, None)
    pulled = volunteer_changes(changes)
    assert pulled["V1"]["data"] == {
        "volunteer_id": "V1",
        "name": "雷彩霞",
        "phone": None,
        "org_id": "ORG-1",
        "active": True,
        "total_seconds": 0,
        "total_computed_utc": None,
    }
    with cloud.store.read() as reader:
        logged = reader._conn.execute("SELECT count(*) FROM changes WHERE kind = 'volunteer'").fetchone()[0]
    assert logged == 2  # the roster's entries only: totals cost a fresh platform nothing


def test_after_pushes_from_two_kiosks_the_next_pull_carries_the_new_total_and_a_later_time(
    cloud: RunningCloud, cloud_clock: MovingClock, tmp_path: Path
) -> None:
    import_roster(cloud, tmp_path)
    first, second = cloud.register("K0000000T02"), cloud.register("K0000000T03")
    _, cursor = pull_all(cloud, first, None)

    cloud_clock.advance(60)
    assert len(push(cloud, first, visit("K0000000T02", 1, WALL, VISIT_S))["accepted"]) == 2
    pushed_at = cloud_clock()
    changes, cursor = pull_all(cloud, first, cursor)
    assert [(c["kind"], c["key"]) for c in changes] == [("volunteer", "V1")]
    data = changes[0]["data"]
    assert (data["total_seconds"], data["total_computed_utc"]) == (VISIT_S, format_time(pushed_at))
    assert data["name"] == "雷彩霞" and data["active"] is True

    cloud_clock.advance(3600)
    push(cloud, second, visit("K0000000T03", 1, WALL + timedelta(hours=4), 3600))
    changes, cursor = pull_all(cloud, first, cursor)
    data = volunteer_changes(changes)["V1"]["data"]
    assert data["total_seconds"] == VISIT_S + 3600
    assert data["total_computed_utc"] == format_time(cloud_clock()) > format_time(pushed_at)

    # A kiosk set up now pulls each volunteer once, V1 with its total, V2 with none.
    fresh, _ = pull_all(cloud, cloud.register("K0000000T04"), None)
    assert [c["key"] for c in fresh if c["kind"] == "volunteer"] == ["V2", "V1"]
    assert volunteer_changes(fresh)["V1"]["data"]["total_seconds"] == VISIT_S + 3600
    assert volunteer_changes(fresh)["V2"]["data"]["total_seconds"] == 0


def test_a_check_in_alone_logs_nothing_and_a_repeated_push_changes_nothing(
    cloud: RunningCloud, cloud_clock: MovingClock, tmp_path: Path
) -> None:
    import_roster(cloud, tmp_path)
    auth = cloud.register("K0000000T05")
    body = visit("K0000000T05", 1, WALL, 1800)
    push(cloud, auth, body)
    _, cursor = pull_all(cloud, auth, None)

    cloud_clock.advance(60)
    push(cloud, auth, batch([event("K0000000T05", 3, "in", WALL + timedelta(hours=3))]))
    assert pull_all(cloud, auth, cursor) == ([], cursor)  # an open visit moves no total

    before = cloud.store.table_counts()
    cloud_clock.advance(60)
    assert len(push(cloud, auth, body)["duplicate"]) == 2  # the reply was lost: sent again
    assert cloud.store.table_counts() == before
    assert pull_all(cloud, auth, cursor) == ([], cursor)


def test_a_busy_volunteers_total_reaches_kiosks_at_most_every_ten_minutes_and_is_never_lost(
    cloud: RunningCloud, cloud_clock: MovingClock, tmp_path: Path
) -> None:
    """A total logged just now is not logged again at the next push: the change waits (pending) and the
    first push of anyone ten minutes after the last log carries it, so 500 kiosks do not pull every
    busy volunteer every round; kiosks add their own uncounted visits meanwhile."""
    import_roster(cloud, tmp_path)
    auth = cloud.register("K0000000T07")
    other = cloud.register("K0000000T08")
    push(cloud, auth, visit("K0000000T07", 1, WALL, 1800))
    changes, cursor = pull_all(cloud, auth, None)
    assert volunteer_changes(changes)["V1"]["data"]["total_seconds"] == 1800

    cloud_clock.advance(120)
    push(cloud, auth, visit("K0000000T07", 3, WALL + timedelta(hours=1), 600))
    assert pull_all(cloud, auth, cursor) == ([], cursor)  # logged two minutes ago: pending

    cloud_clock.advance(600)  # ten minutes after the last log; a push of another volunteer flushes it
    push(cloud, other, visit("K0000000T08", 1, WALL, 60, volunteer="V2"))
    changes, cursor = pull_all(cloud, auth, cursor)
    totals = {key: change["data"]["total_seconds"] for key, change in volunteer_changes(changes).items()}
    assert totals == {"V1": 2400, "V2": 60}
    assert pull_all(cloud, auth, cursor) == ([], cursor)


def test_visits_of_a_volunteer_the_roster_lacks_delete_nothing_and_count_once_they_join(
    cloud: RunningCloud, tmp_path: Path
) -> None:
    auth = cloud.register("K0000000T06")
    _, cursor = pull_all(cloud, auth, None)
    push(cloud, auth, visit("K0000000T06", 1, WALL, 600, volunteer="V9"))
    assert pull_all(cloud, auth, cursor) == ([], cursor)  # no change at all, so no delete of V9

    import_roster(cloud, tmp_path, "volunteer_id,name\nV9,张三\n")
    changes, _ = pull_all(cloud, auth, cursor)
    assert volunteer_changes(changes)["V9"]["data"]["total_seconds"] == 600


def _openapi_validator(cloud: RunningCloud, component: str) -> Any:
    """A validator of ``component`` as the running server publishes it (JSON Schema 2020-12, formats too)."""
    document = requests.get(f"{cloud.api_url}/openapi.json", timeout=10).json()
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": f"#/components/schemas/{component}",
        "components": document["components"],
    }
    return jsonschema_rs.validator_for(schema, validate_formats=True)


def test_a_page_fits_its_published_schema_which_describes_the_volunteer_fields(
    cloud: RunningCloud, tmp_path: Path
) -> None:
    import_roster(cloud, tmp_path)
    auth = cloud.register("K0000000T07")
    push(cloud, auth, visit("K0000000T07", 1, WALL, 900))
    page = requests.get(f"{cloud.api_url}/changes", headers=auth, timeout=10).json()
    validator = _openapi_validator(cloud, "ChangesResponse")
    validator.validate(page)

    change = next(c for c in page["changes"] if c["kind"] == "volunteer" and c["key"] == "V1")
    for wrong in ({"total_seconds": -1}, {"total_seconds": "900"}, {"total_computed_utc": "yesterday"}):
        broken = {**page, "changes": [{**change, "data": {**change["data"], **wrong}}]}
        assert not validator.is_valid(broken), wrong
    missing = {k: v for k, v in change["data"].items() if k != "total_seconds"}
    assert not validator.is_valid({**page, "changes": [{**change, "data": missing}]})


def test_a_usb_change_bundle_carries_the_totals(cloud_instance: CloudInstance, tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    cloud_instance.store.import_roster(roster)
    box_key = X25519PrivateKey.generate()
    with cloud_instance.store.write() as writer:
        writer.add_provisioning_code("c" * 64, "test", NOW)
        writer.add_device(
            DeviceRow(
                "K0000000T08",
                "s" * 64,
                "unused",
                "test",
                "1.0",
                "c" * 64,
                format_time(NOW),
                registered_by="bundle",
                box_public_key=x25519_public_b64(box_key),
            )
        )
    request = PushRequest.model_validate(visit("K0000000T08", 1, WALL, 1200))
    assert len(ingest(cloud_instance.store, "K0000000T08", request, NOW).accepted) == 2

    export = export_changes(cloud_instance, "K0000000T08", NOW, full=True)
    bundle = parse_bundle(json.dumps(export.bundle).encode())
    signer = cloud_instance.keys.bundle_signer
    payload = bundle.verified_payload(bundle.document(box_key), signer.signing_key.public_key())
    carried = [c for page in payload["pages"] for c in page["changes"] if c["kind"] == "volunteer"]
    by_key = {c["key"]: c["data"] for c in carried}
    assert (by_key["V1"]["total_seconds"], by_key["V1"]["total_computed_utc"]) == (1200, format_time(NOW))
    assert (by_key["V2"]["total_seconds"], by_key["V2"]["total_computed_utc"]) == (0, None)
