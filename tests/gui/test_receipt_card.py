"""The service receipt on the check-out card, read back from the screen, and checked at the desk.

A real kiosk window (offscreen), store, writer thread and device key: after a
check-out the card shows the receipt's QR code; a picture of the window, and
the same picture as a phone held at arm's length would take it (perspective,
blur, noise), go through the kiosk's own decoder chain, and the receipt read
from it verifies under the kiosk's device public key and names the visit.
At the desk (reached with taps only) the coordinator checks receipts: this
kiosk's, altered, another kiosk's, and text that is no receipt.

``KIOSK_SCREENSHOTS`` set: the card and the desk page go to docs/screenshots
(``kiosk-checked-out-receipt-*``, ``desk-receipt-*``), audited at every size.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from helpers.extra_translations import add_translations, extra_translations
from helpers.fakes import make_activity
from helpers.gui import TEST_PIN, KioskUnderTest, make_kiosk
from helpers.receipt_screen import grab_bgr, phone_view, read_receipt_urls
from helpers.screenshots import MAIN_SIZE, Shooter, screenshot_folder
from helpers.touch import tap
from PySide6.QtCore import QPoint, QTranslator
from pytestqt.qtbot import QtBot

from checkin_protocol.codes.receipts import read_receipt, sign_receipt
from kiosk.services.outcome import OutcomeKind
from kiosk.store import sync_state
from kiosk.store.device_keys import device_key
from kiosk.store.roster_import import import_roster
from kiosk.ui.result_flow import RECEIPT_STAYS
from kiosk.ui.widgets.receipt_qr import PREFERRED_MODULE_PX

__all__ = ["extra_translations"]  # the fixture, used by name

WAIT_MS = 20_000
SERVER = "https://v.example.cn"
VISIT_S = 2 * 3600 + 15 * 60
ROSTER = "volunteer_id,name,phone\nV000000001,雷彩霞,13812345678\nV000000002,王小明,13900001111\n"


def _kiosk(
    tmp_path: Path, language: str, *, cloud: bool = True
) -> tuple[KioskUnderTest, Ed25519PrivateKey | None]:
    ui = make_kiosk(tmp_path / "data", make_activity(capacity=30), language=language)
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    import_roster(ui.kiosk.store.writer, roster)
    key = None
    if cloud:  # as registration leaves it: the cloud's address and a device key
        key = device_key(ui.kiosk.store.path, create=True)
        with ui.kiosk.store.write() as db:
            sync_state.set_value(db, sync_state.SERVER_URL, SERVER)
    return ui, key


@pytest.fixture
def started(qtbot: QtBot, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[KioskUnderTest]:
    language = getattr(request, "param", "zh_CN")
    ui, _ = _kiosk(tmp_path, language)
    yield from _run(qtbot, ui)


def _run(qtbot: QtBot, ui: KioskUnderTest) -> Iterator[KioskUnderTest]:
    qtbot.addWidget(ui.window)
    ui.window.resize(*MAIN_SIZE)
    ui.window.start()
    try:
        yield ui
    finally:
        ui.window.exit_kiosk()
        ui.kiosk.close()


def _scan(qtbot: QtBot, ui: KioskUnderTest, text: str) -> None:
    with qtbot.waitSignal(ui.window.result_shown, timeout=WAIT_MS):
        ui.window.submit_code(text)


def _check_out(qtbot: QtBot, ui: KioskUnderTest, volunteer: str = "V000000001", name: str = "雷*霞") -> None:
    card = ui.card(volunteer, name)
    _scan(qtbot, ui, card)
    ui.clock.advance(VISIT_S)
    with qtbot.waitSignal(ui.window.result_shown, timeout=WAIT_MS) as blocker:
        ui.window.submit_code(card)
    assert blocker.args[0].kind is OutcomeKind.CHECKED_OUT
    code = ui.window.screen_kiosk.result.receipt.code
    qtbot.waitUntil(lambda: code.ready, timeout=WAIT_MS)


def _public_key(ui: KioskUnderTest) -> Ed25519PrivateKey:
    key = device_key(ui.kiosk.store.path, create=False)
    assert key is not None
    return key


def test_a_check_out_shows_a_receipt_that_a_phone_reads_off_the_screen(
    qtbot: QtBot, started: KioskUnderTest
) -> None:
    ui = started
    _check_out(qtbot, ui)
    card = ui.window.screen_kiosk.result
    code = card.receipt.code
    assert card.receipt.isVisible() and card.figures.stacked
    assert code.module_px >= PREFERRED_MODULE_PX, (
        "8 px per module at 1920x1080: a phone reads it at arm's length"
    )
    assert ui.window.results.idle_timer.interval() == ui.window.results.result_ms() * RECEIPT_STAYS
    (event_in, event_out) = ui.kiosk.store.writer.execute(
        "SELECT event_id FROM events WHERE volunteer_id = 'V000000001' ORDER BY seq"
    ).fetchall()
    screen = grab_bgr(ui.window)
    urls = read_receipt_urls(screen)
    assert urls == [code.text]
    assert urls[0].startswith("HTTPS://V.EXAMPLE.CN/R/VR1:")
    signed = read_receipt(urls[0])
    assert signed.verify(_public_key(ui).public_key())
    receipt = signed.receipt
    assert (receipt.kiosk_id, receipt.volunteer_id, receipt.minutes) == (ui.kiosk.kiosk_id, "V000000001", 135)
    assert (receipt.in_event_id, receipt.out_event_id) == (event_in[0], event_out[0])
    assert receipt.checked_out - receipt.checked_in == replace(receipt).checked_out - receipt.checked_in
    assert (receipt.checked_out - receipt.checked_in).total_seconds() == VISIT_S
    # A phone held up to the screen: the card filling most of the picture, or the code alone.
    top_left = card.mapTo(ui.window, QPoint(0, 0))
    card_region = (top_left.x(), top_left.y(), card.width(), card.height())
    code_left = code.mapTo(ui.window, QPoint(0, 0))
    code_region = (code_left.x(), code_left.y(), code.width(), code.height())
    for seed in range(3):
        for region, fill in ((card_region, 0.95), (code_region, 0.7)):
            frame = phone_view(screen, region, seed, fill)
            found = read_receipt_urls(frame)
            assert found == [code.text], (seed, region)
            assert read_receipt(found[0]).verify(_public_key(ui).public_key())


def test_a_kiosk_with_no_cloud_shows_the_card_as_before(qtbot: QtBot, tmp_path: Path) -> None:
    ui, _ = _kiosk(tmp_path, "zh_CN", cloud=False)
    for running in _run(qtbot, ui):
        card = ui.card()
        _scan(qtbot, running, card)
        running.clock.advance(VISIT_S)
        _scan(qtbot, running, card)
        result = running.window.screen_kiosk.result
        assert result.title.text() == "签退成功"
        assert result.receipt.isHidden() and not result.figures.stacked
        assert running.window.results.idle_timer.interval() == running.window.results.result_ms()
        assert read_receipt_urls(grab_bgr(running.window)) == []
        # The cloud's address alone (no device key) is not enough either.
        with running.kiosk.store.write() as db:
            sync_state.set_value(db, sync_state.SERVER_URL, SERVER)
        other = running.card("V000000002", "王*")
        _scan(qtbot, running, other)
        running.clock.advance(600)
        _scan(qtbot, running, other)
        assert result.receipt.isHidden()


def test_the_next_card_has_no_receipt(qtbot: QtBot, started: KioskUnderTest) -> None:
    _check_out(qtbot, started)
    _scan(qtbot, started, started.card("V000000002", "王*"))  # a check-in replaces the card
    result = started.window.screen_kiosk.result
    assert result.title.text() == "签到成功"
    assert result.receipt.isHidden() and not result.figures.stacked


def _open_receipts_page(qtbot: QtBot, ui: KioskUnderTest) -> None:
    """Coordinator → PIN (tapped) → the Receipts tab (tapped)."""
    tap(qtbot, ui.window.screen_kiosk.coordinator_button)
    for digit in TEST_PIN:
        tap(qtbot, ui.window.screen_pin.digit_buttons[digit])
    with qtbot.waitSignal(ui.window.pin_answered, timeout=WAIT_MS):
        tap(qtbot, ui.window.screen_pin.ok_button)
    assert ui.window.pages.currentWidget() is ui.window.desk.screen
    tap(qtbot, ui.window.desk.screen.tabs["receipt"])


def _altered(text: str, minutes: int) -> str:
    """The receipt with more minutes written in, its signature kept."""
    signed = read_receipt(text)
    payload = replace(signed.receipt, minutes=minutes).to_payload()
    return "VR1:" + base64.b32encode(payload + signed.signature).decode().rstrip("=")


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_desk_checks_receipts(
    qtbot: QtBot, tmp_path: Path, language: str, extra_translations: list[QTranslator]
) -> None:
    ui, _ = _kiosk(tmp_path, language)
    add_translations(extra_translations, language)
    for running in _run(qtbot, ui):
        shooter = Shooter(qtbot, running.window, "kiosk", language, screenshot_folder(tmp_path))
        _check_out(qtbot, running)
        shooter.shot("checked-out-receipt")
        url = running.window.screen_kiosk.result.receipt.code.text
        running.clock.advance(60)
        _open_receipts_page(qtbot, running)
        page = running.window.desk.receipt_page
        desk = Shooter(qtbot, running.window, "desk", language, screenshot_folder(tmp_path))

        running.window.submit_code(url)  # the desk's camera or scanner reads the volunteer's phone
        zh = language == "zh_CN"
        assert page.verdict.text() == (
            "✔ 凭证有效：由本机签发" if zh else "✔ Valid: this kiosk issued this receipt"
        )
        details = page.details.text()
        assert "雷彩霞 (V000000001)" in details
        assert ("2 小时 15 分钟" if zh else "2 h 15 min") in details
        assert ("尚未送达平台" if zh else "Not on the platform yet") in details
        assert page.link.isHidden()
        desk.shot("receipt-valid")

        page.field.setText(_altered(url, 600))  # pasted
        tap(qtbot, page.check_button)
        assert page.verdict.text() == (
            "✘ 凭证无效：已被改动或伪造" if zh else "✘ Not valid: this receipt was altered or forged"
        )
        assert "雷彩霞" not in page.details.text()
        desk.shot("receipt-forged")

        theirs = read_receipt(url).receipt
        other = sign_receipt(replace(theirs, kiosk_id="KOTHER00001"), Ed25519PrivateKey.generate())
        page.field.setText(other)
        tap(qtbot, page.check_button)
        assert page.verdict.text() == (
            "另一台签到机的凭证，请到平台核对"
            if zh
            else "A receipt of another kiosk: please check it on the platform"
        )
        assert page.link.isVisible() and page.link.toPlainText() == f"HTTPS://V.EXAMPLE.CN/R/{other}"
        desk.shot("receipt-other-kiosk")

        page.field.setText("https://weixin.qq.com/r/not-a-receipt")
        tap(qtbot, page.check_button)
        assert page.verdict.text() == ("✘ 这不是服务凭证" if zh else "✘ This is not a service receipt")

        tap(qtbot, page.clear_button)
        assert page.field.text() == "" and page.verdict.isHidden()
        shooter.assert_clean()
        desk.assert_clean()


def test_a_receipt_scanned_on_another_desk_page_opens_the_receipts_page(
    qtbot: QtBot, started: KioskUnderTest
) -> None:
    _check_out(qtbot, started)
    url = started.window.screen_kiosk.result.receipt.code.text
    _open_receipts_page(qtbot, started)
    desk = started.window.desk
    tap(qtbot, desk.screen.tabs["on_site"])
    started.window.submit_code(url.lower())  # a scanner typing with Caps Lock on
    assert desk.screen.current_key() == "receipt"
    assert desk.receipt_page.verdict.text() == "✔ 凭证有效：由本机签发"


def test_a_scanner_typing_a_receipt_into_the_check_in_search_opens_the_receipts_page(
    qtbot: QtBot, started: KioskUnderTest
) -> None:
    """A USB scanner types into whatever box has the focus, one key at a time; the half-typed address is
    left alone, and the whole one is checked as a receipt and taken out of the search box."""
    _check_out(qtbot, started)
    url = started.window.screen_kiosk.result.receipt.code.text
    _open_receipts_page(qtbot, started)
    desk = started.window.desk
    tap(qtbot, desk.screen.tabs["check_in"])
    search = desk.check_in_page.search
    search.setFocus()
    with qtbot.waitSignal(search.query_changed, timeout=WAIT_MS):  # a scanner that pauses before the end
        qtbot.keyClicks(search, url[:-1])
    assert desk.screen.current_key() == "check_in" and search.text() == url[:-1]
    qtbot.keyClicks(search, url[-1])
    qtbot.waitUntil(lambda: desk.screen.current_key() == "receipt", timeout=WAIT_MS)
    assert desk.receipt_page.verdict.text() == "✔ 凭证有效：由本机签发"
    assert search.text() == ""
