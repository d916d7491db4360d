"""The day options of the report commands (``--date``, ``--from``, ``--to``), for ``kiosk`` and ``kiosk-cloud``.

A day is ``YYYY-MM-DD`` from 2000-01-01 to 2099-12-31
(:mod:`checkin_protocol.report_days`); anything else is a usage error (exit 2)
that says what to type, before any data is read.
"""

from __future__ import annotations

from datetime import date, datetime

import click

from checkin_protocol.report_days import check_report_day


class ReportDay(click.ParamType[date]):
    """A ``YYYY-MM-DD`` day in the report range, converted to a :class:`datetime.date`."""

    name = "YYYY-MM-DD"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> date:
        """The day typed, or a click error naming the format or the range."""
        if isinstance(value, datetime):
            value = value.date()
        if not isinstance(value, date):
            try:
                value = datetime.strptime(str(value), "%Y-%m-%d").date()
            except ValueError:
                self.fail(f"{str(value)!r} is not a date: use YYYY-MM-DD, e.g. 2026-11-29", param, ctx)
        try:
            return check_report_day(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


REPORT_DAY = ReportDay()


def choose_days(day: date | None, first: date | None, last: date | None, today: date) -> tuple[date, date]:
    """The days asked for: ``--date``, or ``--from`` (default ``today``) to ``--to`` (default ``--from``).

    ``--date`` with ``--from``/``--to``, and a ``--to`` before the first day,
    are usage errors.
    """
    if day is not None and (first is not None or last is not None):
        raise click.UsageError("use either --date or --from/--to")
    if day is not None:
        return day, day
    start = first if first is not None else today
    end = last if last is not None else start
    if end < start:
        default = "" if first is not None else "; --from defaults to today"
        raise click.UsageError(
            f"--to is before --from ({end} is before {start}{default}): give the first day in --from"
        )
    return start, end
