"""The reference cloud server of the volunteer check-in kiosk (sync protocol version 1).

It implements ``docs/sync-protocol.md``: kiosks register with a one-time
provisioning code, push their events and pull changes to the roster,
activities, sign-ups, revocations and trusted keys. It also issues cards and
activity codes with the platform key and reports service hours from the
events of every kiosk.

Why FastAPI on uvicorn:

- The protocol is a contract other teams implement; FastAPI derives the
  OpenAPI schema (``/api/v1/openapi.json``) from the same pydantic models that
  validate the requests, so the published schema cannot drift from the code.
- Plain ``def`` endpoints run in a worker thread pool while uvicorn's event
  loop keeps hundreds of kiosk connections open cheaply; the work per request
  is a short SQLite transaction, so threads suit it and the store stays
  ordinary blocking code (shared with the ``kiosk-cloud`` command line).
- Both are small, widely used and pure Python (h11), which suits a reference
  server that must be easy to read, run in tests on 127.0.0.1 and embed in a
  test process (``uvicorn.Server`` in a thread, stopped with ``should_exit``).
- The hard parts that frameworks do not do for us are explicit modules:
  body limits and gzip (:mod:`cloud.body_guard`), per-event validation
  (:mod:`cloud.ingest`), the change log (:mod:`cloud.changes`).

Modules: :mod:`cloud.api` (app factory, routes, error replies),
:mod:`cloud.body_guard` (content type, size limits, gzip), :mod:`cloud.protocol`
(wire models and limits), :mod:`cloud.storage` and :mod:`cloud.queries` (the only
SQL, with :mod:`cloud.schema`), :mod:`cloud.auth`, :mod:`cloud.provisioning`,
:mod:`cloud.ingest`, :mod:`cloud.changes`, :mod:`cloud.reports`, :mod:`cloud.seq_gaps`
(each kiosk's missing records, with :mod:`cloud.seq_gap_queries`), :mod:`cloud.keys`,
:mod:`cloud.instance` (a data folder), :mod:`cloud.errors`, :mod:`cloud.server`
(uvicorn) and :mod:`cloud.cli` with :mod:`cloud.cli_issue` (``kiosk-cloud``).
"""
