"""A real kiosk, registered with the real cloud, whose check-outs give signed service receipts.

Usage (with the ``cloud`` fixture of tests/conftest.py, whose clock is ``world``)::

    with receipt_scene(cloud, world, tmp_path) as scene:
        outcome = scene.visit(120)              # check in, 120 minutes, check out
        text = scene.receipt(outcome)           # VR1:... signed with the kiosk's device key
        scene.page(text).text                   # GET /R/<text> on the cloud
        scene.sync()                            # the kiosk pushes (and pulls)

The roster has 雷彩霞 (V001, card ``scene.card``) and 王芳 (V002); the activity
is :func:`helpers.fakes.make_activity`'s (图书馆阅读推广志愿服务 at 江城市图书馆),
published by the cloud. The receipt is what the kiosk's card would show:
the check-in and check-out of the outcome, their wall times in whole
seconds, the credited minutes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from checkin_protocol.codes.receipts import ServiceReceipt, read_receipt, sign_receipt
from checkin_protocol.models import Method
from cloud.cli_issue import activity_values
from helpers.cloud_server import RunningCloud
from helpers.fakes import FakeClock, make_activity
from kiosk.app import Kiosk, build_kiosk
from kiosk.config import DataDir, load_config
from kiosk.services.outcome import Outcome, OutcomeKind
from kiosk.services.receipts import ReceiptIssuer
from kiosk.services.receipts import receipt_of as kiosk_receipt_of
from kiosk.store.device_keys import device_key
from kiosk.sync.client import SyncClient
from kiosk.sync.transport import HttpTransport

ROSTER = (
    "volunteer_id,name,phone,org_id,org_name,org_level\n"
    "V001,雷彩霞,13800000001,ORG1,江城市志愿服务联合会,city\n"
    "V002,王芳,13800000002,ORG1,江城市志愿服务联合会,city\n"
)
ACTIVITY = make_activity("A20261129001", hours=8)


def receipt_of(outcome: Outcome) -> ServiceReceipt:
    """The receipt of a check-out's outcome, as the kiosk's card makes it (:mod:`kiosk.services.receipts`)."""
    receipt = kiosk_receipt_of(outcome)
    assert receipt is not None, outcome
    return receipt


def altered(text: str, **changes: object) -> str:
    """``text`` with its visit changed and its signature kept: what someone editing a receipt makes."""
    signed = read_receipt(text)
    changed = replace(signed.receipt, **changes)  # type: ignore[arg-type]
    return replace(signed, payload=changed.to_payload()).text


@dataclass
class ReceiptScene:
    """The cloud, one registered kiosk on the test's clock, and a volunteer's card."""

    cloud: RunningCloud
    kiosk: Kiosk
    client: SyncClient
    clock: FakeClock
    card: str

    @property
    def device_key(self) -> Ed25519PrivateKey:
        """The kiosk's device key (the cloud holds its public half)."""
        key = device_key(self.kiosk.store.path, create=False)
        assert key is not None
        return key

    def visit(self, minutes: int, card: str | None = None) -> Outcome:
        """Check in, stay ``minutes``, check out; the check-out's outcome."""
        code = card or self.card
        assert self.kiosk.scanning.handle_code(code, Method.QR).kind is OutcomeKind.CHECKED_IN
        self.clock.advance(minutes * 60)
        outcome = self.kiosk.scanning.handle_code(code, Method.QR)
        assert outcome.kind is OutcomeKind.CHECKED_OUT, outcome
        return outcome

    def receipt(self, outcome: Outcome, key: Ed25519PrivateKey | None = None, **changes: object) -> str:
        """The signed receipt of ``outcome`` (by the kiosk's key unless ``key``), with any field changed."""
        receipt = replace(receipt_of(outcome), **changes)  # type: ignore[arg-type]
        return sign_receipt(receipt, key or self.device_key)

    def card_receipt_url(self, outcome: Outcome) -> str:
        """The URL the kiosk's check-out card puts in its receipt QR code (the kiosk's own issuer)."""
        with self.kiosk.store.write() as db:
            issued = ReceiptIssuer().issue(db, outcome)
        assert issued is not None, "the registered kiosk issues a receipt"
        return issued.url

    def sync(self) -> None:
        """One sync round of the kiosk (push, then pull), which must succeed."""
        report = self.client.sync_once()
        assert report.ok, report.lines()
        self.kiosk.reload_trust()

    def page(self, text: str, lang: str | None = None, prefix: str = "/R/") -> requests.Response:
        """``GET /R/<text>`` (``?lang=``) on the cloud."""
        params = {"lang": lang} if lang else None
        return requests.get(f"{self.cloud.base_url}{prefix}{text}", params=params, timeout=10)

    def check(self, text: str) -> requests.Response:
        """``POST /api/v1/receipts/check`` with ``text``."""
        return requests.post(f"{self.cloud.api_url}/receipts/check", json={"receipt": text}, timeout=10)


@contextmanager
def receipt_scene(cloud: RunningCloud, clock: FakeClock, folder: Path) -> Iterator[ReceiptScene]:
    """The roster and the activity on ``cloud``, a kiosk in ``folder`` registered and synced, the activity open."""
    roster = folder / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    cloud.store.import_roster(roster)
    with cloud.store.write() as writer:
        writer.upsert_activity(activity_values(ACTIVITY))
    kiosk = build_kiosk(load_config(DataDir(folder / "kiosk", "cli"), env={}), clock=clock)
    try:
        client = SyncClient(kiosk.store, kiosk.kiosk_id, kiosk.clock, HttpTransport(cloud.base_url))
        client.register(cloud.provision())
        kiosk.reload_trust()
        scene = ReceiptScene(
            cloud, kiosk, client, clock, cloud.issuer.issue_card("V001", "雷*霞", issued_on=date(2026, 1, 1))
        )
        scene.sync()
        assert kiosk.scanning.open_known_activity(ACTIVITY.activity_id).kind is OutcomeKind.ACTIVITY_OPENED
        yield scene
    finally:
        kiosk.close()


class _TextOf(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def visible_text(page: str) -> str:
    """The text a page shows (tags gone, entities decoded), runs of white space as one space."""
    parser = _TextOf()
    parser.feed(page)
    return " ".join(" ".join(parser.parts).split())
