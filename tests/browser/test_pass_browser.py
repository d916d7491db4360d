"""The phone pass page in a real browser: Debian's Chromium at a phone's size against the real cloud.

A volunteer opens ``/pass/``, pastes the text of their card and registers the
phone; the page makes its Ed25519 key with WebCrypto and shows a QR code it
signs itself every 30 s. The kiosk's real decoder chain reads that code from
the screen, straight and as a camera sees a phone held up to it, and the
code verifies with ``pass_codes`` and the public key the cloud stored, and is
fresh by the cloud's clock although the phone's own clock is minutes wrong
(the page measured the offset). The phone's clock is moved forward 30 s and
the code changes to the next step. After the first visit the page works with
the network gone (a proxy in front of the cloud drops every request): it
opens from its service worker and its codes still change. A pass the cloud
revoked says "此手机签到码已停用" once the page is online.

With ``KIOSK_SCREENSHOTS`` set to a folder, the pictures (``pass-<state>-<language>.png``
at 390×844) are saved there for ``docs/screenshots``; every run checks the layout.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import requests
from helpers.cloud_server import RunningCloud, running_cloud
from helpers.dashboard_browser import PHONE, chromium_missing, console_log, set_viewport, started_chromium
from helpers.fakes import FakeClock, make_activity
from helpers.fault_proxy import FaultPlan, FaultProxy, fault_proxy
from helpers.pass_browser import (
    camera_frame,
    install_phone_clock,
    read_pass_codes,
    screenshot,
    shift_phone_clock,
    wait_for_code,
)
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from checkin_protocol.codes.base45 import b45encode
from checkin_protocol.codes.fields import to_payload
from checkin_protocol.codes.issuer import generate_signing_key
from checkin_protocol.codes.pass_codes import (
    STEP_SECONDS,
    Freshness,
    SignedPassCode,
    judge_freshness,
    read_pass_code,
    step_of,
)
from checkin_protocol.codes.receipts import ServiceReceipt, sign_receipt
from checkin_protocol.codes.trust import public_key_from
from checkin_protocol.models import Credential, Method
from cloud.cli_issue import activity_values
from cloud.passes import revoke_passes
from kiosk.app import build_kiosk
from kiosk.config import DataDir, load_config
from kiosk.services.outcome import OutcomeKind
from kiosk.services.pass_scan import PassRefusal
from kiosk.store import passes as kiosk_passes
from kiosk.sync.client import SyncClient
from kiosk.sync.transport import HttpTransport

ROSTER = """volunteer_id,name,phone,org_id,org_name,org_level,org_parent_id,active
V1,雷彩霞,,ORG-1,城关镇志愿者服务队,township,,1
V2,王芳,,ORG-1,城关镇志愿者服务队,township,,1
V3,李建国,,ORG-1,城关镇志愿者服务队,township,,1
"""
WAIT_S = 15
#: How far the page's platform clock may be from the cloud's: the round trip of one GET /time, and the tick.
CLOCK_SLACK_S = 2.0


@dataclass
class PassSite:
    """The cloud with its roster, and the proxy the phone reaches it through (``url``)."""

    cloud: RunningCloud
    proxy: FaultProxy

    @property
    def url(self) -> str:
        return f"{self.proxy.url}/pass/"

    def card(self, volunteer_id: str, masked: str) -> str:
        return self.cloud.issuer.issue_card(volunteer_id, masked, issued_on=date(2026, 1, 1))

    def go_offline(self) -> None:
        self.proxy.plan = FaultPlan({"drop_before": 1.0})

    def go_online(self) -> None:
        self.proxy.plan = FaultPlan({"pass": 1.0})

    def public_key(self, pass_id: str) -> str:
        with self.cloud.store.read() as reader:
            row = reader.pass_row(pass_id)
        assert row is not None, f"the cloud has no pass {pass_id}"
        return row.public_key

    def pass_id_of(self, volunteer_id: str) -> str:
        with self.cloud.store.read() as reader:
            rows = reader.passes_of(volunteer_id)
        assert len(rows) == 1, rows
        return rows[0].pass_id


@pytest.fixture
def site(tmp_path: Path) -> Iterator[PassSite]:
    with running_cloud(tmp_path / "cloud") as cloud:
        roster = tmp_path / "roster.csv"
        roster.write_text(ROSTER, encoding="utf-8")
        assert cloud.store.import_roster(roster).imported
        with fault_proxy(cloud.base_url, FaultPlan({"pass": 1.0})) as proxy:
            yield PassSite(cloud, proxy)


@pytest.fixture
def phone() -> Iterator[WebDriver]:
    """A fresh Chromium (its own profile: no pass, no service worker yet) at a phone's size."""
    missing = chromium_missing()
    if missing:
        pytest.skip(missing)
    with started_chromium() as driver:
        set_viewport(driver, PHONE)
        driver.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": "Asia/Shanghai"})
        yield driver


