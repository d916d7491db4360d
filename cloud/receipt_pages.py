"""The service receipt page: ``GET /R/{receipt}`` (and ``/r/{receipt}``), what a volunteer's phone opens.

The kiosk's check-out card shows the receipt as a QR code of this URL
(:func:`checkin_protocol.codes.receipts.receipt_url`). The page is public on
purpose: the receipt itself is the proof, so anyone holding it may check it,
and it shows no more than the kiosk's card did (the name masked). It is one
server-made HTML page, phone first, with no script: Chinese by default,
English with ``?lang=en`` (remembered like the dashboard's choice), its words
in ``dashboard/static/receipt_strings.json`` and its styles in
``dashboard/static/receipt.css``, both linked relatively so the page works
under a path prefix too.

Replies: 200 for a genuine receipt, 404 when the kiosk it names is unknown,
400 for anything else refused, 503 when the database cannot answer; each is
a page saying what happened and what to do, never a stack trace. Every reply
carries ``Cache-Control: no-store``, ``Referrer-Policy: no-referrer`` and
``X-Robots-Tag: noindex`` (the URL holds a person's visit), and a
Content-Security-Policy that allows no script at all.
"""

from __future__ import annotations

import html
import json
import logging
from datetime import UTC, datetime, timedelta, timezone
from functools import cache
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse

from cloud.dashboard.web import STATIC_DIR, chosen_language, remember_language
from cloud.instance import CloudInstance
from cloud.receipt_api import router as receipt_api_router
from cloud.receipt_findings import ReceiptFindings, Verdict, check_receipt

log = logging.getLogger(__name__)

STRINGS_FILE = "receipt_strings.json"
STYLE_FILE = "receipt.css"
#: From ``/R/<text>``, the dashboard's static files and the pass page, relative so a path prefix is kept.
STYLE_HREF = f"../dashboard/static/{STYLE_FILE}"
ICON_HREF = "../dashboard/static/favicon.svg"
PASS_HREF = "../pass/#proof="
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
PAGE_HEADERS = {
    "cache-control": "no-store",
    "referrer-policy": "no-referrer",
    "x-robots-tag": "noindex",
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
}
_STATUS_OF = {Verdict.VALID: 200, Verdict.UNKNOWN_KIOSK: 404}

router = APIRouter(include_in_schema=False)


@cache
def page_words() -> dict[str, dict[str, str]]:
    """The page's words, per language (``zh``, ``en``), from ``receipt_strings.json``."""
    words: dict[str, dict[str, str]] = json.loads((STATIC_DIR / STRINGS_FILE).read_text(encoding="utf-8"))
    return words


class _Words:
    """The words of one language, formatted and escaped for HTML."""

    def __init__(self, language: str) -> None:
        self.language = language
        self._table = page_words()[language]

    def raw(self, key: str, **values: Any) -> str:
        return self._table[key].format(**values)

    def __call__(self, key: str, **values: Any) -> str:
        return html.escape(self.raw(key, **values))


