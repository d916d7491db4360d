"""Driving the phone pass page in Debian's Chromium, and reading its code as a kiosk's camera would.

- :func:`install_phone_clock`: before the page loads, the phone's clock
  (``Date.now``) is made to run ``shift`` ms off the real one, and
  :func:`shift_phone_clock` moves it later on: the page's own WebCrypto
  signing runs untouched, only the time it reads is the test's. The shift is
  kept in the page's ``localStorage`` (``test.phoneClockShiftMs``), so it
  holds across reloads, offline too.
- :func:`screenshot`: the page as the phone's screen shows it (BGR).
- :func:`camera_frame`: that screen held up to a kiosk's camera: tilted in
  perspective, filling most of a 640×480 frame over a cluttered scene,
  slightly out of focus and with sensor noise.
- :func:`read_pass_codes`: the ``VP1:`` texts the kiosk's real decoder chain
  (:func:`kiosk.camera.decoder_chain.default_chain`) reads from a frame.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import cv2
import numpy as np
from numpy.typing import NDArray
from selenium.webdriver.chrome.webdriver import WebDriver

from kiosk.camera.decoder_chain import DecoderChain, default_chain

CLOCK_SHIFT_KEY = "test.phoneClockShiftMs"
_CLOCK_SCRIPT = """
(() => {
  let storage = null;
  try { storage = window.localStorage; } catch (error) { return; }  // an origin without storage
  if (storage.getItem("%(key)s") === null) storage.setItem("%(key)s", "%(shift)d");
  const realNow = Date.now.bind(Date);
  Date.now = () => realNow() + Number(storage.getItem("%(key)s") || 0);
})();
"""
CAMERA_SIZE = (640, 480)

_chain: DecoderChain | None = None


def install_phone_clock(driver: WebDriver, shift_ms: int) -> None:
    """Run the phone's clock ``shift_ms`` off the real one in every page loaded from now on."""
    driver.execute_cdp_cmd(
        "Page.addScriptToEvaluateOnNewDocument",
        {"source": _CLOCK_SCRIPT % {"key": CLOCK_SHIFT_KEY, "shift": shift_ms}},
    )


def shift_phone_clock(driver: WebDriver, by_ms: int) -> None:
    """Move the phone's clock by ``by_ms`` (the page keeps the offset it measured against the cloud)."""
    driver.execute_script(
        "const key = arguments[0];"
        "localStorage.setItem(key, String(Number(localStorage.getItem(key) || 0) + arguments[1]));",
        CLOCK_SHIFT_KEY,
        by_ms,
    )


def screenshot(driver: WebDriver) -> NDArray[np.uint8]:
    """The page's viewport as a BGR image."""
    data = np.frombuffer(driver.get_screenshot_as_png(), dtype=np.uint8)
    image = cv2.imdecode(data, cv2.IMREAD_COLOR)
    assert image is not None, "the browser's screenshot is not a PNG"
    return np.asarray(image, dtype=np.uint8)


def camera_frame(screen: NDArray[np.uint8], aim: tuple[float, float], seed: int = 0) -> NDArray[np.uint8]:
    """``screen`` as a kiosk's camera sees a phone held up to it: perspective, blur and noise.

    ``aim`` is the point of the screen (pixels) the volunteer holds in front of the
    lens: it lands near the frame's centre, and the rest of the phone may run off the frame.
    """
    rng = np.random.default_rng(seed)
    width, height = CAMERA_SIZE
    coarse = rng.uniform(50, 200, size=(4, 6, 3)).astype(np.float32)
    frame = cv2.resize(coarse, (width, height), interpolation=cv2.INTER_CUBIC)
    screen_h, screen_w = screen.shape[:2]
    scale = rng.uniform(0.6, 0.75)  # the phone at a hand's length from the lens
    left = width / 2 + rng.uniform(-20, 20) - aim[0] * scale
    top = height / 2 + rng.uniform(-15, 15) - aim[1] * scale
    phone_w, phone_h = screen_w * scale, screen_h * scale
    lean = rng.uniform(0.04, 0.08) * phone_w  # the top edge further from the lens than the bottom one
    corners = np.array(
        [
            [left + lean, top],
            [left + phone_w - lean, top + rng.uniform(-8, 8)],
            [left + phone_w, top + phone_h],
            [left, top + phone_h],
        ],
        dtype=np.float32,
    )
    source = np.array([[0, 0], [screen_w, 0], [screen_w, screen_h], [0, screen_h]], dtype=np.float32)
    homography = cv2.getPerspectiveTransform(source, corners)
    size = (width, height)
    warped = cv2.warpPerspective(screen.astype(np.float32), homography, size, flags=cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(np.ones((screen_h, screen_w), np.float32), homography, size)[..., None]
    frame = frame * (1 - mask) + warped * 0.92 * mask  # a lit screen is a little darker than paper white
    frame = cv2.GaussianBlur(frame, (0, 0), 1.1)
    frame = np.asarray(frame, dtype=np.float32) + np.asarray(
        rng.normal(0, 6, size=frame.shape), dtype=np.float32
    )
    return np.asarray(np.clip(frame, 0, 255), dtype=np.uint8)


def read_pass_codes(frame: NDArray[np.uint8]) -> list[str]:
    """The pass codes the kiosk's decoder chain reads in ``frame``."""
    global _chain
    if _chain is None:
        _chain = default_chain()
    return [found.text for found in _chain.decode(frame) if found.text.upper().startswith("VP1:")]


def wait_for_code(
    driver: WebDriver, accept: Callable[[str], bool] = lambda _: True, timeout_s: float = 10.0
) -> tuple[str, NDArray[np.uint8], float]:
    """The first code read from the page's screen that ``accept`` takes: (text, screenshot, real time taken)."""
    deadline = time.monotonic() + timeout_s
    seen: list[str] = []
    while time.monotonic() < deadline:
        taken = time.time()
        screen = screenshot(driver)
        codes = read_pass_codes(screen)
        if codes and accept(codes[0]):
            return codes[0], screen, taken
        seen += codes[:1]
        time.sleep(0.2)
    raise AssertionError(f"no acceptable pass code on the screen within {timeout_s} s (read: {seen[-3:]})")
