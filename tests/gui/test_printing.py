"""The printed report and the evacuation roll-call: real PDFs, read back with pypdf.

Run with ``KIOSK_PRINT_PREVIEWS=some/folder`` to keep PNG previews of the
first pages; otherwise they go to a temporary folder and are only checked.
"""

from __future__ import annotations

import os
import random
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QRawFont
from pytestqt.qtbot import QtBot

from checkin_protocol.visits import ReviewReason
from kiosk.demo.names import random_name
from kiosk.services.desk_reports import DeskReport, VisitRow, group_totals, volunteer_rows
from kiosk.ui.i18n import choose_cjk_font
from kiosk.ui.printing import (
    BODY_PT,
    PREVIEW_DPI,
    RollCallPerson,
    page_layout,
    render_html_page,
    report_html,
    roll_call_html,
    write_report_pdf,
    write_roll_call_pdf,
)

CHINA = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 29, 10, 32, tzinfo=CHINA)
DAY = date(2026, 11, 29)


def _previews(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("KIOSK_PRINT_PREVIEWS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _pdf_text(path: Path) -> list[str]:
    """Each page's text, with the tabs pypdf puts between words turned into spaces."""
    return [page.extract_text().replace("\t", " ") for page in PdfReader(path).pages]


def _as_in_pdf(text: str) -> str:
    """``text`` as the PDF's text map spells it.

    Qt's PDF writer maps each glyph back to the lowest code point that has
    it, and Noto Sans CJK draws 人 and ⼈ (KANGXI RADICAL MAN), 页 and ⻚
    (CJK RADICAL C-SIMPLIFIED LEAF) with one glyph: such characters come
    back as the radical. The page looks right; only the extracted text differs.
    """
    raw = QRawFont.fromFont(choose_cjk_font(BODY_PT))
    radicals = "".join(chr(code) for code in range(0x2E80, 0x2FE0))
    by_glyph: dict[int, str] = {}
    for radical, glyph in zip(radicals, raw.glyphIndexesForString(radicals), strict=True):
        if glyph:
            by_glyph.setdefault(glyph, radical)
    glyphs = raw.glyphIndexesForString(text)
    return "".join(by_glyph.get(glyph, char) for char, glyph in zip(text, glyphs, strict=True))


def _assert_in(expected: str, text: str) -> None:
    assert _as_in_pdf(expected) in text, f"{expected!r} not in {text!r}"


def _visit(volunteer_id: str, name: str, organisation: str, minutes: int, *reasons: ReviewReason) -> VisitRow:
    check_in = datetime(2026, 11, 29, 9, 0, tzinfo=CHINA)
    return VisitRow(
        service_date=DAY,
        volunteer_id=volunteer_id,
        name=name,
        organisation=organisation,
        activity_id="A1",
        activity_title="图书馆阅读推广志愿服务",
        category="文化服务",
        check_in=check_in,
        check_out=check_in + timedelta(minutes=minutes),
        credited_seconds=minutes * 60,
        review_reasons=reasons,
        on_site=False,
    )


def _report() -> DeskReport:
    visits = [
        _visit("V000000001", "雷彩霞", "江城市图书馆志愿服务队", 135),
        _visit("V000000002", "王芳", "东湖社区志愿服务队", 150),
        _visit("V000000003", "欧阳娜娜", "东湖社区志愿服务队", 210, ReviewReason.AUTO_CLOSED),
    ]
    return DeskReport(
        DAY,
        DAY,
        None,
        None,
        volunteer_rows(visits),
        group_totals(visits, "category"),
        group_totals(visits, "organisation"),
        tuple(visits),
    )


def _people(count: int) -> list[RollCallPerson]:
    rng = random.Random(7)
    people: list[RollCallPerson] = [
        ("雷彩霞", "V000000001", "1234", NOW - timedelta(minutes=90)),
        ("欧阳娜娜", "V000000002", None, NOW - timedelta(days=1, minutes=5)),
    ]
    for number in range(3, count + 1):
        people.append((random_name(rng), f"V{number:09d}", f"{number:04d}", NOW - timedelta(minutes=number)))
    return people


def test_the_report_pdf_has_the_volunteers_and_totals(qtbot: QtBot, tmp_path: Path) -> None:
    path = write_report_pdf(_report(), tmp_path / "report.pdf", "志愿服务时长报表 2026-11-29")
    assert path.read_bytes().startswith(b"%PDF")
    text = "\n".join(_pdf_text(path))
    for expected in ("志愿服务时长报表 2026-11-29", "雷彩霞", "王芳", "欧阳娜娜", "东湖社区志愿服务队"):
        _assert_in(expected, text)
    for volunteer_id in ("V000000001", "V000000002", "V000000003"):
        _assert_in(volunteer_id, text)
    _assert_in("服务时长（小时）：\n8.25", text)  # the label, then the total in bold
    _assert_in("待复核记录", text)
    _assert_in("未签退，已自动", text)  # the cell wraps before 签退
    metadata = PdfReader(path).metadata
    assert metadata is not None and metadata.title == "志愿服务时长报表 2026-11-29"


def test_the_report_html_has_the_report_files_chinese_labels() -> None:
    """The report's labels come from the "Report" words through the document translator, as before."""
    html = report_html(_report(), "志愿服务时长报表 2026-11-29")
    head = "".join(
        f"<th>{h}</th>" for h in ("志愿者编号", "姓名", "所属组织", "签到次数", "服务时长（小时）")
    )
    assert head + "<th>待复核次数</th>" in html
    for group in ("服务类别", "组织"):
        assert f"<th>{group}</th><th>签到次数</th><th>志愿者人数</th><th>服务时长（小时）</th>" in html
    assert "<td>合计</td><td>3 人</td>" in html
    assert '<td>合计</td><td class="n">3</td>' in html
    assert "报表期间：<b>2026-11-29</b>" in html and "活动：<b>全部活动</b>" in html
    assert "<td>未签退，已自动签退</td>" in html


def test_the_roll_call_pdf_lists_everyone_on_site_and_the_count(qtbot: QtBot, tmp_path: Path) -> None:
    people = _people(3)
    path = write_roll_call_pdf("图书馆阅读推广志愿服务", "江城市图书馆", NOW, people, tmp_path / "roll.pdf")
    assert path.read_bytes().startswith(b"%PDF")
    (text,) = _pdf_text(path)
    for expected in (
        "紧急疏散点名表",
        "活动：图书馆阅读推广志愿服务",
        "地点：江城市图书馆",
        "2026-11-29 10:32",
    ):
        _assert_in(expected, text)
    _assert_in("在场人数：3 人", text)
    for name, volunteer_id, _, _ in people:
        _assert_in(name, text)
        _assert_in(volunteer_id, text)
    assert "1234" in text and "09:02" in text, "the phone tail and the check-in time"
    assert "11-28 10:27" in text, "a check-in on another day shows its date"


def test_a_long_roll_call_runs_over_pages_with_the_header_on_each(qtbot: QtBot, tmp_path: Path) -> None:
    people = _people(90)
    path = write_roll_call_pdf("湖岸清洁", "南湖", NOW, people, tmp_path / "roll.pdf")
    pages = _pdf_text(path)
    assert len(pages) >= 2
    assert all("志愿者编号" in page for page in pages), "the table header repeats"
    _assert_in(f"第 2 页 / 共 {len(pages)} 页", pages[1])
    text = "\n".join(pages)
    _assert_in("在场人数：90 人", text)
    for name, volunteer_id, _, _ in people:
        _assert_in(name, text)
        _assert_in(volunteer_id, text)


def test_an_empty_roll_call_says_nobody_is_on_site(qtbot: QtBot, tmp_path: Path) -> None:
    (text,) = _pdf_text(write_roll_call_pdf("湖岸清洁", "南湖", NOW, [], tmp_path / "roll.pdf"))
    _assert_in("在场人数：0 人", text)
    _assert_in("当前无人在场", text)


def test_a_pdf_into_a_missing_folder_is_refused(qtbot: QtBot, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_roll_call_pdf("湖岸清洁", "南湖", NOW, [], tmp_path / "nowhere" / "roll.pdf")


def test_previews_render_the_first_pages(qtbot: QtBot, tmp_path: Path) -> None:
    folder = _previews(tmp_path)
    pages = {
        "report-page1.png": report_html(_report(), "志愿服务时长报表 2026-11-29"),
        "roll-call-page1.png": roll_call_html("图书馆阅读推广志愿服务", "江城市图书馆", NOW, _people(40)),
    }
    for name, html in pages.items():
        image = render_html_page(html, 0)
        assert image.size() == page_layout().fullRectPixels(PREVIEW_DPI).size()
        dark = [
            (x, y)
            for y in range(0, image.height(), 5)
            for x in range(0, image.width(), 5)
            if image.pixelColor(x, y).lightness() < 128
        ]
        assert len(dark) > 200, f"{name}: text was painted"
        assert image.save(str(folder / name))
    with pytest.raises(IndexError):
        render_html_page(pages["report-page1.png"], 5)
