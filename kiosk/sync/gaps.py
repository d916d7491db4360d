"""Records the cloud lacks: the ``missing`` ranges it reports, and the outbox rows queued again for them.

Every page of changes (and every USB update) tells the kiosk which of its
own sequence numbers the cloud does not hold below the highest it has
(``docs/sync-protocol.md``, "Missing records"). Events are kept for ever
here, so the kiosk still has them. Those in a reported range that are
marked delivered (a lost or forged receipt, a cloud restored from a backup)
wait again, and the next push or export sends them: the cloud answers
``accepted`` (the gap closes), or refuses them again, and then they are
marked refused like any refusal. Events marked refused here stay so (the
cloud refused them; the same record again changes nothing); waiting ones
are on their way already.

The last report is kept in ``sync_state`` (``cloud_missing``) for ``kiosk
sync-status``. Each re-queue is logged and written to the audit log
(``sync_requeued``). Functions run inside the caller's write transaction,
except :func:`apply_missing`, which makes its own.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from checkin_protocol.event_rows import format_utc
from kiosk.store import sync_state as state
from kiosk.store.audit import append_audit
from kiosk.store.database import Store, Transaction
from kiosk.store.outbox import requeue_delivered

log = logging.getLogger(__name__)

#: More ranges than the reference cloud ever sends (100); a longer list is not read.
MAX_RANGES = 1000
MAX_REASON_CHARS = 200
MAX_SEQ = 2**63 - 1
_AUDITED_RANGES = 20
_RANGE_KEYS = frozenset({"first_seq", "last_seq", "rejected"})


@dataclass(frozen=True)
class MissingRange:
    """A run of this kiosk's records the cloud lacks; ``rejected`` None: never arrived, else why it refused them."""

    first_seq: int
    last_seq: int
    rejected: str | None

    @property
    def count(self) -> int:
        """How many records the run is."""
        return self.last_seq - self.first_seq + 1


@dataclass(frozen=True)
class MissingOutcome:
    """What one report did: the records it names, those queued again, those not on this kiosk.

    ``problem``: the report could not be read, and nothing changed.
    """

    ranges: tuple[MissingRange, ...] = ()
    requeued: int = 0
    not_here: int = 0
    problem: str | None = None

    @property
    def missing(self) -> int:
        """How many records the cloud reported missing (never arrived or refused)."""
        return sum(r.count for r in self.ranges)


@dataclass(frozen=True)
class MissingReport:
    """The last report kept for ``kiosk sync-status``: the cloud's time, its ranges, what the kiosk did."""

    as_of: str | None
    at: str
    ranges: tuple[MissingRange, ...]
    requeued: int
    not_here: int

    @property
    def missing(self) -> int:
        """How many records the cloud reported missing."""
        return sum(r.count for r in self.ranges)


def _seq(value: object) -> int:
    if type(value) is not int or not 1 <= value <= MAX_SEQ:
        raise ValueError(
            f"the cloud's list of missing records has a sequence number that is not one: {value!r}"
        )
    return value


def parse_missing(value: object) -> tuple[MissingRange, ...]:
    """The ``missing`` field of a page of changes or an update; ``ValueError`` in plain words if unreadable.

    A list of at most :data:`MAX_RANGES` objects ``{first_seq, last_seq,
    rejected}`` (other keys are a newer cloud's and ignored): whole numbers
    1 to 2^63-1, first not after last, and ``rejected`` null or text of at
    most 200 characters.
    """
    if not isinstance(value, list):
        raise ValueError("the cloud's list of missing records is not a list")
    if len(value) > MAX_RANGES:
        raise ValueError(f"the cloud's list of missing records is longer than {MAX_RANGES} ranges")
    ranges = []
    for item in value:
        if not isinstance(item, dict) or not item.keys() >= _RANGE_KEYS:  # more keys: a newer cloud
            raise ValueError("the cloud's list of missing records has an item that is not a range")
        first, last, rejected = _seq(item["first_seq"]), _seq(item["last_seq"]), item["rejected"]
        if first > last:
            raise ValueError(
                f"the cloud's list of missing records has a range that ends before it starts: {first}-{last}"
            )
        if rejected is not None and (not isinstance(rejected, str) or len(rejected) > MAX_REASON_CHARS):
            raise ValueError("the cloud's list of missing records has a reason that is not short text")
        ranges.append(MissingRange(first, last, rejected))
    return tuple(ranges)


