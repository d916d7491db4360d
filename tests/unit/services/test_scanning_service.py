"""Scanned text -> verified token -> activity opened or volunteer checked in; bad codes change nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from helpers.fakes import KIOSK_ID, FakeClock, make_activity, make_service, open_test_store

from checkin_protocol.codes.issuer import Issuer, generate_signing_key
from checkin_protocol.codes.trust import RevocationList, TrustedKeys
from checkin_protocol.codes.verifier import TokenVerifier
from checkin_protocol.models import ActivityStatus, Method
from kiosk.services.outcome import Failure, OutcomeKind
from kiosk.services.scanning import ScanService
from kiosk.store.database import Store

TODAY = date(2026, 11, 29)


@pytest.fixture
def issuer() -> Issuer:
    return Issuer(generate_signing_key(), "test1")


def _scanner(
    store: Store, clock: FakeClock, issuer: Issuer, revoked: RevocationList | None = None
) -> ScanService:
    revocations = revoked or RevocationList()
    verifier = TokenVerifier(TrustedKeys([("test1", issuer.public_key_b64)]), revocations)
    return ScanService(store, KIOSK_ID, clock, verifier, make_service(store, clock, revocations=revocations))


def _counts(store: Store) -> tuple[int, int]:
    db = store.writer
    return db.execute("SELECT COUNT(*) FROM events").fetchone()[0], db.execute(
        "SELECT COUNT(*) FROM audit_log"
    ).fetchone()[0]


def test_an_activity_code_opens_the_activity_offline(tmp_path: Path, issuer: Issuer) -> None:
    clock = FakeClock()
    store = open_test_store(tmp_path / "k.db")
    scanner = _scanner(store, clock, issuer)
    code = issuer.issue_activity(make_activity(status=ActivityStatus.SCHEDULED), issued_on=TODAY)

    opened = scanner.handle_code(code, Method.QR)

    assert opened.kind is OutcomeKind.ACTIVITY_OPENED and opened.activity_id == "A20261129001"
    assert store.writer.execute("SELECT status FROM activities").fetchone()[0] == "open"
    card = issuer.issue_card("V000000001", "雷*霞", issued_on=TODAY)
    assert scanner.handle_code(card + "\r\n", Method.SCANNER).kind is OutcomeKind.CHECKED_IN


def test_an_activity_past_its_end_is_not_opened(tmp_path: Path, issuer: Issuer) -> None:
    clock = FakeClock()
    store = open_test_store(tmp_path / "k.db")
    ended = make_activity(starts_at=clock.wall - timedelta(hours=8), hours=2, status=ActivityStatus.SCHEDULED)
    outcome = _scanner(store, clock, issuer).handle_code(
        issuer.issue_activity(ended, issued_on=TODAY), Method.QR
    )
    assert outcome.kind is OutcomeKind.REFUSED and outcome.reason == "activity_closed"
    assert store.writer.execute("SELECT COUNT(*) FROM activities").fetchone()[0] == 0


@pytest.mark.parametrize(
    "mangle",
    [
        lambda card: card[:-4] + ("0000" if not card.endswith("0000") else "1111"),  # damaged signature
        lambda card: card[:40],  # truncated
        lambda card: "https://weixin.qq.com/r/abc",  # someone else's QR code
        lambda card: "VC9:" + card[4:],  # a version this kiosk does not know
        lambda card: "",
    ],
    ids=["bad-signature", "truncated", "foreign", "unknown-version", "empty"],
)
def test_a_bad_code_is_refused_and_writes_only_an_audit_line(
    tmp_path: Path, issuer: Issuer, mangle: Callable[[str], str]
) -> None:
    store = open_test_store(tmp_path / "k.db", make_activity())
    scanner = _scanner(store, FakeClock(), issuer)
    card = issuer.issue_card("V000000001", "雷*霞", issued_on=TODAY)
    bad = mangle(card)

    outcome = scanner.handle_code(bad, Method.QR)

    assert outcome.kind is OutcomeKind.REFUSED and outcome.reason
    assert _counts(store) == (0, 1)
    detail = store.writer.execute("SELECT detail FROM audit_log").fetchone()[0]
    assert outcome.reason in detail
    assert (bad[4:30] or "\0") not in detail, "the scanned text must not be logged"


def test_a_card_signed_by_an_untrusted_key_is_refused(tmp_path: Path, issuer: Issuer) -> None:
    store = open_test_store(tmp_path / "k.db", make_activity())
    stranger = Issuer(generate_signing_key(), "test1")  # same key ID, different key: a forgery
    outcome = _scanner(store, FakeClock(), issuer).handle_code(
        stranger.issue_card("V000000001", "雷*霞", issued_on=TODAY), Method.QR
    )
    assert outcome.reason == "bad_signature"
    assert _counts(store) == (0, 1)


def test_a_revoked_card_is_refused_at_the_token(tmp_path: Path, issuer: Issuer) -> None:
    store = open_test_store(tmp_path / "k.db", make_activity())
    scanner = _scanner(store, FakeClock(), issuer, RevocationList([("V000000001", 1)]))
    outcome = scanner.handle_code(issuer.issue_card("V000000001", "雷*霞", issued_on=TODAY), Method.QR)
    assert outcome.kind is OutcomeKind.REFUSED and outcome.reason == "revoked"
    assert _counts(store) == (0, 1)


def test_with_several_open_activities_the_volunteer_chooses(tmp_path: Path, issuer: Issuer) -> None:
    store = open_test_store(tmp_path / "k.db", make_activity("A1"), make_activity("A2"))
    scanner = _scanner(store, FakeClock(), issuer)
    card = issuer.issue_card("V000000001", "雷*霞", issued_on=TODAY)
    choose = scanner.handle_code(card, Method.QR)
    assert choose.kind is OutcomeKind.CHOOSE_ACTIVITY and choose.choices == ("A1", "A2")
    assert _counts(store) == (0, 0)
    chosen = scanner.handle_code(card, Method.QR, activity_id="A2")
    assert chosen.kind is OutcomeKind.CHECKED_IN and chosen.activity_id == "A2"


def test_with_no_open_activity_the_card_is_not_stored(tmp_path: Path, issuer: Issuer) -> None:
    store = open_test_store(tmp_path / "k.db", make_activity(status=ActivityStatus.SCHEDULED))
    outcome = _scanner(store, FakeClock(), issuer).handle_code(
        issuer.issue_card("V000000001", "雷*霞", issued_on=TODAY), Method.QR
    )
    assert outcome.kind is OutcomeKind.FAILED and outcome.reason == Failure.NO_OPEN_ACTIVITY
    assert _counts(store) == (0, 0)


def test_a_kiosk_that_trusts_no_key_says_it_is_not_provisioned_and_one_that_does_says_unknown_key(
    tmp_path: Path, issuer: Issuer
) -> None:
    clock = FakeClock()
    store = open_test_store(tmp_path / "k.db")
    card = Issuer(generate_signing_key(), "p9").issue_card("V000000001", "雷*霞", issued_on=TODAY)
    bare = ScanService(
        store,
        KIOSK_ID,
        clock,
        TokenVerifier(TrustedKeys(), RevocationList()),
        make_service(store, clock),
    )
    assert bare.handle_code(card, Method.QR).reason == "not_provisioned"  # set up "offline for now"
    assert _scanner(store, clock, issuer).handle_code(card, Method.QR).reason == "unknown_key"
    assert _counts(store)[0] == 0
