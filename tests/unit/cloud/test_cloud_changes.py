"""Pulling changes: pages after a cursor, upserts and deletes, stable when read again."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests
from helpers.cloud_server import RunningCloud

from cloud.changes import LoggedChange, collapse

ROSTER = """volunteer_id,name,phone,org_id,org_name,org_level,org_parent_id,active
V1,雷彩霞,13800000001,ORG-1,城关镇志愿者服务队,township,,1
V2,王芳,,ORG-1,城关镇志愿者服务队,township,,1
V3,李强,13800000003,ORG-2,滨河社区,village,ORG-1,1
"""
ACTIVITY = {
    "activity_id": "A2026-0312",
    "title": "植树节义务植树",
    "org_id": "ORG-1",
    "org_name": "城关镇志愿者服务队",
    "org_level": "township",
    "venue": "滨河公园东门",
    "starts_at": "2026-03-12T00:30:00.000+00:00",
    "ends_at": "2026-03-12T03:30:00.000+00:00",
    "category": "环境保护",
    "capacity": 40,
    "checkin_opens_before_min": 30,
    "checkin_closes_after_start_min": 60,
    "signup_required": 1,
}
NOW = datetime(2026, 3, 1, tzinfo=UTC)


def pull(
    cloud: RunningCloud, auth: dict[str, str], cursor: str | None = None, limit: int = 1000
) -> dict[str, Any]:
    params: dict[str, Any] = {"limit": limit}
    if cursor is not None:
        params["cursor"] = cursor
    reply = requests.get(f"{cloud.api_url}/changes", params=params, headers=auth, timeout=10)
    assert reply.status_code == 200, reply.text
    return dict(reply.json())


def pull_all(
    cloud: RunningCloud, auth: dict[str, str], cursor: str | None, limit: int
) -> tuple[list[dict[str, Any]], str]:
    changes: list[dict[str, Any]] = []
    while True:
        page = pull(cloud, auth, cursor, limit)
        assert len(page["changes"]) <= limit
        changes += page["changes"]
        cursor = page["next_cursor"]
        if not page["more"]:
            return changes, cursor


def apply(state: dict[tuple[str, str], Any], changes: list[dict[str, Any]]) -> None:
    """What a kiosk does with a page: upsert or delete by kind and key."""
    for change in changes:
        if change["op"] == "upsert":
            state[(change["kind"], change["key"])] = change["data"]
        else:
            state.pop((change["kind"], change["key"]), None)


def platform_key_rows(cloud: RunningCloud) -> dict[tuple[str, str], Any]:
    """What a new kiosk pulls first: the platform's four keys, each with its one purpose."""
    return {
        ("trusted_key", signer.key_id): {
            "key_id": signer.key_id,
            "public_key": signer.public_key_b64,
            "purposes": purpose.value,
        }
        for purpose, signer in cloud.instance.keys.signers.items()
    }


def write_roster(tmp: Path, text: str) -> Path:
    path = tmp / "roster.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_pages_carry_upserts_and_deletes_and_end_with_the_current_rows(
    cloud: RunningCloud, tmp_path: Path
) -> None:
    auth = cloud.register("K00000000C1")
    kiosk: dict[tuple[str, str], Any] = {}
    changes, cursor = pull_all(cloud, auth, None, 2)
    apply(kiosk, changes)
    assert kiosk == platform_key_rows(cloud)

    assert cloud.store.import_roster(write_roster(tmp_path, ROSTER)).imported
    with cloud.store.write() as writer:
        writer.upsert_activity(ACTIVITY)
        writer.add_signup("A2026-0312", "V1")
        writer.add_signup("A2026-0312", "V2")
        writer.revoke("V1", 1, "lost", NOW)
    changes, cursor = pull_all(cloud, auth, cursor, 2)
    apply(kiosk, changes)
    assert kiosk[("volunteer", "V1")] == {
        "volunteer_id": "V1",
        "name": "雷彩霞",
        "phone": "13800000001",
        "org_id": "ORG-1",
        "active": True,
        "total_seconds": 0,  # no visits yet: never computed
        "total_computed_utc": None,
    }
    assert kiosk[("organisation", "ORG-2")] == {
        "org_id": "ORG-2",
        "name": "滨河社区",
        "level": "village",
        "parent_id": "ORG-1",
    }
    assert kiosk[("activity", "A2026-0312")] == ACTIVITY | {"signup_required": True}
    assert kiosk[("signup", "A2026-0312/V2")] == {"activity_id": "A2026-0312", "volunteer_id": "V2"}
    assert kiosk[("revocation", "V1/1")] == {"volunteer_id": "V1", "card_no": 1, "reason": "lost"}

    # A volunteer leaves, one is renamed and made inactive, a sign-up is withdrawn.
    with cloud.store.write() as writer:
        writer.delete_volunteer("V3")
        writer.remove_signup("A2026-0312", "V2")
    cloud.store.import_roster(write_roster(tmp_path, "volunteer_id,name,active\nV2,王芳芳,0\n"))
    changes, cursor = pull_all(cloud, auth, cursor, 2)
    assert {"kind": "volunteer", "op": "delete", "key": "V3", "data": None} in changes
    assert {"kind": "signup", "op": "delete", "key": "A2026-0312/V2", "data": None} in changes
    apply(kiosk, changes)
    assert ("volunteer", "V3") not in kiosk and ("signup", "A2026-0312/V2") not in kiosk
    assert kiosk[("volunteer", "V2")]["name"] == "王芳芳" and kiosk[("volunteer", "V2")]["active"] is False

    # From the beginning, in pages of any size, a new kiosk ends with the same rows.
    for limit in (1, 3, 5000):
        fresh: dict[tuple[str, str], Any] = {}
        all_changes, end = pull_all(cloud, auth, None, limit)
        apply(fresh, all_changes)
        assert fresh == kiosk
        assert end == cursor


