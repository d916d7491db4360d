"""``kiosk report``: visits and hours of a day, a date range or one activity, as CSV, XLSX or PDF.

The files are documents in the document language, like the desk's: their
words (:mod:`kiosk.services.report_words`) go through the same translator
(:data:`kiosk.ui.document_language.REPORT_WORDS`, zh_CN from the compiled
``.qm``), imported only when a file is asked for. The PDF (and the
roll-call) are painted with Qt: :mod:`kiosk.ui.printing` is imported only
then too, and an offscreen application is made when there is no display.
The summary printed on the terminal is English, and needs no Qt.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from checkin_protocol.day_options import REPORT_DAY, choose_days
from kiosk.app import Kiosk
from kiosk.cli.state import CliState, pass_state
from kiosk.services.desk_reports import DeskReport, build_desk_report
from kiosk.services.on_site import people_on_site
from kiosk.services.report_files import period_text, report_title, write_report_csv, write_report_xlsx
from kiosk.services.report_words import Translate, untranslated
from kiosk.store.activities import get_activity

_FILE = click.Path(dir_okay=False, path_type=Path)


def _activity_days(kiosk: Kiosk, activity_id: str) -> tuple[date, date]:
    """The local days an activity runs on (in this kiosk's current UTC offset)."""
    activity = get_activity(kiosk.store.writer, activity_id)
    if activity is None:
        raise click.ClickException(f"unknown activity {activity_id} (see `kiosk activities`)")
    zone = kiosk.clock.now().local.tzinfo
    return activity.starts_at.astimezone(zone).date(), activity.ends_at.astimezone(zone).date()


def report_days(
    kiosk: Kiosk, day: date | None, first: date | None, last: date | None, activity_id: str | None
) -> tuple[date, date]:
    """The days asked for: --date, or --from/--to, or the activity's days, or today (local)."""
    if day is None and first is None and last is None and activity_id is not None:
        return _activity_days(kiosk, activity_id)
    return choose_days(day, first, last, kiosk.clock.now().local.date())


def summary_lines(report: DeskReport) -> list[str]:
    """A few lines for the terminal, in English: the totals, then one line per category."""
    lines = [
        f"{period_text(report, untranslated)}  {report.activity_title or 'all activities'}: "
        f"{report.visit_count} visits, {report.volunteer_count} volunteers, {report.hours:.2f} h, "
        f"{report.to_review} to review"
    ]
    for category in report.categories:
        lines.append(
            f"  {category.name}  {category.visits} visits, {category.volunteers} volunteers, "
            f"{category.hours:.2f} h"
        )
    return lines


def _document_words() -> Translate:
    """The report's words in the document language, as at the desk (Qt imported here: only when asked for)."""
    from kiosk.ui.document_language import REPORT_WORDS

    return REPORT_WORDS


def _write_pdfs(kiosk: Kiosk, report: DeskReport, pdf: Path | None, roll_call: Path | None) -> None:
    """Paint the report and/or the roll-call with Qt (imported here: only when asked for)."""
    from kiosk.ui.printing import ensure_gui_application, write_report_pdf, write_roll_call_pdf

    _app = ensure_gui_application()  # kept referenced while painting
    if pdf is not None:
        title = report_title(report, _document_words())
        if report.activity_title:
            title += f" {report.activity_title}"
        write_report_pdf(report, pdf, title)
        click.echo(f"PDF written to {pdf}", err=True)
    if roll_call is not None:
        assert report.activity_id is not None
        activity = get_activity(kiosk.store.writer, report.activity_id)
        if activity is None:
            raise click.ClickException(f"unknown activity {report.activity_id}")
        now = kiosk.clock.now()
        people = [
            (p.name, p.volunteer_id, p.phone_tail, p.checked_in_local)
            for p in people_on_site(kiosk.store.writer, activity.activity_id, now)
        ]
        write_roll_call_pdf(activity.title, activity.venue, now.local, people, roll_call)
        click.echo(f"roll-call of {len(people)} people on site written to {roll_call}", err=True)


@click.command()
@click.option("--date", "day", type=REPORT_DAY, help="One day (local date). Default: today.")
@click.option("--from", "first", type=REPORT_DAY, help="First day of a range (2000-01-01 to 2099-12-31).")
@click.option("--to", "last", type=REPORT_DAY, help="Last day of a range (inclusive).")
@click.option("--activity", "activity_id", help="Only this activity (without dates: the days it runs on).")
@click.option("--csv", "csv_file", type=_FILE, help="Write the per-volunteer table as CSV (UTF-8 with BOM).")
@click.option(
    "--xlsx",
    "xlsx_file",
    type=_FILE,
    help="Write an Excel workbook: summary, volunteers, categories, organisations, visits.",
)
@click.option("--pdf", "pdf_file", type=_FILE, help="Write the report as a printable PDF (A4).")
@click.option(
    "--roll-call",
    "roll_call_file",
    type=_FILE,
    help="Write the evacuation roll-call of who is on site now at --activity as a PDF.",
)
@pass_state
def report(
    state: CliState,
    day: date | None,
    first: date | None,
    last: date | None,
    activity_id: str | None,
    csv_file: Path | None,
    xlsx_file: Path | None,
    pdf_file: Path | None,
    roll_call_file: Path | None,
) -> None:
    """Visits and hours per volunteer, category and organisation, as CSV, XLSX or PDF.

    A visit counts to the local date of its check-in; auto-closed and other
    doubtful visits are counted as "to review". Prints a short summary.
    """
    if roll_call_file is not None and activity_id is None:
        raise click.UsageError("--roll-call needs --activity")
    kiosk = state.kiosk()
    start, end = report_days(kiosk, day, first, last, activity_id)
    files = (csv_file, xlsx_file, pdf_file, roll_call_file)
    # A file is a document: its words (and the report's placeholders) in the document language.
    words = _document_words() if any(f is not None for f in files) else untranslated
    result = build_desk_report(kiosk.store.writer, kiosk.policy, start, end, activity_id, translate=words)
    for line in summary_lines(result):
        click.echo(line)
    try:
        if csv_file is not None:
            write_report_csv(result, csv_file, translate=words)
            click.echo(f"CSV written to {csv_file}", err=True)
        if xlsx_file is not None:
            write_report_xlsx(result, xlsx_file, translate=words)
            click.echo(f"XLSX written to {xlsx_file}", err=True)
        if pdf_file is not None or roll_call_file is not None:
            _write_pdfs(kiosk, result, pdf_file, roll_call_file)
    except OSError as exc:
        raise click.ClickException(f"cannot write the report: {exc}") from exc


COMMANDS: list[click.Command] = [report]
