"""The staff dashboard in a real browser: Debian's Chromium against the real cloud, on SQLite and PostgreSQL.

A member of staff signs in with the login form, reads today's figures, drills
down city → county → township → village and back up by the breadcrumb and
the browser's Back, and watches a check-in pushed by a kiosk through the sync
API appear without the page reloading. A county's staff are refused the other
county (the page says so; the JSON API answers 403), a viewer sees masked
names where a manager sees them in full, losing the network shows a quiet
banner over the last figures, and signing out ends the session.

With ``KIOSK_SCREENSHOTS`` set to a folder, the pictures of the page
(``dashboard-<state>-<language>.png`` at 1920×1080 and
``dashboard-phone-<state>-<language>.png`` at 390×844) are saved there for
``docs/screenshots``; every run checks the layout at both sizes.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import requests
from helpers.dashboard_browser import (
    CITY_MANAGER,
    DESKTOP,
    EAST_ACTIVITY,
    EAST_KIOSK,
    EAST_MANAGER,
    EAST_VIEWER,
    PASSWORD,
    PHONE,
    QUIET_KIOSK,
    Account,
    DashboardSite,
    console_log,
    set_viewport,
)
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

POLL_WAIT_S = 15  # the page polls every 5 s: a change shows within one poll and a slow request
SETTLE_S = 0.6  # after a layout change: the charts redraw (300 ms animation) before a picture is taken

pytestmark = pytest.mark.timeout(300)


def wait_for(
    driver: WebDriver, what: str, condition: Callable[[WebDriver], object], timeout: float = POLL_WAIT_S
) -> None:
    """Wait until ``condition`` holds, or fail saying ``what`` was awaited and what the page showed."""
    try:
        WebDriverWait(driver, timeout, poll_frequency=0.1).until(condition)
    except TimeoutException:
        shown = driver.find_element(By.TAG_NAME, "body").text[:1500]
        pytest.fail(f"waited {timeout} s for {what}; the page shows:\n{shown}")


def text_of(driver: WebDriver, element_id: str) -> str:
    """The visible text of the element with ``element_id``."""
    return driver.find_element(By.ID, element_id).text


def sign_in(driver: WebDriver, site: DashboardSite, account: Account, query: str = "") -> None:
    """Open the dashboard, get sent to the login form, sign in, and wait for the first figures."""
    driver.get(f"{site.base_url}/dashboard{query}")
    wait_for(driver, "the login form", lambda d: d.find_elements(By.ID, "password"))
    driver.find_element(By.ID, "username").send_keys(account.username)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_for(driver, "the dashboard's first figures", figures_shown)


def figures_shown(driver: WebDriver) -> bool:
    """Whether the page shows an area's figures (its first answers arrived)."""
    found = driver.find_elements(By.ID, "fig-check_ins")
    return bool(found) and found[0].is_displayed() and found[0].text not in ("", "–")


def texts(driver: WebDriver, selector: str) -> list[str]:
    """The text of every element ``selector`` matches, read at once (the page redraws them every poll)."""
    found: list[str] = driver.execute_script(
        "return [...document.querySelectorAll(arguments[0])].map((element) => element.innerText.trim());",
        selector,
    )
    return found


def breadcrumb(driver: WebDriver) -> list[str]:
    """The names in the breadcrumb, top first."""
    return texts(driver, "#breadcrumb li")


def tap(driver: WebDriver, selector: str) -> None:
    """Click the element ``selector`` matches, again if a poll redrew it between finding and clicking."""
    for _ in range(3):
        try:
            driver.find_element(By.CSS_SELECTOR, selector).click()
            return
        except StaleElementReferenceException:
            continue
    pytest.fail(f"{selector} kept being redrawn under the click")


def drill_into(driver: WebDriver, org_id: str, name: str) -> None:
    """Tap the row of ``org_id`` (on a figure, not its link) and wait until the page shows that area."""
    tap(driver, f'#children tr[data-area="{org_id}"] td.num')
    wait_for(driver, f"the page of {name}", lambda d: breadcrumb(d)[-1:] == [name] and figures_shown(d))


def on_site_names(driver: WebDriver, activity_id: str) -> list[str]:
    """The names listed under an activity running now."""
    return texts(driver, f'#onsite [data-activity="{activity_id}"] .person')


def console_errors(driver: WebDriver) -> list[str]:
    """The browser console's errors since the last look (script errors, CSP refusals, failed loads).

    The browser's own guess at ``/favicon.ico`` for the login page, which links no icon, is not the page's.
    """
    return [
        entry["message"]
        for entry in console_log(driver)
        if entry["level"] == "SEVERE" and "/favicon.ico - " not in entry["message"]
    ]


