"""The table of phone passes, written once for both databases (docs/phone-pass.md).

``passes`` holds one row per phone a volunteer registered: the pass ID the
cloud gave it (``P`` + 10 upper-case hex digits), the volunteer, the public
half of the Ed25519 key the phone made (standard base64 of its raw 32
bytes; the private half never leaves the phone), when it was registered, and
when it stopped (``revoked_utc``: a newer phone of the volunteer, or staff's
``kiosk-cloud pass revoke``; null while it is in use). Times are the
protocol's text (:func:`cloud.protocol.format_time`), which sorts in time order.

It is a synced table (kind ``pass``, key ``pass_id``): :mod:`cloud.schema`
and :mod:`cloud.schema_postgres` apply these statements as their own
numbered migration and give the table its change-log triggers, so kiosks
pull every pass and its revocation with the roster.
"""

from __future__ import annotations

#: The table, its change kind and key column, as an entry of :data:`cloud.schema.SYNCED_TABLES`.
PASSES_SYNCED = ("passes", "pass", ("pass_id",))

PASS_TABLES = (
    "CREATE TABLE passes ("
    "pass_id TEXT PRIMARY KEY, volunteer_id TEXT NOT NULL, public_key TEXT NOT NULL, "
    "created_utc TEXT NOT NULL, revoked_utc TEXT)",
    # A volunteer's passes, newest last: the one in use, the rate limit, `kiosk-cloud pass list`.
    "CREATE INDEX passes_volunteer ON passes (volunteer_id, created_utc)",
)