def visible(driver: WebDriver, element_id: str) -> None:
    WebDriverWait(driver, WAIT_S).until(lambda d: d.find_element(By.ID, element_id).is_displayed())


def text_of(driver: WebDriver, element_id: str) -> str:
    return str(driver.find_element(By.ID, element_id).text)


def layout_problems(driver: WebDriver) -> list[str]:
    """What an elderly volunteer would find wrong at arm's length, found by script."""
    problems: list[str] = driver.execute_script(
        """
        const problems = [];
        const width = document.documentElement.clientWidth;
        if (document.documentElement.scrollWidth > width + 1)
          problems.push(`the page is ${document.documentElement.scrollWidth} px wide in a ${width} px viewport`);
        for (const button of document.querySelectorAll("button")) {
          const box = button.getBoundingClientRect();
          if (box.width && (box.height < 48 || box.width < 48))
            problems.push(`the button "${button.textContent}" is ${box.width}x${box.height} px (< 48)`);
        }
        for (const element of document.querySelectorAll("main *, header *")) {
          if (!element.childElementCount && element.textContent.trim() && element.offsetParent) {
            const size = parseFloat(getComputedStyle(element).fontSize);
            if (size < 18) problems.push(`"${element.textContent.trim().slice(0, 30)}" is set in ${size} px (< 18)`);
          }
        }
        const qr = document.getElementById("qr");
        if (qr.offsetParent && qr.getBoundingClientRect().width < 300)
          problems.push(`the QR code is ${qr.getBoundingClientRect().width} px wide (< 300)`);
        return problems;
        """
    )
    return problems


class Pictures:
    """Checks the layout of each state; saves ``pass-<state>-<language>.png`` into ``$KIOSK_SCREENSHOTS``."""

    def __init__(self, driver: WebDriver) -> None:
        self.driver = driver
        folder = os.environ.get("KIOSK_SCREENSHOTS")
        self.folder = Path(folder) if folder else None
        if self.folder:
            self.folder.mkdir(parents=True, exist_ok=True)

    def shot(self, state: str, language: str) -> None:
        self.driver.execute_script("window.scrollTo(0, 0)")
        problems = layout_problems(self.driver)
        assert not problems, f"pass-{state}-{language}: {problems}"
        if self.folder:
            name = f"pass-{state}-{language}.png"
            assert self.driver.save_screenshot(str(self.folder / name)), name


def switch_language(driver: WebDriver, to: str) -> None:
    driver.find_element(By.ID, "lang-switch").click()
    WebDriverWait(driver, WAIT_S).until(
        lambda d: d.execute_script("return document.documentElement.lang") == to
    )


def enrol(driver: WebDriver, site: PassSite, card: str) -> None:
    """Paste the card's text and register this phone, as a volunteer would; ends on the 'registered' view."""
    visible(driver, "enrol")
    driver.find_element(By.ID, "proof").send_keys(card)
    driver.find_element(By.ID, "enrol-submit").click()
    visible(driver, "enrolled")


