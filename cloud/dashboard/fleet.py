"""The kiosk fleet panel: each kiosk of an area, what it last said of itself, and what the cloud misses of it.

A kiosk belongs to the area of its provisioning code; staff bound to an
area see the kiosks whose area is an organisation of their subtree.
A kiosk is **silent** when the cloud has not heard from it (a push, a pull,
a USB bundle) for :data:`SILENT_AFTER`, or never since it registered: a
venue with no network is silent by nature, so the flag asks a person to
look, it does not say something broke.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from cloud.queries import Reader

SILENT_AFTER = timedelta(minutes=60)
MISSING_RANGES_SHOWN = 5
#: Rows sent to the page: silent kiosks first, so a province's 5,000 never crowd them out.
KIOSKS_SHOWN = 500


def _is_silent(last_seen_utc: str | None, now: datetime) -> bool:
    if last_seen_utc is None:
        return True
    return datetime.fromisoformat(last_seen_utc) < now - SILENT_AFTER


def fleet(reader: Reader, area: str | None, now: datetime) -> dict[str, Any]:
    """The kiosks of ``area`` (every kiosk for None), silent ones first, then by kiosk ID; the first
    :data:`KIOSKS_SHOWN`, with the counts of all."""
    statuses = reader.kiosk_statuses(None)
    if area is not None:
        inside = reader.organisations_within(area, {status.area_id for status in statuses})
        statuses = [status for status in statuses if status.area_id in inside]
    names = reader.organisation_names({status.area_id for status in statuses})
    with_gaps = {totals.kiosk_id for totals in reader.seq_gap_totals()}  # one query; most kiosks have none
    kiosks = []
    for status in statuses:
        seen = status.last_seen_utc
        gaps = (
            reader.seq_gaps(status.device_id, MISSING_RANGES_SHOWN) if status.device_id in with_gaps else []
        )
        kiosks.append(
            {
                "device_id": status.device_id,
                "area_id": status.area_id,
                "area_name": names[status.area_id].name if status.area_id in names else None,
                "app_version": status.app_version,
                "registered_utc": status.registered_utc,
                "last_seen_utc": seen,
                "silent": _is_silent(seen, now),
                "waiting": status.waiting,
                "clock_offset_s": status.clock_offset_s,
                "missing": [{"first_seq": gap.first_seq, "last_seq": gap.last_seq} for gap in gaps],
                "self_test": status.self_test,
                "self_test_utc": status.self_test_utc,
            }
        )
    kiosks.sort(key=lambda kiosk: (not kiosk["silent"], kiosk["device_id"]))
    return {
        "silent_after_min": int(SILENT_AFTER.total_seconds() // 60),
        "total": len(kiosks),
        "silent_total": sum(1 for kiosk in kiosks if kiosk["silent"]),
        "kiosks": kiosks[:KIOSKS_SHOWN],
    }
