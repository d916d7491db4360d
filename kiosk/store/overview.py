"""How much the kiosk's database holds, in a few counts (``kiosk status``)."""

from __future__ import annotations

from typing import NamedTuple

from kiosk.store.database import Transaction


class StoreCounts(NamedTuple):
    """Rows of the main tables."""

    volunteers: int
    organisations: int
    activities: int
    open_activities: int
    events: int
    trusted_keys: int
    revocations: int


def store_counts(db: Transaction) -> StoreCounts:
    """Count the volunteers, organisations, activities (open ones too), events, trusted keys and revoked cards."""

    def count(sql: str) -> int:
        return int(db.execute(sql).fetchone()[0])

    return StoreCounts(
        volunteers=count("SELECT COUNT(*) FROM volunteers"),
        organisations=count("SELECT COUNT(*) FROM organisations"),
        activities=count("SELECT COUNT(*) FROM activities"),
        open_activities=count("SELECT COUNT(*) FROM activities WHERE status = 'open'"),
        events=count("SELECT COUNT(*) FROM events"),
        trusted_keys=count("SELECT COUNT(*) FROM trusted_keys"),
        revocations=count("SELECT COUNT(*) FROM revocations"),
    )