def requeue_missing(db: Transaction, kiosk_id: str, ranges: tuple[MissingRange, ...]) -> tuple[int, int]:
    """Make this kiosk's delivered, unrefused events in ``ranges`` wait again; (queued again, not on this kiosk)."""
    requeued = not_here = 0
    for gap in ranges:
        held, queued = requeue_delivered(db, kiosk_id, gap.first_seq, gap.last_seq)
        not_here += gap.count - held
        requeued += queued
    return requeued, not_here


def _save_report(db: Transaction, outcome: MissingOutcome, at: datetime, as_of: str | None) -> None:
    if not outcome.ranges:
        state.set_value(db, state.CLOUD_MISSING, None)
        return
    previous = stored_missing(db)
    if previous is not None and previous.ranges == outcome.ranges and not outcome.requeued:
        return  # the same report as last time: keep the time it was first made, write nothing
    value = {
        "as_of": as_of,
        "at": format_utc(at),
        "ranges": [[r.first_seq, r.last_seq, r.rejected] for r in outcome.ranges],
        "requeued": outcome.requeued,
        "not_here": outcome.not_here,
    }
    state.set_value(db, state.CLOUD_MISSING, json.dumps(value, ensure_ascii=False))


def apply_missing(
    store: Store, kiosk_id: str, value: object, at: datetime, as_of: str | None
) -> MissingOutcome | None:
    """Read a report (``value``: the field as received) and act on it in one write transaction.

    None when there is no report (``value`` None: a cloud older than the
    field). An unreadable report changes nothing and comes back with its
    ``problem``. ``as_of`` is the cloud's time of the report, if it said.
    """
    if value is None:
        return None
    try:
        ranges = parse_missing(value)
    except ValueError as exc:  # the caller reports it with the pull's or the update's other problems
        return MissingOutcome(problem=f"{exc}; ignored")
    with store.write() as db:
        requeued, not_here = requeue_missing(db, kiosk_id, ranges)
        outcome = MissingOutcome(ranges, requeued, not_here)
        _save_report(db, outcome, at, as_of)
        if requeued:
            detail = {
                "ranges": [[r.first_seq, r.last_seq] for r in ranges[:_AUDITED_RANGES]],
                "requeued": requeued,
                "not_here": not_here,
            }
            append_audit(db, kiosk_id=kiosk_id, action="sync_requeued", at=at, detail=detail)
    if requeued:
        log.warning(
            "the cloud lacks %d records of this kiosk; %d delivered ones queued to send again",
            outcome.missing,
            requeued,
        )
    if not_here:
        log.warning("the cloud lacks %d records this kiosk does not have", not_here)
    return outcome


def stored_missing(db: Transaction) -> MissingReport | None:
    """The last report that named missing records (None: none, or the last report was clean)."""
    text = state.get_value(db, state.CLOUD_MISSING)
    if not text:
        return None
    try:
        value: Any = json.loads(text)
        ranges = tuple(MissingRange(int(f), int(last), r) for f, last, r in value["ranges"])
        return MissingReport(
            value["as_of"], value["at"], ranges, int(value["requeued"]), int(value["not_here"])
        )
    except (ValueError, TypeError, KeyError):
        return None


def missing_words(report: MissingReport, shown: int = 10) -> str:
    """The report for a coordinator: how many records, which, and what the kiosk did."""

    def words(r: MissingRange) -> str:
        numbers = f"#{r.first_seq}" if r.count == 1 else f"#{r.first_seq}-{r.last_seq}"
        return numbers if r.rejected is None else f"{numbers} (refused: {r.rejected})"

    listed = ", ".join(words(r) for r in report.ranges[:shown])
    if len(report.ranges) > shown:
        listed += f", and {len(report.ranges) - shown} more ranges"
    text = f"{report.missing} records ({listed}), as of {report.as_of or report.at}"
    if report.requeued:
        text += f"; {report.requeued} queued to send again"
    if report.not_here:
        text += f"; {report.not_here} not on this kiosk"
    return text