def show_pass(driver: WebDriver) -> None:
    driver.find_element(By.ID, "show-pass").click()
    visible(driver, "pass")


def verified(site: PassSite, text: str, pass_id: str) -> SignedPassCode:
    """The code, once it reads as a pass code of ``pass_id`` signed by the key the cloud stored for it."""
    code = read_pass_code(text)
    assert code.pass_id == pass_id
    assert code.verify(public_key_from(site.public_key(pass_id))), "the phone's signature does not verify"
    return code


def assert_step_at(code: SignedPassCode, platform_unix: float) -> None:
    """The code is of the step that holds ``platform_unix`` (within the page's clock slack)."""
    start = code.step * STEP_SECONDS
    assert start - CLOCK_SLACK_S <= platform_unix < start + STEP_SECONDS + CLOCK_SLACK_S, (
        f"step {code.step} is not the step of {platform_unix}"
    )


def qr_centre(driver: WebDriver) -> tuple[float, float]:
    box = driver.find_element(By.ID, "qr").rect
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def is_controlled(driver: WebDriver) -> bool:
    return bool(driver.execute_script("return navigator.serviceWorker.controller !== null"))


def severe(driver: WebDriver) -> list[str]:
    return [entry["message"] for entry in console_log(driver) if entry["level"] == "SEVERE"]


def test_a_card_registers_the_phone_and_its_code_verifies_and_changes_every_step(
    phone: WebDriver, site: PassSite
) -> None:
    install_phone_clock(phone, -7 * 60 * 1000)  # the phone's clock is 7 minutes slow
    pictures = Pictures(phone)
    phone.get(site.url)
    visible(phone, "enrol")
    assert "把这部手机设为签到码" in text_of(phone, "enrol")
    pictures.shot("enrol", "zh_CN")
    switch_language(phone, "en")
    assert "Make this phone your pass" in text_of(phone, "enrol")
    pictures.shot("enrol", "en")
    switch_language(phone, "zh-CN")

    enrol(phone, site, site.card("V1", "雷*霞"))
    assert text_of(phone, "enrolled-name") == "雷*霞"
    assert "添加到主屏幕" in text_of(phone, "enrolled")
    pictures.shot("enrolled", "zh_CN")
    show_pass(phone)
    pass_id = site.pass_id_of("V1")
    assert text_of(phone, "pass-name") == "雷*霞"

    def fresh(text: str) -> bool:
        return judge_freshness(read_pass_code(text).step, time.time(), CLOCK_SLACK_S) is Freshness.FRESH

    first_text, screen, taken = wait_for_code(phone, fresh)
    first = verified(site, first_text, pass_id)
    assert_step_at(first, taken)  # by the cloud's clock, not the phone's slow one
    assert read_pass_codes(camera_frame(screen, qr_centre(phone), seed=1)) == [first_text]
    pictures.shot("code", "zh_CN")
    switch_language(phone, "en")
    assert "changes in" in text_of(phone, "clock-left")
    pictures.shot("code", "en")

    shift_phone_clock(phone, STEP_SECONDS * 1000)
    second_text, screen, taken = wait_for_code(phone, lambda text: text != first_text)
    second = verified(site, second_text, pass_id)
    assert_step_at(second, taken + STEP_SECONDS)
    assert second.step > first.step
    assert read_pass_codes(camera_frame(screen, qr_centre(phone), seed=2)) == [second_text]
    assert judge_freshness(first.step, taken + 2 * 60, CLOCK_SLACK_S) is Freshness.STALE
    assert severe(phone) == []


