"""Presence signals in the dashboard's review list, in Debian's Chromium, on SQLite and PostgreSQL.

This morning V0104 was at the east kiosk's activity (社区环境清洁日,
东湖一村村委会广场) by the seeded history; the west kiosk (敬老院陪伴,
西山镇敬老院) pushes a check-in of V0104 while that visit ran, and one of
V0101 30 s after V0101's check-in at the east kiosk. The page lists the
four visits with 同一时间出现在两个地点 or 2 分钟内在两台签到机签到 and, under
each, the other visit's place, kiosk and times, in Chinese and English, at wall and
phone sizes with nothing cut off. With ``KIOSK_SCREENSHOTS`` set, the
pictures are saved there (``dashboard[-phone]-signals-<language>.png``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from helpers.dashboard_browser import (
    CITY_MANAGER,
    DESKTOP,
    EAST_ACTIVITY,
    PASSWORD,
    PHONE,
    WEST_ACTIVITY,
    WEST_KIOSK,
    DashboardSite,
    console_log,
    earlier_today,
    set_viewport,
)
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = pytest.mark.timeout(300)
POLL_WAIT_S = 15


def wait_for(driver: WebDriver, what: str, condition: Callable[[WebDriver], object]) -> None:
    try:
        WebDriverWait(driver, POLL_WAIT_S, poll_frequency=0.1).until(condition)
    except TimeoutException:
        pytest.fail(
            f"waited for {what}; the page shows:\n{driver.find_element(By.TAG_NAME, 'body').text[:1500]}"
        )


def review_text(driver: WebDriver) -> str:
    return str(driver.execute_script("return document.getElementById('review').innerText"))


def too_small_or_too_wide(driver: WebDriver) -> list[str]:
    """Text of the review list under 12 px, or a page wider than its viewport."""
    found: list[str] = driver.execute_script(
        """
        const problems = [];
        const width = document.documentElement.clientWidth;
        if (document.documentElement.scrollWidth > width + 1) problems.push(`page ${document.documentElement.scrollWidth} px wide`);
        for (const element of document.querySelectorAll("#review *")) {
          if (!element.childElementCount && element.textContent.trim() && element.offsetParent) {
            const box = element.getBoundingClientRect();
            if (parseFloat(getComputedStyle(element).fontSize) < 12) problems.push(`small: ${element.textContent}`);
            if (box.right > width + 1) problems.push(`cut off: ${element.textContent}`);
          }
        }
        return problems;
        """
    )
    return found


def shoot(driver: WebDriver, name: str) -> None:
    folder = os.environ.get("KIOSK_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        assert driver.save_screenshot(str(Path(folder) / name)), name


def test_a_volunteer_at_two_places_at_once_is_listed_with_the_other_place(
    page: WebDriver, dashboard_site: DashboardSite
) -> None:
    now = datetime.now(UTC)
    at_west = [
        dashboard_site.event(WEST_KIOSK, "V0104", WEST_ACTIVITY, "in", earlier_today(now, 0.5)),
        # V0101 checked in at the east kiosk at earlier_today(now, 0.2), and at the west one 30 s later.
        dashboard_site.event(
            WEST_KIOSK, "V0101", WEST_ACTIVITY, "in", earlier_today(now, 0.2) + timedelta(seconds=30)
        ),
    ]
    dashboard_site.push(WEST_KIOSK, at_west)
    page.get(f"{dashboard_site.base_url}/dashboard")
    wait_for(page, "the login form", lambda d: d.find_elements(By.ID, "password"))
    page.find_element(By.ID, "username").send_keys(CITY_MANAGER.username)
    page.find_element(By.ID, "password").send_keys(PASSWORD)
    page.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_for(page, "the two places in the review list", lambda d: "同一时间出现在两个地点" in review_text(d))

    text = review_text(page)
    assert text.count("同一时间出现在两个地点") == 2, text  # both visits, each naming the other
    assert f"同一时间在：西山镇敬老院（敬老院陪伴，签到机 {WEST_KIOSK}" in text
    assert "同一时间在：东湖一村村委会广场（社区环境清洁日，签到机 K-EAST-01" in text
    assert text.count("2 分钟内在两台签到机签到") == 2, text
    assert f"相隔 30 秒又在签到机 {WEST_KIOSK} 签到：西山镇敬老院（敬老院陪伴，" in text
    assert "相隔 30 秒又在签到机 K-EAST-01 签到：东湖一村村委会广场（社区环境清洁日，" in text
    assert EAST_ACTIVITY not in text  # titles, not IDs
    page.execute_script("document.getElementById('review-title').scrollIntoView({block: 'start'})")
    assert too_small_or_too_wide(page) == []
    shoot(page, "dashboard-signals-zh_CN.png")

    page.find_element(By.CSS_SELECTOR, '[data-lang="en"]').click()
    wait_for(page, "English", lambda d: "at two places at the same time" in review_text(d))
    text = review_text(page)
    assert "At the same time at: 西山镇敬老院 (敬老院陪伴, kiosk K-WEST-01" in text
    assert "30 s apart also checked in at kiosk K-WEST-01: 西山镇敬老院 (敬老院陪伴, " in text
    assert "not checked out)" in text  # the west visit, still open
    set_viewport(page, PHONE)
    page.execute_script("document.getElementById('review-title').scrollIntoView({block: 'start'})")
    assert too_small_or_too_wide(page) == []
    shoot(page, "dashboard-phone-signals-en.png")
    set_viewport(page, DESKTOP)
    assert [e for e in console_log(page) if e["level"] == "SEVERE" and "favicon" not in e["message"]] == []
