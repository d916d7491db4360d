"""The phone pass page's files: every word in both languages, every file in the service worker's cache,
the pinned QR library, and the headers and offline-friendly caching the cloud serves them with."""

from __future__ import annotations

import json
import re
from pathlib import Path

import requests
from helpers.cloud_server import running_cloud

from cloud.pass_page import STATIC_DIR

ROOT = Path(__file__).resolve().parents[3]
SCRIPTS = sorted(STATIC_DIR.glob("*.js"))


def strings() -> dict[str, dict[str, str]]:
    table: dict[str, dict[str, str]] = json.loads((STATIC_DIR / "strings.json").read_text(encoding="utf-8"))
    return table


def test_every_word_the_page_writes_is_there_in_chinese_and_english() -> None:
    table = strings()
    assert set(table) == {"zh", "en"}
    assert set(table["zh"]) == set(table["en"])
    page = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    used = set(re.findall(r'data-i18n(?:-label)?="([^"]+)"', page))
    for script in SCRIPTS:
        used |= set(re.findall(r'\bt\("([a-z_.]+)"', script.read_text(encoding="utf-8")))
    assert used - set(table["zh"]) == set(), "words the page uses that strings.json lacks"
    # Every refusal code of POST /api/v1/passes has its own words (the page shows error.<code>).
    for code in (
        "bad_proof",
        "proof_expired",
        "card_revoked",
        "unknown_volunteer",
        "rate_limited",
        "bad_public_key",
    ):
        assert f"error.{code}" in table["zh"], code
    assert table["zh"]["revoked.title"] == "此手机签到码已停用"
    assert all(
        not re.search(r"[\u4e00-\u9fff]", text) for key, text in table["en"].items() if key != "lang.other"
    )


def test_the_service_worker_keeps_every_file_the_page_needs() -> None:
    worker = (STATIC_DIR / "sw.js").read_text(encoding="utf-8")
    listed = set(re.findall(r'^  "([^"]+)",$', worker, re.M))
    files = {
        str(path.relative_to(STATIC_DIR))
        for path in STATIC_DIR.rglob("*")
        if path.is_file() and path.suffix in (".js", ".css", ".json", ".svg", ".png", ".webmanifest")
    }
    needed = files - {"sw.js", "vendor/qrcode-generator/package.json"}
    assert needed <= listed, f"files the page would lack offline: {sorted(needed - listed)}"
    assert "./" in listed, "the page itself"
    assert listed - {"./"} <= files, (
        f"the worker lists files that do not exist: {sorted(listed - {'./'} - files)}"
    )


def test_the_committed_qr_library_is_the_pinned_release() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("fetch_qrcode_js", ROOT / "scripts" / "fetch_qrcode_js.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.check_committed() == []


def test_the_cloud_serves_the_page_with_its_headers_and_the_worker_revalidated(tmp_path: Path) -> None:
    with running_cloud(tmp_path / "cloud") as cloud:
        moved = requests.get(f"{cloud.base_url}/pass", timeout=10, allow_redirects=False)
        page = requests.get(f"{cloud.base_url}/pass/", timeout=10)
        worker = requests.get(f"{cloud.base_url}/pass/sw.js", timeout=10)
        manifest = requests.get(f"{cloud.base_url}/pass/manifest.webmanifest", timeout=10)
        library = requests.get(f"{cloud.base_url}/pass/vendor/qrcode-generator/qrcode.js", timeout=10)
        missing = requests.get(f"{cloud.base_url}/pass/nothing.js", timeout=10)
    assert moved.status_code == 308 and moved.headers["location"] == "/pass/"
    assert page.status_code == 200 and '<canvas id="qr"' in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "<script>" not in page.text, "no inline script"
    assert page.headers["cache-control"] == worker.headers["cache-control"] == "no-cache"
    assert worker.headers["content-type"].startswith("text/javascript")
    assert manifest.headers["content-type"] == "application/manifest+json"
    assert json.loads(manifest.text)["scope"] == "./"
    assert library.status_code == 200 and "qrcode" in library.text
    assert missing.status_code == 404