def layout_problems(driver: WebDriver) -> list[str]:
    """What a person would find wrong with the page at its current size, found by script."""
    problems: list[str] = driver.execute_script(
        """
        const problems = [];
        const width = document.documentElement.clientWidth;
        if (document.documentElement.scrollWidth > width + 1)
          problems.push(`the page is ${document.documentElement.scrollWidth} px wide in a ${width} px viewport`);
        for (const row of document.querySelectorAll("#children tr[data-area]")) {
          const box = row.getBoundingClientRect();
          if (row.offsetParent && box.height < 48) problems.push(`the row of ${row.dataset.area} is ${box.height} px high (< 48)`);
        }
        for (const button of document.querySelectorAll("button")) {
          const box = button.getBoundingClientRect();
          if (box.width && (box.height < 48 || box.width < 48))
            problems.push(`the button "${button.textContent}" is ${box.width}x${box.height} px (< 48)`);
        }
        for (const element of document.querySelectorAll("main *, header *")) {
          if (!element.childElementCount && element.textContent.trim() && element.offsetParent) {
            const size = parseFloat(getComputedStyle(element).fontSize);
            if (size < 12) problems.push(`"${element.textContent.trim().slice(0, 30)}" is set in ${size} px`);
          }
        }
        for (const figure of document.querySelectorAll(".figure-value")) {
          if (figure.scrollWidth > figure.clientWidth + 1) problems.push(`the figure ${figure.id} is cut off`);
        }
        return problems;
        """
    )
    return problems


class Pictures:
    """Saves the page's pictures into ``$KIOSK_SCREENSHOTS`` when set (else only checks the layout)."""

    def __init__(self, driver: WebDriver) -> None:
        self.driver = driver
        folder = os.environ.get("KIOSK_SCREENSHOTS")
        self.folder = Path(folder) if folder else None
        if self.folder:
            self.folder.mkdir(parents=True, exist_ok=True)
        self.problems: list[str] = []

    def shot(
        self, state: str, language: str, size: tuple[int, int] = DESKTOP, *, scroll_to: str | None = None
    ) -> None:
        """Check the layout at ``size`` and save ``dashboard[-phone]-<state>-<language>.png``."""
        set_viewport(self.driver, size)
        # The pointer off the rows (no hover colour in the picture), before scrolling: moving it scrolls.
        ActionChains(self.driver).move_to_element(self.driver.find_element(By.TAG_NAME, "h1")).perform()
        self.driver.execute_script(
            "const target = arguments[0] && document.getElementById(arguments[0]);"
            "if (target) target.scrollIntoView({block: 'start'}); else window.scrollTo(0, 0);",
            scroll_to,
        )
        time.sleep(SETTLE_S)  # the charts redrawn at the new size
        name = f"dashboard{'-phone' if size == PHONE else ''}-{state}-{language}.png"
        self.problems += [f"{name}: {problem}" for problem in layout_problems(self.driver)]
        if self.folder:
            assert self.driver.save_screenshot(str(self.folder / name)), name
        set_viewport(self.driver, DESKTOP)

    def assert_clean(self) -> None:
        """Fail with every layout problem found."""
        assert not self.problems, "layout problems:\n" + "\n".join(self.problems)


def test_signing_in_shows_the_areas_figures_in_chinese(
    page: WebDriver, dashboard_site: DashboardSite
) -> None:
    sign_in(page, dashboard_site, CITY_MANAGER)

    assert page.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"
    assert text_of(page, "account-user") == CITY_MANAGER.username
    assert text_of(page, "account-role") == "管理员"
    assert text_of(page, "account-area") == "江城市"
    assert breadcrumb(page) == ["江城市"]
    assert int(text_of(page, "fig-check_ins")) >= 4  # the morning's check-ins of both kiosks
    assert int(text_of(page, "fig-on_site")) >= 4
    assert texts(page, "#children .area-name") == ["东湖区", "西山县"]
    assert "社区环境清洁日" in text_of(page, "onsite")
    assert "更新于" in text_of(page, "updated")
    assert texts(page, "#fleet tr.silent [data-label='签到机']") == [QUIET_KIOSK]  # red, and in words:
    assert "失联" in texts(page, f'#fleet tr[data-kiosk="{QUIET_KIOSK}"]')[0]
    assert "忘记签退" in text_of(page, "review")  # the auto-closed visit of the day before yesterday
    assert page.find_element(By.CSS_SELECTOR, "#categories-chart canvas").is_displayed()
    assert console_errors(page) == []