def duration_text(words: _Words, seconds: int) -> str:
    """Whole minutes as hours and minutes (``2 小时 5 分钟``), or minutes alone under an hour."""
    hours, minutes = divmod(max(0, seconds) // 60, 60)
    if hours == 0:
        return words.raw("duration.minutes", minutes=minutes)
    return words.raw("duration.hours_minutes", hours=hours, minutes=minutes)


def zone_text(offset_min: int) -> str:
    """A UTC offset as ``UTC+08:00``."""
    sign = "+" if offset_min >= 0 else "-"
    hours, minutes = divmod(abs(offset_min), 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


def date_text(words: _Words, moment: datetime) -> str:
    """A local date as people write it (``2026年5月3日``, ``3 May 2026``)."""
    return words.raw(
        "date",
        year=moment.year,
        month=moment.month,
        day=moment.day,
        month_name=words.raw(f"month.{moment.month}"),
    )


def visit_times(words: _Words, findings: ReceiptFindings) -> tuple[str, str]:
    """Check-in and check-out in the findings' local time; the check-out's date only when it differs."""
    receipt = findings.receipt
    assert receipt is not None
    zone = timezone(timedelta(minutes=findings.utc_offset_min))
    checked_in, checked_out = receipt.checked_in.astimezone(zone), receipt.checked_out.astimezone(zone)
    first = words.raw("date_time", date=date_text(words, checked_in), time=checked_in.strftime("%H:%M"))
    last = checked_out.strftime("%H:%M")
    if checked_out.date() != checked_in.date():
        last = words.raw("date_time", date=date_text(words, checked_out), time=last)
    return first, last


def _row(label: str, value: str) -> str:
    return f"<div><dt>{label}</dt><dd>{html.escape(value)}</dd></div>"


def _status_section(words: _Words, findings: ReceiptFindings) -> str:
    status = findings.platform
    assert status is not None
    items = "".join(f"<li>{words(f'difference.{d.value}')}</li>" for d in findings.differences)
    listed = f"<ul>{items}</ul>" if items else ""
    return (
        f'<section class="status status-{status.value}" role="status">'
        f"<h2>{words(f'status.{status.value}')}</h2><p>{words(f'status.{status.value}_note')}</p>{listed}</section>"
    )


def _visit_rows(words: _Words, findings: ReceiptFindings) -> str:
    receipt = findings.receipt
    assert receipt is not None
    if findings.volunteer_name:
        person = words.raw("volunteer.named", name=findings.volunteer_name, id=receipt.volunteer_id)
    else:
        person = words.raw("volunteer.unknown", id=receipt.volunteer_id)
    activity = findings.activity_title or words.raw("activity.unknown", id=receipt.activity_id)
    checked_in, checked_out = visit_times(words, findings)
    rows = [_row(words("field.volunteer"), person), _row(words("field.activity"), activity)]
    if findings.venue:
        rows.append(_row(words("field.venue"), findings.venue))
    rows += [_row(words("field.checked_in"), checked_in), _row(words("field.checked_out"), checked_out)]
    if findings.platform_seconds is not None:
        rows.append(_row(words("field.platform_minutes"), duration_text(words, findings.platform_seconds)))
    if findings.platform_total is not None:
        rows.append(_row(words("field.total"), duration_text(words, findings.platform_total.total_seconds)))
    rows.append(_row(words("field.kiosk"), receipt.kiosk_id))
    return f'<dl class="visit">{"".join(rows)}</dl>'


def _valid_body(words: _Words, findings: ReceiptFindings) -> str:
    receipt = findings.receipt
    assert receipt is not None
    zone_key = "time.kiosk_zone" if findings.local_time_known else "time.china"
    offer = ""
    if findings.pass_offer:
        href = html.escape(PASS_HREF + findings.text)
        offer = (
            f'<a class="pass-link" href="{href}">{words("pass.link")}</a>'
            f'<p class="pass-note">{words("pass.note")}</p>'
        )
    return (
        '<header class="verdict verdict-valid">'
        f'<h1><span class="mark" aria-hidden="true">✓</span>{words("valid.heading")}</h1>'
        f"<p>{words('valid.lead', kiosk=receipt.kiosk_id)}</p></header>"
        f'<p class="duration"><span class="label">{words("field.minutes")}</span>'
        f'<span class="figure">{html.escape(duration_text(words, receipt.minutes * 60))}</span></p>'
        f"{_status_section(words, findings)}{_visit_rows(words, findings)}"
        f'<p class="zone">{words(zone_key, zone=zone_text(findings.utc_offset_min))}</p>{offer}'
    )


def _refused_body(words: _Words, verdict: str, kiosk_id: str | None) -> str:
    return (
        '<header class="verdict verdict-refused" role="alert">'
        f'<h1><span class="mark" aria-hidden="true">✗</span>{words(f"refused.{verdict}")}</h1>'
        f"<p>{words(f'refused.{verdict}_note', kiosk=kiosk_id or '')}</p></header>"
    )


def page_html(language: str, findings: ReceiptFindings | None) -> str:
    """The whole page in ``language`` for ``findings`` (None: the platform could not answer now)."""
    words = _Words(language)
    if findings is None:
        body, title = _refused_body(words, "unavailable", None), words("refused.title")
    elif findings.valid:
        body, title = _valid_body(words, findings), words("page.title")
    else:
        body, title = _refused_body(words, findings.verdict.value, findings.kiosk_id), words("refused.title")
    other = words("lang.other_code")
    return f"""<!doctype html>
<html lang="{words("html_lang")}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="robots" content="noindex">
<title>{title}</title>
<link rel="icon" href="{ICON_HREF}" type="image/svg+xml">
<link rel="stylesheet" href="{STYLE_HREF}">
</head>
<body>
<main>
<p class="lang"><a href="?lang={other}" lang="{other}">{words("lang.other")}</a></p>
{body}
<p class="about">{words("about")}</p>
</main>
</body>
</html>
"""


def _instance(request: Request) -> CloudInstance:
    instance = request.app.state.instance
    assert isinstance(instance, CloudInstance)
    return instance


def _reply(request: Request, receipt: str) -> HTMLResponse:
    language = chosen_language(request)
    instance = _instance(request)
    findings: ReceiptFindings | None = None
    status = 503
    try:
        findings = check_receipt(instance.store, receipt, instance.clock().astimezone(UTC))
        status = _STATUS_OF.get(findings.verdict, 400)
    except Exception:  # the database away or broken: a page that says so, the details in the log
        log.exception("a receipt page could not be answered")
    response = HTMLResponse(page_html(language, findings), status_code=status, headers=PAGE_HEADERS)
    remember_language(response, request)
    return response


@router.get("/R/{receipt}")
def receipt_page(request: Request, receipt: str) -> HTMLResponse:
    """The receipt page: genuine or not, the visit, and whether the platform has it yet."""
    return _reply(request, receipt)


@router.get("/r/{receipt}")
def receipt_page_lower_case(request: Request, receipt: str) -> HTMLResponse:
    """The same page, for a phone or scanner that lower-cased the URL."""
    return _reply(request, receipt)


def install_receipts(app: FastAPI) -> None:
    """Serve the receipt page and ``POST /api/v1/receipts/check`` (:mod:`cloud.receipt_api`) on ``app``."""
    app.include_router(receipt_api_router)
    app.include_router(router)