def test_after_the_first_visit_the_pass_opens_and_changes_with_no_network(
    phone: WebDriver, site: PassSite
) -> None:
    install_phone_clock(phone, 3 * 60 * 1000)  # the phone's clock is 3 minutes fast
    phone.get(site.url)
    enrol(phone, site, site.card("V2", "王*"))
    show_pass(phone)
    pass_id = site.pass_id_of("V2")
    wait_for_code(phone)
    WebDriverWait(phone, WAIT_S).until(is_controlled)  # the service worker holds the page's files
    WebDriverWait(phone, WAIT_S).until(lambda d: text_of(d, "pass-status") == "已连网，签到码有效")

    site.go_offline()
    phone.refresh()
    visible(phone, "pass")
    assert text_of(phone, "pass-name") == "王*"
    WebDriverWait(phone, WAIT_S).until(lambda d: text_of(d, "pass-status") == "没有网络也能用")
    assert site.proxy.counts["drop_before"] > 0, "the phone did try the network, and it was gone"
    offline_text, _, taken = wait_for_code(phone)
    offline = verified(site, offline_text, pass_id)
    assert_step_at(offline, taken)  # the offset measured online still corrects the fast clock
    shift_phone_clock(phone, STEP_SECONDS * 1000)
    later_text, _, taken = wait_for_code(phone, lambda text: text != offline_text)
    assert_step_at(verified(site, later_text, pass_id), taken + STEP_SECONDS)
    site.go_online()


def test_a_revoked_pass_says_so_once_online_and_the_phone_can_register_again(
    phone: WebDriver, site: PassSite
) -> None:
    pictures = Pictures(phone)
    phone.get(site.url)
    enrol(phone, site, site.card("V3", "李*国"))
    show_pass(phone)
    pass_id = site.pass_id_of("V3")
    wait_for_code(phone)
    assert revoke_passes(site.cloud.store, "V3", datetime.now(UTC)) == [pass_id]  # staff: a lost phone

    phone.refresh()
    visible(phone, "revoked")
    assert "此手机签到码已停用" in text_of(phone, "revoked")
    assert read_pass_codes(camera_frame(screenshot(phone), (195, 300))) == []
    pictures.shot("revoked", "zh_CN")
    site.go_offline()
    phone.refresh()
    visible(phone, "revoked")  # remembered: no code comes back offline
    site.go_online()
    phone.find_element(By.ID, "enrol-again").click()
    visible(phone, "enrol")


def test_the_receipt_pages_link_brings_the_receipt_and_registers_the_phone(
    phone: WebDriver, site: PassSite
) -> None:
    device_key = generate_signing_key()
    body = site.cloud.registration_body(site.cloud.provision(), "K-VENUE", device_key)
    assert requests.post(f"{site.cloud.api_url}/register", json=body, timeout=10).status_code == 201
    out = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
    visit = ServiceReceipt(
        "K-VENUE", "V1", "A1", out - timedelta(hours=2), out, 120, str(uuid.uuid4()), str(uuid.uuid4())
    )
    text = sign_receipt(visit, device_key)
    phone.get(f"{site.url}#proof={text}")  # the link of the receipt page (docs/receipts.md)
    visible(phone, "enrol")
    assert phone.find_element(By.ID, "proof").get_attribute("value") == text
    assert "#" not in phone.current_url, "the receipt leaves the address bar and the history"
    phone.find_element(By.ID, "enrol-submit").click()
    visible(phone, "enrolled")
    assert text_of(phone, "enrolled-name") == "雷*霞"
    show_pass(phone)
    pass_id = site.pass_id_of("V1")
    verified(site, wait_for_code(phone)[0], pass_id)