def test_reading_a_page_again_gives_the_same_page(cloud: RunningCloud, tmp_path: Path) -> None:
    auth = cloud.register("K00000000C2")
    cloud.store.import_roster(write_roster(tmp_path, ROSTER))
    first = pull(cloud, auth, None, 3)
    second_page = pull(cloud, auth, first["next_cursor"], 3)
    assert first["more"] is True
    again = pull(cloud, auth, first["next_cursor"], 3)
    assert again["changes"] == second_page["changes"] and again["next_cursor"] == second_page["next_cursor"]
    assert pull(cloud, auth, None, 3)["changes"] == first["changes"]


def test_at_the_end_the_cursor_stays_and_a_new_change_arrives_once(cloud: RunningCloud) -> None:
    auth = cloud.register("K00000000C3")
    _, end = pull_all(cloud, auth, None, 100)
    page = pull(cloud, auth, end)
    assert page["changes"] == [] and page["next_cursor"] == end and page["more"] is False
    with cloud.store.write() as writer:
        writer.revoke("V9", 0, None, NOW)
    page = pull(cloud, auth, end)
    assert page["changes"] == [
        {
            "kind": "revocation",
            "op": "upsert",
            "key": "V9/0",
            "data": {"volunteer_id": "V9", "card_no": 0, "reason": None},
        }
    ]
    assert pull(cloud, auth, page["next_cursor"])["changes"] == []


def test_a_key_changed_then_deleted_within_a_page_is_one_delete(cloud: RunningCloud, tmp_path: Path) -> None:
    auth = cloud.register("K00000000C4")
    _, cursor = pull_all(cloud, auth, None, 100)
    cloud.store.import_roster(write_roster(tmp_path, "volunteer_id,name\nV7,张三\n"))
    cloud.store.import_roster(write_roster(tmp_path, "volunteer_id,name\nV7,张三丰\n"))
    with cloud.store.write() as writer:
        writer.delete_volunteer("V7")
    assert pull(cloud, auth, cursor)["changes"] == [
        {"kind": "volunteer", "op": "delete", "key": "V7", "data": None}
    ]


@pytest.mark.parametrize("cursor", ["abc", "-1", "1.5", "9" * 19, "9" * 30, "1\n"])
def test_a_malformed_cursor_is_400_invalid_cursor(cloud: RunningCloud, cursor: str) -> None:
    auth = cloud.register("K00000000C5")
    reply = requests.get(f"{cloud.api_url}/changes", params={"cursor": cursor}, headers=auth, timeout=10)
    assert reply.status_code == 400 and reply.json()["error"] == "invalid_cursor"


@pytest.mark.parametrize("cursor", ["99999", "9" * 18])
def test_a_well_formed_cursor_past_the_end_of_the_log_is_409_invalid_cursor(
    cloud: RunningCloud, cursor: str
) -> None:
    """As after the server was restored from an older backup: the request is fine, the server's state is not."""
    auth = cloud.register("K00000000C8")
    reply = requests.get(f"{cloud.api_url}/changes", params={"cursor": cursor}, headers=auth, timeout=10)
    assert reply.status_code == 409 and reply.json()["error"] == "invalid_cursor"


@pytest.mark.parametrize("limit", ["0", "5001", "many"])
def test_a_limit_out_of_range_is_400_invalid_request(cloud: RunningCloud, limit: str) -> None:
    auth = cloud.register("K00000000C6")
    reply = requests.get(f"{cloud.api_url}/changes", params={"limit": limit}, headers=auth, timeout=10)
    assert reply.status_code == 400 and reply.json()["error"] == "invalid_request"
    assert reply.json()["message"].startswith("limit: ")


def test_collapse_keeps_the_latest_entry_of_a_key_in_its_place() -> None:
    row = {
        "volunteer_id": "V1",
        "name": "A",
        "phone": None,
        "org_id": None,
        "active": 1,
        "total_seconds": 0,
        "total_computed_utc": None,
    }
    entries = [
        LoggedChange(1, "volunteer", "V1", None, row),
        LoggedChange(2, "signup", "A/1", "V1", None),
        LoggedChange(3, "volunteer", "V1", None, row),
    ]
    changes = collapse(entries)
    assert [(c.kind, c.op, c.key) for c in changes] == [
        ("signup", "delete", "A/1/V1"),
        ("volunteer", "upsert", "V1"),
    ]
    assert changes[1].data == row | {"active": True}


def test_a_two_part_key_is_the_parts_joined_by_a_slash_as_they_are(cloud: RunningCloud) -> None:
    auth = cloud.register("K00000000C7")
    _, cursor = pull_all(cloud, auth, None, 100)
    with cloud.store.write() as writer:
        writer.add_signup("A/2026", "V9")
        writer.remove_signup("A/2026", "V9")
    assert pull(cloud, auth, cursor)["changes"] == [
        {"kind": "signup", "op": "delete", "key": "A/2026/V9", "data": None}
    ]
