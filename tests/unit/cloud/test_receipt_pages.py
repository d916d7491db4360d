"""The receipt page's words and figures: both languages complete, every finding shown, times and hours as people read them."""

from __future__ import annotations

import inspect
import re
import string
import uuid
from datetime import UTC, datetime

import pytest
from helpers.receipts import visible_text

from checkin_protocol.codes.receipts import ServiceReceipt
from cloud import receipt_pages
from cloud.receipt_findings import Difference, PlatformStatus, ReceiptFindings, Verdict
from cloud.receipt_pages import _Words, duration_text, page_html, page_words, zone_text
from cloud.receipt_queries import PlatformTotal

RECEIPT = ServiceReceipt(
    kiosk_id="K1",
    volunteer_id="V001",
    activity_id="A1",
    checked_in=datetime(2026, 11, 29, 15, 30, tzinfo=UTC),
    checked_out=datetime(2026, 11, 29, 16, 35, tzinfo=UTC),
    minutes=65,
    in_event_id=str(uuid.UUID(int=1)),
    out_event_id=str(uuid.UUID(int=2)),
)


def _valid(**changes: object) -> ReceiptFindings:
    values: dict[str, object] = {
        "verdict": Verdict.VALID,
        "detail": "genuine",
        "kiosk_id": "K1",
        "receipt": RECEIPT,
        "platform": PlatformStatus.AT_KIOSK,
        "volunteer_name": "雷*霞",
        "activity_title": "图书馆阅读推广志愿服务",
        "venue": "江城市图书馆",
        "text": "VR1:ABC",
    }
    values.update(changes)
    return ReceiptFindings(**values)  # type: ignore[arg-type]


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_both_languages_have_every_word_with_the_same_blanks() -> None:
    words = page_words()
    assert set(words) == {"zh", "en"}
    assert set(words["zh"]) == set(words["en"])
    for key in words["zh"]:
        assert words["zh"][key].strip() and words["en"][key].strip(), key
        if key != "date":  # written as each language writes dates, from the same four values
            assert _fields(words["zh"][key]) == _fields(words["en"][key]), key
    assert _fields(words["zh"]["date"]) | _fields(words["en"]["date"]) <= {
        "year",
        "month",
        "day",
        "month_name",
    }


def test_every_word_the_page_looks_up_is_in_the_table() -> None:
    source = inspect.getsource(receipt_pages)
    literal = set(re.findall(r'words(?:\.raw)?\(\s*"([a-z_.]+)"', source))
    assert literal <= set(page_words()["zh"]), literal - set(page_words()["zh"])
    for prefix, names in (
        ("status", [s.value for s in PlatformStatus] + [f"{s.value}_note" for s in PlatformStatus]),
        ("difference", [d.value for d in Difference]),
        ("refused", [v.value for v in Verdict if v is not Verdict.VALID] + ["unavailable"]),
    ):
        for name in names:
            assert f"{prefix}.{name}" in page_words()["zh"], f"{prefix}.{name}"


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_finding_renders_in_both_languages(language: str) -> None:
    for status in PlatformStatus:
        shown = visible_text(page_html(language, _valid(platform=status, differences=tuple(Difference))))
        assert page_words()[language][f"status.{status.value}"] in shown
    for verdict in Verdict:
        if verdict is not Verdict.VALID:
            shown = visible_text(page_html(language, ReceiptFindings(verdict, "refused", kiosk_id="K9")))
            assert page_words()[language][f"refused.{verdict.value}"] in shown
            assert "V001" not in shown
    assert page_words()[language]["refused.unavailable"] in visible_text(page_html(language, None))


def test_hours_and_minutes_read_as_people_say_them() -> None:
    zh, en = _Words("zh"), _Words("en")
    assert duration_text(zh, 65 * 60) == "1 小时 5 分钟"
    assert duration_text(zh, 45 * 60 + 59) == "45 分钟"
    assert duration_text(en, 120 * 60) == "2 h 0 min"
    assert duration_text(en, 0) == "0 min"


def test_utc_offsets_read_with_sign_hours_and_minutes() -> None:
    assert zone_text(480) == "UTC+08:00"
    assert zone_text(-210) == "UTC-03:30"
    assert zone_text(0) == "UTC+00:00"


def test_a_visit_past_local_midnight_shows_both_dates() -> None:
    shown = visible_text(page_html("zh", _valid()))  # 23:30 to 00:35 in China
    assert "2026年11月29日 23:30" in shown and "2026年11月30日 00:35" in shown
    assert "以上时间为北京时间（UTC+08:00）" in shown
    same_day = visible_text(page_html("en", _valid(utc_offset_min=0, local_time_known=True)))
    assert "29 November 2026, 15:30" in same_day and "Checked out 16:35" in same_day
    assert "Times are the kiosk's local time (UTC+00:00)." in same_day


def test_what_the_platform_knows_is_shown_and_what_it_does_not_is_said() -> None:
    recorded = visible_text(
        page_html(
            "zh",
            _valid(
                platform=PlatformStatus.RECORDED,
                platform_total=PlatformTotal(36_000, "2026-11-29T17:00:00.000+00:00"),
                platform_seconds=60 * 60,
            ),
        )
    )
    assert "平台累计 10 小时 0 分钟" in recorded and "平台计入 1 小时 0 分钟" in recorded
    unknown = visible_text(page_html("zh", _valid(volunteer_name=None, activity_title=None, venue=None)))
    assert "志愿者 V001 " in unknown and "A1（平台暂无这个活动的信息）" in unknown and "地点" not in unknown


def test_the_pass_link_carries_the_receipt_in_the_fragment_only_when_offered() -> None:
    offered = page_html("zh", _valid(pass_offer=True))
    assert 'href="../pass/#proof=VR1:ABC"' in offered
    assert "../pass/" not in page_html("zh", _valid(pass_offer=False))
