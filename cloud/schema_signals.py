"""The table of presence signals, written once for both databases (:mod:`cloud.presence_signals`).

A **presence signal** says a kept visit (``visit_facts``) looks like somebody
checked in for someone else: the same volunteer at two places at once
(``two_places``), checked in at two kiosks within seconds
(``same_credential_seconds``), or a card used after the volunteer got a
phone pass (``card_after_pass``). One row per flagged visit and what it was
flagged against: a signal between two visits is two rows, one for each
visit, each naming the other (``other_id``); ``card_after_pass`` names the
pass. The times are the visits' corrected times as ``visit_facts`` keeps
them (the pass's ``created_utc`` for ``card_after_pass``); ``service_date``
and ``check_in_utc`` order the review list (``presence_signals_newest``).

``visit_facts_volunteer_time`` reads a volunteer's visits around a time (the
signals' window) by index instead of all of their visits.

:mod:`cloud.schema` (``0015_presence_signals``) and :mod:`cloud.schema_postgres`
(``0009_presence_signals``) apply these statements as their own migrations;
the visits kept before are re-derived with their signals when the cloud
opens (:data:`cloud.visit_projection.FACTS_VERSION`).
"""

from __future__ import annotations

PRESENCE_SIGNAL_TABLES = (
    "CREATE TABLE presence_signals ("
    "visit_id TEXT NOT NULL, "  # the flagged visit (visit_facts.visit_id: its check-in's event ID)
    "signal TEXT NOT NULL CHECK (signal IN ('two_places', 'same_credential_seconds', 'card_after_pass')), "
    "other_id TEXT NOT NULL, "  # the other visit's ID; card_after_pass: the pass ID
    "volunteer_id TEXT NOT NULL, service_date TEXT NOT NULL, check_in_utc TEXT NOT NULL, "
    "other_utc TEXT NOT NULL, "  # the other visit's check-in; card_after_pass: when the pass was registered
    "PRIMARY KEY (visit_id, signal, other_id))",
    "CREATE INDEX presence_signals_newest ON presence_signals (service_date, check_in_utc)",
    "CREATE INDEX visit_facts_volunteer_time ON visit_facts (volunteer_id, check_in_utc)",
)
