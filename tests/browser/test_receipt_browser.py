"""The service receipt page on a phone: Debian's Chromium at 390×844 (device scale 2) against the real cloud.

A volunteer checks out at a real kiosk and opens the receipt's URL: the page
says the receipt is genuine and the visit is recorded at the kiosk; after
the kiosk syncs, a reload says it is on the platform. The language link
switches to English (and the choice is kept). Every state is checked as a
phone shows it: nothing wider than the screen, text at least 16 px, links
a finger can hit (48 px), text contrast of at least 4.5:1, no script and
nothing in the console.

With ``KIOSK_SCREENSHOTS`` set to a folder, the pictures
``receipt-phone-<state>-<language>.png`` (the whole page) are saved there for
``docs/screenshots``.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.cloud_server import RunningCloud
from helpers.dashboard_browser import PHONE, console_log
from helpers.fakes import FakeClock
from helpers.receipts import ReceiptScene, receipt_scene
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By

from checkin_protocol.codes.issuer import generate_signing_key
from checkin_protocol.codes.receipts import receipt_url
from cloud.instance import Clock

MIN_TEXT_PX = 16
MIN_TARGET_PX = 48
MIN_CONTRAST = 4.5

#: Everything a person at arm's length would find wrong with the page as shown now.
_AUDIT = """
const problems = [];
const width = document.documentElement.clientWidth;
if (document.documentElement.scrollWidth > width + 1)
  problems.push(`the page is ${document.documentElement.scrollWidth} px wide in a ${width} px viewport`);
function rgb(text) { const m = text.match(/[\\d.]+/g).map(Number); return {r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1}; }
function lum(c) { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); }
function background(el) { for (let e = el; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor);
  if (c.a > 0.5) return c; } return {r: 255, g: 255, b: 255, a: 1}; }
for (const el of document.querySelectorAll("main *")) {
  const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
  if (!own || !el.offsetParent) continue;
  const style = getComputedStyle(el), label = el.textContent.trim().slice(0, 24);
  if (parseFloat(style.fontSize) < arguments[0]) problems.push(`"${label}" is set in ${style.fontSize}`);
  const a = lum(rgb(style.color)), b = lum(background(el));
  const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  if (ratio < arguments[2]) problems.push(`"${label}" has contrast ${ratio.toFixed(2)}:1`);
}
for (const link of document.querySelectorAll("a")) {
  const box = link.getBoundingClientRect();
  if (box.height < arguments[1]) problems.push(`the link "${link.textContent.trim()}" is ${box.height} px high`);
}
if (document.querySelector("script")) problems.push("the page has a script");
return problems;
"""


@pytest.fixture
def world() -> FakeClock:
    return FakeClock()


@pytest.fixture
def cloud_clock(world: FakeClock) -> Clock:
    return lambda: world.wall


@pytest.fixture
def scene(cloud: RunningCloud, world: FakeClock, tmp_path: Path) -> Iterator[ReceiptScene]:
    with receipt_scene(cloud, world, tmp_path) as built:
        yield built


@pytest.fixture
def phone(browser: WebDriver) -> WebDriver:
    """The browser as a phone: 390×844 CSS pixels at device scale 2, touch, no cookies."""
    browser.execute_cdp_cmd("Network.clearBrowserCookies", {})
    width, height = PHONE
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 2, "mobile": True},
    )
    console_log(browser)  # what earlier tests left
    return browser


def _shown(driver: WebDriver) -> str:
    return str(driver.find_element(By.TAG_NAME, "main").text)


def _check_and_picture(driver: WebDriver, name: str) -> None:
    problems = driver.execute_script(_AUDIT, MIN_TEXT_PX, MIN_TARGET_PX, MIN_CONTRAST)
    assert problems == [], f"{name}: {problems}"
    # A refusal's own 400 is logged as a failed load of the page; anything else is a fault.
    logged = [e for e in console_log(driver) if e["level"] in ("SEVERE", "WARNING")]
    assert [e for e in logged if not (e["source"] == "network" and "/R/VR1:" in e["message"])] == [], name
    folder = os.environ.get("KIOSK_SCREENSHOTS")
    if folder:
        height = driver.execute_script("return document.documentElement.scrollHeight")
        shot = driver.execute_cdp_cmd(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": PHONE[0], "height": max(PHONE[1], height), "scale": 1},
            },
        )
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / f"receipt-phone-{name}.png").write_bytes(base64.b64decode(shot["data"]))


@pytest.mark.parametrize(
    "cloud", ["sqlite"], indirect=True
)  # both databases: tests/integration/test_receipt_page.py
def test_a_phone_shows_the_receipt_before_and_after_the_kiosk_syncs(
    phone: WebDriver, scene: ReceiptScene
) -> None:
    outcome = scene.visit(125)
    url = receipt_url(scene.cloud.base_url, scene.receipt(outcome))

    phone.get(url)
    shown = _shown(phone)
    assert "服务凭证有效" in shown and "已在签到机记录；签到机联网同步后计入平台" in shown, shown
    assert "2 小时 5 分钟" in shown and "雷*霞（V001）" in shown
    _check_and_picture(phone, "at-kiosk-zh_CN")

    phone.find_element(By.LINK_TEXT, "English").click()
    shown = _shown(phone)
    assert "This service receipt is genuine" in shown
    assert "Recorded at the kiosk; it reaches the platform when the kiosk syncs" in shown
    _check_and_picture(phone, "at-kiosk-en")

    scene.sync()
    phone.get(url)  # no ?lang: the choice was kept
    shown = _shown(phone)
    assert "Recorded on the platform" in shown and "Platform total" in shown, shown
    _check_and_picture(phone, "recorded-en")
    phone.find_element(By.LINK_TEXT, "中文").click()
    shown = _shown(phone)
    assert "已记入平台" in shown and "平台累计" in shown and "2 小时 5 分钟" in shown
    _check_and_picture(phone, "recorded-zh_CN")

    pass_link = phone.find_element(By.LINK_TEXT, "在这部手机上开通签到码")
    assert str(pass_link.get_attribute("href")).startswith(f"{scene.cloud.base_url}/pass/#proof=VR1:")


@pytest.mark.parametrize("cloud", ["sqlite"], indirect=True)
def test_a_phone_shows_a_forged_receipt_as_not_valid(phone: WebDriver, scene: ReceiptScene) -> None:
    forged = scene.receipt(scene.visit(60), key=generate_signing_key())
    phone.get(receipt_url(scene.cloud.base_url, forged))
    shown = _shown(phone)
    assert "凭证无效：签名不符，可能是伪造或被改动的" in shown and "服务凭证有效" not in shown
    assert "雷" not in shown, "nothing of a forged receipt is shown"
    _check_and_picture(phone, "forged-zh_CN")
    phone.get(receipt_url(scene.cloud.base_url, forged) + "?lang=en")
    assert "the receipt may be forged or altered" in _shown(phone)
    _check_and_picture(phone, "forged-en")
