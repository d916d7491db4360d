"""The service receipt page and check, against a real kiosk and the real cloud (SQLite and PostgreSQL).

A volunteer checks out at a kiosk and scans the receipt its card shows: the
cloud's page says the receipt is genuine and that the visit is recorded at
the kiosk, and once the kiosk has synced, that it is on the platform. A
receipt someone forged or edited, one of a kiosk the platform does not
know, and text that is no receipt at all are each refused with a page that
says so. The kiosk and the cloud share one clock the test moves.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote

import pytest
import requests
from click.testing import CliRunner, Result
from helpers.cloud_server import RunningCloud
from helpers.fakes import FakeClock
from helpers.receipts import ReceiptScene, altered, receipt_of, receipt_scene, visible_text

from checkin_protocol.codes.issuer import generate_signing_key
from checkin_protocol.codes.receipts import MAX_INPUT_CHARS, receipt_url
from cloud.cli import cli
from cloud.instance import Clock
from cloud.receipt_pages import CONTENT_SECURITY_POLICY

AT_KIOSK = "已在签到机记录；签到机联网同步后计入平台"
RECORDED = "已记入平台"


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


def _page_text(reply: requests.Response) -> str:
    return visible_text(reply.text)


def test_the_page_says_recorded_at_the_kiosk_before_the_push_and_on_the_platform_after(
    scene: ReceiptScene,
) -> None:
    text = scene.receipt(scene.visit(125))

    before = scene.page(text)
    assert before.status_code == 200, before.text
    shown = _page_text(before)
    for words in ("服务凭证有效", AT_KIOSK, "雷*霞（V001）", "图书馆阅读推广志愿服务", "江城市图书馆"):
        assert words in shown, f"the page does not show {words!r}: {shown}"
    assert "2 小时 5 分钟" in shown, "the credited time as hours and minutes"
    assert "2026年11月29日 09:00" in shown and "11:05" in shown, "times in the kiosk's local time (UTC+8)"
    assert "以上时间为北京时间（UTC+08:00）" in shown, "the platform knows no event of the kiosk yet"
    assert "雷彩霞" not in shown, "the name is masked, as on the card"
    assert RECORDED not in shown
    assert scene.check(text).json()["platform"] == "at_kiosk"

    scene.sync()
    after = _page_text(scene.page(text))
    assert RECORDED in after and AT_KIOSK not in after
    assert "平台累计 2 小时 5 分钟" in after, "the volunteer's platform total, now counting this visit"
    assert "以上时间为签到机所在地时间（UTC+08:00）" in after, "the events carry the kiosk's own UTC offset"
    checked = scene.check(text).json()
    assert (checked["verdict"], checked["platform"], checked["differences"]) == ("valid", "recorded", [])
    assert checked["platform_total_seconds"] == 125 * 60
    assert checked["visit"]["volunteer_name"] == "雷*霞"


def test_the_page_speaks_english_and_opens_from_the_url_the_qr_code_holds(scene: ReceiptScene) -> None:
    outcome = scene.visit(45)
    text = scene.receipt(outcome)
    url = scene.card_receipt_url(outcome)
    assert url == receipt_url(scene.cloud.base_url, text), "the card's QR code holds the receipt's URL"
    assert url.startswith("HTTP://127.0.0.1:") and url == url.upper(), "alphanumeric QR mode"
    opened = requests.get(url, timeout=10)
    assert opened.status_code == 200 and "服务凭证有效" in _page_text(opened)

    english = scene.page(text, lang="en")
    shown = _page_text(english)
    for words in (
        "This service receipt is genuine",
        "Recorded at the kiosk; it reaches the platform when the kiosk syncs",
        "45 min",
        "29 November 2026, 09:00",
        "Times are China Standard Time (UTC+08:00).",
        "中文",
    ):
        assert words in shown, f"the English page does not show {words!r}: {shown}"
    assert '<html lang="en">' in english.text
    lower = scene.page(text.lower(), prefix="/r/")
    assert lower.status_code == 200, "a phone that lower-cased the URL still gets the page"
    assert "服务凭证有效" in _page_text(lower)


def test_every_reply_of_the_page_is_private_and_runs_no_script(scene: ReceiptScene) -> None:
    text = scene.receipt(scene.visit(30))
    for reply in (scene.page(text), scene.page("hello"), scene.page(altered(text, minutes=600))):
        assert reply.headers["cache-control"] == "no-store"
        assert reply.headers["referrer-policy"] == "no-referrer"
        assert reply.headers["x-robots-tag"] == "noindex"
        assert reply.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert reply.headers["content-type"].startswith("text/html")
        assert "<script" not in reply.text.lower()
    style = requests.get(f"{scene.cloud.base_url}/dashboard/static/receipt.css", timeout=10)
    assert style.status_code == 200 and ".verdict" in style.text, "the page's stylesheet is served"


def test_a_forged_an_edited_and_an_unknown_kiosks_receipt_are_refused(scene: ReceiptScene) -> None:
    outcome = scene.visit(60)
    genuine = scene.receipt(outcome)
    refused = {
        "forged": scene.receipt(outcome, key=generate_signing_key()),
        "edited": altered(genuine, minutes=600),
        "unknown kiosk": scene.receipt(outcome, kiosk_id="K-NOT-HERE"),
    }
    for what in ("forged", "edited"):
        reply = scene.page(refused[what])
        assert reply.status_code == 400, what
        shown = _page_text(reply)
        assert "伪造或被改动" in shown, f"the {what} receipt's page does not say so: {shown}"
        assert "服务凭证有效" not in shown and "10 小时" not in shown, "nothing of it is shown as fact"
        assert scene.check(refused[what]).json()["verdict"] == "forged"
    unknown = scene.page(refused["unknown kiosk"])
    assert unknown.status_code == 404
    assert "平台不认识签发这张凭证的签到机" in _page_text(unknown) and "K-NOT-HERE" in unknown.text
    assert scene.check(refused["unknown kiosk"]).json()["visit"] is None
    marked_up = scene.page(scene.receipt(outcome, kiosk_id="<i>K</i>&amp;"))
    assert "&lt;i&gt;K&lt;/i&gt;&amp;amp;" in marked_up.text and "<i>" not in marked_up.text, "escaped"
    english = _page_text(scene.page(refused["forged"], lang="en"))
    assert "Not valid: the signature does not match; the receipt may be forged or altered" in english


@pytest.mark.parametrize(
    ("scanned", "verdict", "words"),
    [
        ("hello", "not_receipt", "这不是志愿服务凭证"),
        ("VC1:ABCDEFGH", "not_receipt", "这不是志愿服务凭证"),
        ("VR1:", "damaged", "凭证内容不完整或已损坏"),
        ("VR1:AAAAAAAA", "damaged", "凭证内容不完整或已损坏"),
        ("VR1:" + "A" * 600, "damaged", "凭证内容不完整或已损坏"),
        ("VR2:AAAAAAAA", "unsupported_version", "这张凭证的格式较新"),
        ("X" * 2500, "not_receipt", "这不是志愿服务凭证"),
        ("%00%FF%C3%28", "not_receipt", "这不是志愿服务凭证"),
        ("<b>VR1:<i>", "not_receipt", "这不是志愿服务凭证"),
    ],
)
def test_text_that_is_no_receipt_gets_a_page_saying_so(
    scene: ReceiptScene, scanned: str, verdict: str, words: str
) -> None:
    reply = scene.page(scanned)
    assert reply.status_code == 400, reply.text
    assert words in _page_text(reply)
    assert "Traceback" not in reply.text and "<b>" not in reply.text
    if len(scanned) <= MAX_INPUT_CHARS:  # longer is a body the API refuses (below)
        assert scene.check(unquote(scanned)).json()["verdict"] == verdict


def test_a_huge_url_is_refused_and_the_server_keeps_answering(scene: ReceiptScene) -> None:
    long = scene.page("VR1:" + "A" * 12_000)
    assert long.status_code == 400 and "这不是志愿服务凭证" in _page_text(long), "refused unread (over 2,000)"
    # Beyond uvicorn's request line limit: refused before any route (a 400, or the connection closed).
    with contextlib.suppress(requests.ConnectionError, requests.exceptions.ChunkedEncodingError):
        assert 400 <= scene.page("VR1:" + "A" * 200_000).status_code < 500
    assert scene.page(scene.receipt(scene.visit(10))).status_code == 200


def test_the_api_refuses_only_a_body_that_is_not_a_receipt_question(scene: ReceiptScene) -> None:
    url = f"{scene.cloud.api_url}/receipts/check"
    assert requests.post(url, json={}, timeout=10).status_code == 400
    assert requests.post(url, json={"receipt": 5}, timeout=10).status_code == 400
    assert requests.post(url, json={"receipt": "x" * 2001}, timeout=10).status_code == 400
    assert requests.post(url, data="receipt", timeout=10).status_code == 415
    reply = requests.post(url, json={"receipt": ""}, timeout=10)
    assert reply.status_code == 200 and reply.json()["verdict"] == "not_receipt"


def test_the_records_differing_from_a_receipt_are_shown_for_review(scene: ReceiptScene) -> None:
    outcome = scene.visit(90)
    assert outcome.event is not None
    genuine = scene.receipt(outcome)
    # The kiosk's own key over the real events with other facts: a kiosk's fault, or its key misused.
    other_person = scene.receipt(outcome, volunteer_id="V002")
    later = scene.receipt(outcome, checked_out=receipt_of(outcome).checked_out + timedelta(hours=3))
    assert scene.kiosk.attendance.undo(outcome.event.event_id).kind.value == "undone"
    scene.sync()

    undone = scene.check(genuine).json()
    assert (undone["platform"], undone["differences"]) == ("differs", ["check_out_undone"])
    shown = _page_text(scene.page(genuine))
    assert "平台记录与这张凭证不一致" in shown and "这次签退已在签到机上撤销。" in shown
    assert "平台累计" not in shown, "no total is claimed for a visit under review"
    assert scene.check(other_person).json()["differences"] == ["other_volunteer", "check_out_undone"]
    assert scene.check(later).json()["differences"] == ["other_time", "check_out_undone"]


def test_the_pass_link_is_offered_only_within_a_day_of_the_check_out(
    scene: ReceiptScene, world: FakeClock
) -> None:
    text = scene.receipt(scene.visit(60))
    fresh = scene.page(text)
    assert f'href="../pass/#proof={text}"' in fresh.text
    assert "在这部手机上开通签到码" in _page_text(fresh)
    world.advance(25 * 3600)
    stale = scene.page(text)
    assert stale.status_code == 200 and "../pass/" not in stale.text
    assert scene.check(text).json()["pass_offer"] is False


@pytest.mark.parametrize("cloud", ["sqlite"], indirect=True)  # the command opens the same data folder
def test_staff_check_a_receipt_with_the_command(scene: ReceiptScene) -> None:
    outcome = scene.visit(75)
    text = scene.receipt(outcome)

    def run(*args: str) -> Result:
        return CliRunner().invoke(cli, ["--data", str(scene.cloud.data), "receipt", "check", *args])

    pending = run(text)
    assert pending.exit_code == 1, pending.output
    assert "genuine: the receipt is genuine: signed by kiosk" in pending.output
    assert "V001 雷*霞" in pending.output and "1 h 15 min" in pending.output
    assert "recorded at the kiosk only" in pending.output
    scene.sync()
    recorded = run(receipt_url(scene.cloud.base_url, text))
    assert recorded.exit_code == 0, recorded.output
    assert "recorded on the platform" in recorded.output and "platform total 1 h 15 min" in recorded.output
    as_json = run("--json", text)
    assert json.loads(as_json.output)["platform"] == "recorded"
    forged = run(scene.receipt(outcome, key=generate_signing_key()))
    assert forged.exit_code == 2 and "refused: the signature is not kiosk" in forged.output
    assert "雷" not in forged.output, "nothing of a refused receipt is shown"
