"""The tables of the staff dashboard, written once for both databases.

Each tuple is one migration's statements, in portable SQL (``BIGINT`` is an
integer on SQLite too); :mod:`cloud.schema` and :mod:`cloud.schema_postgres`
apply them as their own numbered migrations. The only difference between the
two is the one counter column, passed in as ``counter``.

- **Visits, kept ready** (``visit_facts``, ``daily_totals``, ``org_ancestors``):
  the dashboard cannot pair ten million events on each request, so every push
  re-derives the visits of the volunteers it touched (the same rules as the
  reports, :mod:`cloud.visit_projection`) and keeps one row per visit with the
  activity's organisation and category; ``daily_totals`` sums them per day,
  organisation and category; ``org_ancestors`` is the closure of the
  organisation tree (each organisation with itself and every ancestor), so a
  subtree is one indexed join.
- **Staff** (``staff_accounts``, ``staff_sessions``, ``login_attempts``):
  accounts bound to an organisation's subtree (null: the whole platform),
  sessions by the SHA-256 of their token, and the attempts the login rate
  limit counts. Kept in the database so every worker process sees them.
- **The fleet** (``kiosk_status``): what each kiosk last said of itself when it
  synced: records waiting, self-test state, clock offset, app version.
- **Volunteers' platform totals** (``volunteer_totals``): the sum of each
  volunteer's kept visits' credited seconds and when the cloud last
  recomputed it, sent to kiosks with the volunteer (:mod:`cloud.changes`).
  ``changes_key`` lets a new totals entry replace the volunteer's older
  entries of the change log (the dialects' triggers, :mod:`cloud.schema`).
"""

from __future__ import annotations

VISIT_TABLES = (
    "CREATE TABLE visit_facts ("
    "visit_id TEXT PRIMARY KEY, "  # the check-in's event ID
    "volunteer_id TEXT NOT NULL, activity_id TEXT NOT NULL, org_id TEXT, category TEXT NOT NULL, "
    "service_date TEXT NOT NULL, check_in_utc TEXT NOT NULL, check_out_utc TEXT, "
    "kiosk_id TEXT NOT NULL, credited_seconds BIGINT NOT NULL, on_site INTEGER NOT NULL, "
    "review TEXT NOT NULL)",  # review reasons separated by spaces, '' when none
    "CREATE INDEX visit_facts_volunteer ON visit_facts (volunteer_id, activity_id)",
    "CREATE INDEX visit_facts_day ON visit_facts (service_date, org_id)",
    "CREATE INDEX visit_facts_org_day ON visit_facts (org_id, service_date)",
    "CREATE INDEX visit_facts_on_site ON visit_facts (on_site, check_in_utc)",
    "CREATE INDEX visit_facts_review ON visit_facts (service_date, check_in_utc) WHERE review <> ''",
    "CREATE INDEX visit_facts_activity ON visit_facts (activity_id)",
    "CREATE TABLE daily_totals ("
    "service_date TEXT NOT NULL, org_id TEXT NOT NULL, category TEXT NOT NULL, "
    "visits BIGINT NOT NULL, credited_seconds BIGINT NOT NULL, "
    "PRIMARY KEY (service_date, org_id, category))",
    "CREATE INDEX daily_totals_org ON daily_totals (org_id, service_date)",
    "CREATE TABLE org_ancestors ("
    "org_id TEXT NOT NULL, ancestor_id TEXT NOT NULL, depth BIGINT NOT NULL, "
    "PRIMARY KEY (ancestor_id, org_id))",
    "CREATE INDEX org_ancestors_org ON org_ancestors (org_id)",
    "CREATE INDEX events_volunteer ON events (volunteer_id, activity_id)",
    "CREATE INDEX activities_org ON activities (org_id)",
    "CREATE INDEX activities_ends ON activities (ends_at)",
)

STAFF_TABLES = (
    "CREATE TABLE staff_accounts ("
    "username TEXT PRIMARY KEY, password_hash TEXT NOT NULL, "
    "role TEXT NOT NULL CHECK (role IN ('viewer', 'manager')), "
    "area_org_id TEXT, "  # the root of the subtree the account sees; null: every area
    "created_utc TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0)",
    "CREATE TABLE staff_sessions ("
    "token_sha256 TEXT PRIMARY KEY, username TEXT NOT NULL, csrf_token TEXT NOT NULL, "
    "created_utc TEXT NOT NULL, expires_utc TEXT NOT NULL)",
    "CREATE INDEX staff_sessions_user ON staff_sessions (username)",
    "CREATE TABLE login_attempts ("
    "attempt_id {counter}, username TEXT NOT NULL, client TEXT NOT NULL, "
    "at_utc TEXT NOT NULL, succeeded INTEGER NOT NULL)",
    "CREATE INDEX login_attempts_user ON login_attempts (username, at_utc)",
    "CREATE INDEX login_attempts_client ON login_attempts (client, at_utc)",
)

KIOSK_STATUS_TABLES = (
    "CREATE TABLE kiosk_status ("
    "device_id TEXT PRIMARY KEY, last_seen_utc TEXT NOT NULL, last_push_utc TEXT, "
    "waiting BIGINT, self_test TEXT, self_test_utc TEXT, clock_offset_s DOUBLE PRECISION, "
    "app_version TEXT)",
)

VOLUNTEER_TOTALS_TABLES = (
    "CREATE TABLE volunteer_totals ("
    "volunteer_id TEXT PRIMARY KEY, total_seconds BIGINT NOT NULL, "
    "computed_utc TEXT NOT NULL)",  # the cloud's time of the last recomputation (cloud.protocol.format_time)
    "CREATE INDEX changes_key ON changes (key_a, kind)",
)

#: Totals logged for kiosks at a pace (cloud.dashboard_queries TOTALS_LOG_INTERVAL) instead of by a trigger at
#: every write: when each volunteer's total was last logged, and whether a change waits to be.
TOTALS_LOG_PACE = (
    "ALTER TABLE volunteer_totals ADD COLUMN logged_utc TEXT",
    "ALTER TABLE volunteer_totals ADD COLUMN log_pending INTEGER NOT NULL DEFAULT 0",
    "UPDATE volunteer_totals SET logged_utc = computed_utc",  # the trigger logged every row it wrote
    "CREATE INDEX volunteer_totals_pending ON volunteer_totals (logged_utc) WHERE log_pending = 1",
)

SQLITE_COUNTER = "INTEGER PRIMARY KEY"
POSTGRES_COUNTER = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"


def statements(tables: tuple[str, ...], counter: str) -> list[str]:
    """The statements of ``tables`` with the dialect's counter column filled in."""
    return [statement.replace("{counter}", counter) for statement in tables]