def test_the_pages_base45_and_payload_are_the_ones_the_kiosk_reads(phone: WebDriver, site: PassSite) -> None:
    cases = [
        [],
        [0],
        [255],
        [255, 255],
        [0, 0, 0],
        [1, 2, 3, 4, 5],
        list(range(200, 256)),
        list(b"AB\x00\xff\x7f"),
    ]
    phone.get(site.url)
    visible(phone, "enrol")
    written = phone.execute_async_script(
        "const [cases, done] = arguments;"
        "import('./codes.js').then((codes) => done({"
        "  base45: cases.map((bytes) => codes.base45(new Uint8Array(bytes))),"
        "  payload: Array.from(codes.payloadOf('P0A1B2C3D4E', 59123456)),"
        "}));",
        cases,
    )
    assert written["base45"] == [b45encode(bytes(case)) for case in cases]
    assert bytes(written["payload"]) == to_payload(["P0A1B2C3D4E", 59123456])


def test_the_phone_checks_in_at_an_offline_kiosk_and_a_screenshot_two_minutes_old_is_refused(
    phone: WebDriver, site: PassSite, tmp_path: Path
) -> None:
    """The issue's whole path: a card registers the phone; a kiosk learns the pass at its sync and then
    works with no network; the phone's live code, through a camera frame and the kiosk's decoder chain,
    checks the volunteer in; a screenshot of the same pass two minutes older is refused."""
    install_phone_clock(phone, 0)  # on time; moved back below to make the old screenshot
    phone.get(site.url)
    enrol(phone, site, site.card("V1", "雷*霞"))
    show_pass(phone)
    pass_id = site.pass_id_of("V1")

    now = datetime.now(UTC).replace(microsecond=0)
    clock = FakeClock(wall=now)  # the kiosk's clock, on time
    with site.cloud.store.write() as writer:
        writer.upsert_activity(activity_values(make_activity("A-NOW", starts_at=now - timedelta(hours=1))))
    kiosk = build_kiosk(load_config(DataDir(tmp_path / "kiosk", "cli"), env={}), clock=clock)
    try:
        client = SyncClient(kiosk.store, kiosk.kiosk_id, kiosk.clock, HttpTransport(site.cloud.base_url))
        client.register(site.cloud.provision())
        assert client.sync_once().ok
        kiosk.reload_trust()
        held = kiosk_passes.get_pass(kiosk.store.writer, pass_id)
        assert held is not None and held.volunteer_id == "V1" and not held.revoked
        kiosk.scanning.open_known_activity("A-NOW")
        # The kiosk has no network from here on; the phone has none either.
        site.go_offline()

        def code_of_step_at(moment: float) -> Callable[[str], bool]:
            return lambda text: read_pass_code(text).step == step_of(moment)

        # A friend's screenshot: the phone as it was two minutes ago.
        shift_phone_clock(phone, -120_000)
        old_text, old_screen, old_taken = wait_for_code(phone, code_of_step_at(time.time() - 120))
        shift_phone_clock(phone, 120_000)
        live_text, live_screen, live_taken = wait_for_code(phone, code_of_step_at(time.time()))

        clock.wall = datetime.fromtimestamp(live_taken, UTC)  # the kiosk reads each as it is held up now
        read_old = read_pass_codes(camera_frame(old_screen, qr_centre(phone), seed=3))
        assert read_old == [old_text]
        refused = kiosk.scanning.handle_code(read_old[0], Method.QR)
        assert (refused.kind, refused.reason) == (OutcomeKind.REFUSED, PassRefusal.STALE.value)

        read_live = read_pass_codes(camera_frame(live_screen, qr_centre(phone), seed=4))
        assert read_live == [live_text]
        checked_in = kiosk.scanning.handle_code(read_live[0], Method.QR)
        assert checked_in.kind is OutcomeKind.CHECKED_IN, checked_in
        assert checked_in.event is not None and checked_in.event.credential is Credential.PASS
        assert checked_in.display_name == "雷*霞"
        again = kiosk.scanning.handle_code(read_live[0], Method.QR)  # the same live code, shown again
        assert (again.kind, again.reason) == (OutcomeKind.REFUSED, PassRefusal.REPLAYED.value)
        assert old_taken <= live_taken
    finally:
        kiosk.close()
        site.go_online()
