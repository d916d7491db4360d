"""Fixtures of the dashboard's real-browser tests (the city, staff and kiosks: ``helpers.dashboard_browser``).

- ``dashboard_site``: the real reference cloud served over HTTP on 127.0.0.1
  (``shared_cloud``: once on SQLite, once on PostgreSQL) with the city in it
  and this morning's check-ins pushed by its kiosks;
- ``browser``: Debian's headless Chromium through Selenium, one per module;
  the tests are skipped, saying so, only when Chromium or its driver is not
  installed (``scripts/system-deps.sh`` installs both);
- ``page``: that browser with no cookies, a 1920×1080 viewport and China's time zone, for one test.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from helpers.cloud_server import RunningCloud
from helpers.dashboard_browser import (
    DESKTOP,
    DashboardSite,
    chromium_missing,
    console_log,
    seed_city,
    set_viewport,
    started_chromium,
)
from selenium.webdriver.chrome.webdriver import WebDriver


@pytest.fixture(scope="module")
def dashboard_site(shared_cloud: RunningCloud, tmp_path_factory: pytest.TempPathFactory) -> DashboardSite:
    return seed_city(shared_cloud, tmp_path_factory.mktemp("roster"))


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    missing = chromium_missing()
    if missing:
        pytest.skip(missing)
    with started_chromium() as driver:
        yield driver


@pytest.fixture
def page(browser: WebDriver, dashboard_site: DashboardSite) -> WebDriver:
    browser.get(f"{dashboard_site.base_url}/api/v1/time")  # away from the page: nothing polls any more
    browser.execute_cdp_cmd("Network.clearBrowserCookies", {})  # every path's (the session's is /dashboard)
    set_viewport(browser, DESKTOP)
    browser.execute_cdp_cmd(
        "Emulation.setTimezoneOverride", {"timezoneId": "Asia/Shanghai"}
    )  # staff's clocks
    console_log(browser)  # drop what earlier tests left in the console log
    return browser
