"""The ``credential`` column of events, written once for both databases (issue 18).

An event says what the volunteer showed: ``card`` (a volunteer card, printed
or a screenshot), ``pass`` (a phone pass), or NULL (a face, a coordinator's
hand, an auto check-out, and every event of a kiosk older than the field).
:mod:`cloud.schema` applies it as migration ``0013_event_credentials``,
:mod:`cloud.schema_postgres` as ``0007_event_credentials``. Existing rows get
NULL: what an older kiosk sent said nothing of it.
"""

from __future__ import annotations

#: The statements of the migration, the same on SQLite and PostgreSQL.
EVENT_CREDENTIAL_COLUMN = (
    "ALTER TABLE events ADD COLUMN credential TEXT CHECK (credential IS NULL OR credential IN ('card', 'pass'))",
)