def test_drilling_down_to_a_village_and_back_up(page: WebDriver, dashboard_site: DashboardSite) -> None:
    sign_in(page, dashboard_site, CITY_MANAGER)

    drill_into(page, "X1", "东湖区")
    assert page.current_url.endswith("#area=X1")
    drill_into(page, "X1T1", "东湖街道")
    drill_into(page, "X1T1V1", "东湖一村")
    assert breadcrumb(page) == ["江城市", "东湖区", "东湖街道", "东湖一村"]
    assert "没有下级地区" in text_of(page, "children")
    assert int(text_of(page, "fig-check_ins")) >= 2

    tap(page, '#breadcrumb a[href="#area=X1"]')  # up by the breadcrumb
    wait_for(page, "the county again", lambda d: breadcrumb(d) == ["江城市", "东湖区"])
    page.back()  # the hash kept the village: Back returns to it
    wait_for(page, "the village again", lambda d: breadcrumb(d)[-1:] == ["东湖一村"])
    page.refresh()  # and a reload stays there
    wait_for(
        page, "the village after a reload", lambda d: breadcrumb(d)[-1:] == ["东湖一村"] and figures_shown(d)
    )
    assert console_errors(page) == []


def test_a_check_in_at_a_kiosk_appears_without_reloading(
    page: WebDriver, dashboard_site: DashboardSite
) -> None:
    sign_in(page, dashboard_site, CITY_MANAGER)
    loaded_at = page.execute_script("return window.dashboardLoadedAt")
    before = int(text_of(page, "fig-check_ins"))
    assert "刘德明" not in on_site_names(page, EAST_ACTIVITY)

    dashboard_site.check_in(EAST_KIOSK, "V0103", EAST_ACTIVITY)

    wait_for(
        page, "the new check-in in today's figures", lambda d: int(text_of(d, "fig-check_ins")) == before + 1
    )
    wait_for(page, "the volunteer on site", lambda d: "刘德明" in on_site_names(d, EAST_ACTIVITY))
    assert page.execute_script("return window.dashboardLoadedAt") == loaded_at, "the page was reloaded"
    assert console_errors(page) == []


def test_county_staff_are_refused_the_other_county(page: WebDriver, dashboard_site: DashboardSite) -> None:
    sign_in(page, dashboard_site, EAST_VIEWER)
    assert breadcrumb(page) == ["江城市", "东湖区"]
    assert page.find_elements(By.LINK_TEXT, "江城市") == []  # above the account's area: not a link

    page.get(f"{dashboard_site.base_url}/dashboard#area=X2")
    wait_for(page, "the refusal", lambda d: d.find_element(By.ID, "refusal").is_displayed())
    assert text_of(page, "refusal-text") == "你无权查看这个地区的数据。"
    assert not page.find_element(By.ID, "area-view").is_displayed()
    assert "西山" not in page.find_element(By.TAG_NAME, "main").text

    session = {cookie["name"]: cookie["value"] for cookie in page.get_cookies()}
    answer = requests.get(
        f"{dashboard_site.base_url}/dashboard/api/overview",
        params={"area": "X2"},
        cookies=session,
        timeout=10,
    )
    assert answer.status_code == 403 and answer.json()["error"] == "forbidden_area"

    tap(page, "#refusal a")  # back to the account's own area
    wait_for(
        page, "the county's own figures", lambda d: figures_shown(d) and breadcrumb(d)[-1:] == ["东湖区"]
    )


def test_a_viewer_sees_masked_names_and_a_manager_full_names(
    page: WebDriver, dashboard_site: DashboardSite
) -> None:
    sign_in(page, dashboard_site, EAST_VIEWER)
    assert text_of(page, "account-role") == "查看员"
    viewer_sees = on_site_names(page, EAST_ACTIVITY)
    assert "张**" in viewer_sees and not any("张三丰" in name for name in viewer_sees)

    page.find_element(By.ID, "logout").click()
    wait_for(page, "the login form", lambda d: d.find_elements(By.ID, "password"))
    sign_in(page, dashboard_site, EAST_MANAGER)
    assert "张三丰" in on_site_names(page, EAST_ACTIVITY)


def test_signing_out_ends_the_session(page: WebDriver, dashboard_site: DashboardSite) -> None:
    sign_in(page, dashboard_site, CITY_MANAGER)
    session = {cookie["name"]: cookie["value"] for cookie in page.get_cookies()}

    page.find_element(By.ID, "logout").click()

    wait_for(page, "the login form", lambda d: "/dashboard/login" in d.current_url)
    answer = requests.get(f"{dashboard_site.base_url}/dashboard/api/me", cookies=session, timeout=10)
    assert answer.status_code == 401
    page.get(f"{dashboard_site.base_url}/dashboard")
    assert "/dashboard/login" in page.current_url


