"""Install demo data into a kiosk: a demo signing key, a roster, activities, cards and codes.

Everything goes into ``<data>/demo/``. The demo key signs the demo cards and
activity codes and is trusted under key ID ``demo1`` for those two purposes
only, never for the platform's bundles; it is a demo key only: production
signing keys live with the cloud and never on a kiosk, and registering the
kiosk with a platform stops trusting it (``kiosk register --keep-demo-key``
keeps it, as ``kiosk demo`` does with its local cloud). Running the
installer again reuses the key and changes nothing it already made.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from checkin_protocol.codes.issuer import Issuer, generate_signing_key, load_private_key, save_private_key
from checkin_protocol.codes.qr_images import save_qr
from checkin_protocol.codes.trust import DEMO_PURPOSES
from checkin_protocol.models import Activity, ActivityStatus, ClockReading, mask_name
from checkin_protocol.spreadsheet_cells import safe_row
from kiosk.config import Config
from kiosk.demo.activities import demo_activities
from kiosk.demo.roster import write_roster_csv
from kiosk.services.pin import PinGuard
from kiosk.store.activities import add_signups, save_activity, set_activity_status
from kiosk.store.audit import append_audit
from kiosk.store.database import Store
from kiosk.store.roster_import import import_roster
from kiosk.store.trust import DEMO_SOURCE, trust_key

DEMO_KEY_ID = "demo1"
DEMO_PIN = "123456"  # the demo coordinator PIN, printed in the README
DEMO_COORDINATOR_NAME = "演示协调员"
DEMO_SEED = 20261129


@dataclass(frozen=True)
class DemoReport:
    folder: Path
    volunteers: int
    activities: list[Activity]
    open_activity_id: str | None
    cards_csv: Path


class _FixedClock:
    """The install's one clock reading, for the services that ask for a clock."""

    def __init__(self, reading: ClockReading) -> None:
        self._reading = reading

    def now(self) -> ClockReading:
        return self._reading


def demo_key_path(config: Config) -> Path:
    return config.demo_dir / "issuer-key.pem"


def _demo_issuer(config: Config) -> Issuer:
    path = demo_key_path(config)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        save_private_key(path, generate_signing_key())
    return Issuer(load_private_key(path), DEMO_KEY_ID)


def install_demo(
    config: Config, store: Store, kiosk_id: str, now: ClockReading, volunteers: int = 300
) -> DemoReport:
    """Make or refresh the demo data; opens the activity that is running now."""
    folder = config.demo_dir
    issuer = _demo_issuer(config)
    roster_csv = folder / "roster.csv"
    if not roster_csv.exists():
        write_roster_csv(roster_csv, volunteers, seed=DEMO_SEED)
    with store.write() as db:
        trust_key(db, DEMO_KEY_ID, issuer.public_key_b64, DEMO_SOURCE, now.wall_utc, DEMO_PURPOSES)
    report = import_roster(store.writer, roster_csv)

    activities = demo_activities(now.wall_utc, tz_offset_min=now.utc_offset_min)
    running = next((a for a in activities if a.starts_at <= now.wall_utc < a.ends_at), None)
    today = now.local.date()
    with roster_csv.open(encoding="utf-8-sig", newline="") as fh:
        roster_rows = list(csv.DictReader(fh))
    with store.write() as db:
        for activity in activities:
            save_activity(db, activity, source="demo")
            if activity.signup_required:
                add_signups(db, activity.activity_id, [r["volunteer_id"] for r in roster_rows[:8]])
        if running is not None:
            set_activity_status(db, running.activity_id, ActivityStatus.OPEN)
        append_audit(
            db, kiosk_id=kiosk_id, action="demo.installed", at=now.wall_utc, detail={"volunteers": volunteers}
        )

    pins = PinGuard(store, _FixedClock(now), kiosk_id)
    if not pins.has_pin():
        pins.add_coordinator(DEMO_COORDINATOR_NAME, DEMO_PIN, actor="demo")

    codes_dir = folder / "activity-codes"
    codes_dir.mkdir(parents=True, exist_ok=True)
    with (codes_dir / "codes.csv").open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(safe_row(["activity_id", "title", "code"]))
        for activity in activities:
            code = issuer.issue_activity(activity, issued_on=today)
            save_qr(code, codes_dir / f"{activity.activity_id}.png")
            save_qr(code, codes_dir / f"{activity.activity_id}.svg")
            out.writerow(safe_row([activity.activity_id, activity.title, code]))

    cards_dir = folder / "cards"
    cards_dir.mkdir(parents=True, exist_ok=True)
    cards_csv = cards_dir / "cards.csv"
    with cards_csv.open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(safe_row(["volunteer_id", "display_name", "card"]))
        for row in roster_rows:
            shown = mask_name(row["name"])
            card = issuer.issue_card(row["volunteer_id"], shown, issued_on=today)
            save_qr(card, cards_dir / f"{row['volunteer_id']}.png")
            out.writerow(safe_row([row["volunteer_id"], shown, card]))
    return DemoReport(
        folder=folder,
        volunteers=report.rows_read,
        activities=activities,
        open_activity_id=running.activity_id if running else None,
        cards_csv=cards_csv,
    )