def test_an_ended_session_leads_to_the_login_page(page: WebDriver, dashboard_site: DashboardSite) -> None:
    sign_in(page, dashboard_site, CITY_MANAGER)
    page.delete_all_cookies()  # the session is gone: the next poll gets 401

    wait_for(page, "the login page", lambda d: "/dashboard/login" in d.current_url)


def test_losing_the_network_shows_a_banner_and_keeps_the_figures(
    page: WebDriver, dashboard_site: DashboardSite
) -> None:
    sign_in(page, dashboard_site, CITY_MANAGER)
    figures = text_of(page, "fig-check_ins")
    page.execute_cdp_cmd("Network.enable", {})
    page.execute_cdp_cmd(
        "Network.emulateNetworkConditions",
        {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    try:
        wait_for(page, "the offline banner", lambda d: d.find_element(By.ID, "offline").is_displayed())
        assert "正在重试" in text_of(page, "offline")
        assert text_of(page, "fig-check_ins") == figures
    finally:
        page.execute_cdp_cmd(
            "Network.emulateNetworkConditions",
            {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
        )
        page.execute_cdp_cmd("Network.disable", {})
    wait_for(page, "the banner to go", lambda d: not d.find_element(By.ID, "offline").is_displayed())
    console_errors(page)  # failed fetches while offline are logged by the browser itself


def test_rankings_switch_between_chart_and_table_and_between_measures(
    page: WebDriver, dashboard_site: DashboardSite
) -> None:
    sign_in(page, dashboard_site, CITY_MANAGER)
    wait_for(page, "the rankings chart", lambda d: d.find_element(By.ID, "rank-areas-chart").is_displayed())

    tap(page, '[data-view="table"]')
    tap(page, '[data-metric="volunteers"]')

    assert not page.find_element(By.ID, "rank-areas-chart").is_displayed()
    rows = texts(page, "#rank-areas-table tbody tr")
    assert [row.split()[1] for row in rows] == ["东湖区", "西山县"]  # more volunteers served in the east
    values = [int(row.split()[-1]) for row in rows]
    assert values == sorted(values, reverse=True) and values[0] > 0
    assert texts(page, "#rank-areas-table th")[-1] == "活跃志愿者"


def test_english_by_the_switch_and_by_the_address(page: WebDriver, dashboard_site: DashboardSite) -> None:
    sign_in(page, dashboard_site, CITY_MANAGER)
    page.find_element(By.CSS_SELECTOR, '[data-lang="en"]').click()
    wait_for(page, "English", lambda d: text_of(d, "account-role") == "Manager")
    assert page.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert "Updated" in text_of(page, "updated")
    page.refresh()  # the cookie keeps the choice
    wait_for(
        page, "English after a reload", lambda d: figures_shown(d) and text_of(d, "account-role") == "Manager"
    )

    page.get(f"{dashboard_site.base_url}/dashboard?lang=zh")
    wait_for(
        page, "Chinese by the address", lambda d: figures_shown(d) and text_of(d, "account-role") == "管理员"
    )


def test_screenshots_and_layout_at_wall_and_phone_sizes(
    page: WebDriver, dashboard_site: DashboardSite
) -> None:
    pictures = Pictures(page)
    sign_in(page, dashboard_site, CITY_MANAGER)
    pictures.shot("city", "zh_CN")
    pictures.shot("fleet", "zh_CN", scroll_to="review-title")
    pictures.shot("city", "zh_CN", PHONE)
    drill_into(page, "X1", "东湖区")
    drill_into(page, "X1T1", "东湖街道")
    pictures.shot("township", "zh_CN")
    pictures.shot("township", "zh_CN", PHONE)
    pictures.shot("charts", "zh_CN", PHONE, scroll_to="rankings-title")

    page.find_element(By.CSS_SELECTOR, '[data-lang="en"]').click()
    wait_for(page, "English", lambda d: text_of(d, "account-role") == "Manager")
    page.get(f"{dashboard_site.base_url}/dashboard#area=X1")
    wait_for(page, "the county in English", lambda d: figures_shown(d) and breadcrumb(d)[-1:] == ["东湖区"])
    pictures.shot("county", "en")
    pictures.shot("county", "en", PHONE)
    page.find_element(By.CSS_SELECTOR, '[data-lang="zh"]').click()
    assert console_errors(page) == []

    page.find_element(By.ID, "logout").click()
    wait_for(page, "the login form", lambda d: d.find_elements(By.ID, "password"))
    sign_in(page, dashboard_site, EAST_VIEWER)
    page.get(f"{dashboard_site.base_url}/dashboard#area=X2")
    wait_for(page, "the refusal", lambda d: d.find_element(By.ID, "refusal").is_displayed())
    pictures.shot("refused", "zh_CN")
    pictures.assert_clean()
