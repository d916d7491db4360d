"""Phone pass codes at the kiosk: fresh ones check in with credential "pass"; every other case is refused.

Real SQLite files; the phone is an Ed25519 key in the test, signing exactly as the pass page does.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from helpers.fakes import KIOSK_ID, FakeClock, make_activity, make_service, open_test_store

from checkin_protocol.codes.issuer import Issuer, generate_signing_key
from checkin_protocol.codes.pass_codes import sign_pass_code, step_of
from checkin_protocol.codes.trust import RevocationList, TrustedKeys, public_bytes_b64
from checkin_protocol.codes.verifier import TokenVerifier
from checkin_protocol.event_rows import format_utc
from checkin_protocol.models import Action, Credential, Identity, Method
from kiosk.services.outcome import OutcomeKind
from kiosk.services.pass_scan import PASS_TOLERANCE_S, PassRefusal
from kiosk.services.scanning import ScanService
from kiosk.store import passes, pull_changes
from kiosk.store import sync_state as state
from kiosk.store.activities import save_activity, set_activity_status
from kiosk.store.database import Store
from kiosk.store.outbox import pending_events

VOLUNTEER = "V000000001"
PASS_ID = "P0123456789"


class Phone:
    """A volunteer's phone: its key and its platform clock (its own clock plus its measured offset)."""

    def __init__(self, clock: FakeClock, error_s: float = 0.0) -> None:
        self.key = Ed25519PrivateKey.generate()
        self.clock = clock
        self.error_s = error_s

    @property
    def public_key(self) -> str:
        return public_bytes_b64(self.key.public_key())

    def step(self) -> int:
        return step_of(self.clock.wall.timestamp() + self.error_s)

    def code(self, step: int | None = None, pass_id: str = PASS_ID) -> str:
        return sign_pass_code(pass_id, self.step() if step is None else step, self.key)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = open_test_store(tmp_path / "kiosk.db", make_activity())
    with store.write() as db:
        pull_changes.upsert_volunteer(db, VOLUNTEER, "雷小霞", None, None, 1)
    return store


@pytest.fixture
def issuer() -> Issuer:
    return Issuer(generate_signing_key(), "test1")


@pytest.fixture
def scanner(store: Store, clock: FakeClock, issuer: Issuer) -> ScanService:
    verifier = TokenVerifier(TrustedKeys([("test1", issuer.public_key_b64)]), RevocationList())
    return ScanService(store, KIOSK_ID, clock, verifier, make_service(store, clock))


@pytest.fixture
def phone(store: Store, clock: FakeClock) -> Phone:
    phone = Phone(clock)
    register(store, phone)
    return phone


def register(store: Store, phone: Phone, pass_id: str = PASS_ID, revoked_utc: str | None = None) -> None:
    with store.write() as db:
        passes.upsert_pass(
            db, pass_id, VOLUNTEER, phone.public_key, "2026-11-01T00:00:00.000+00:00", revoked_utc
        )


def counts(store: Store) -> tuple[int, int, int]:
    """Events, pass steps and audit lines."""
    events, steps, audits = (
        store.writer.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        for table in ("events", "pass_steps", "audit_log")
    )
    return events, steps, audits


def last_audit(store: Store) -> tuple[str, dict[str, object]]:
    action, detail = store.writer.execute(
        "SELECT action, detail FROM audit_log ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return action, json.loads(detail)


def test_a_fresh_code_checks_in_with_credential_pass_and_remembers_its_step(
    store: Store, scanner: ScanService, phone: Phone, clock: FakeClock
) -> None:
    outcome = scanner.handle_code(phone.code(), Method.QR)

    assert outcome.kind is OutcomeKind.CHECKED_IN
    assert (outcome.volunteer_id, outcome.display_name) == (VOLUNTEER, "雷*霞")
    assert outcome.event is not None and outcome.event.credential is Credential.PASS
    assert outcome.event.method is Method.QR
    assert store.writer.execute("SELECT credential FROM events").fetchone()[0] == "pass"
    assert passes.last_step(store.writer, PASS_ID) == phone.step()
    assert store.writer.execute("SELECT used_utc FROM pass_steps").fetchone()[0] == format_utc(clock.wall)
    (record,) = pending_events(store.writer, 10)
    assert record["credential"] == "pass"


def test_the_same_code_again_is_refused_as_replayed_and_writes_only_the_audit_line(
    store: Store, scanner: ScanService, phone: Phone, clock: FakeClock
) -> None:
    code = phone.code()
    assert scanner.handle_code(code, Method.QR).kind is OutcomeKind.CHECKED_IN
    clock.advance(5)
    events, steps, audits = counts(store)

    again = scanner.handle_code(code, Method.SCANNER)

    assert (again.kind, again.reason) == (OutcomeKind.REFUSED, PassRefusal.REPLAYED.value)
    assert counts(store) == (events, steps, audits + 1)
    action, detail = last_audit(store)
    assert action == "pass.refused"
    assert detail == {
        "reason": "pass_replayed",
        "method": "scanner",
        "pass_id": PASS_ID,
        "volunteer_id": VOLUNTEER,
    }
    assert code not in json.dumps(detail)


def test_an_earlier_step_after_a_later_one_is_replayed(
    store: Store, scanner: ScanService, phone: Phone
) -> None:
    step = phone.step()
    assert scanner.handle_code(phone.code(step), Method.QR).kind is OutcomeKind.CHECKED_IN
    assert scanner.handle_code(phone.code(step - 1), Method.QR).reason == PassRefusal.REPLAYED


def test_the_next_step_is_not_a_replay_but_a_duplicate_scan_that_writes_nothing(
    store: Store, scanner: ScanService, phone: Phone, clock: FakeClock
) -> None:
    step = phone.step()
    assert scanner.handle_code(phone.code(step), Method.QR).kind is OutcomeKind.CHECKED_IN
    clock.advance(30)
    events, steps, audits = counts(store)

    again = scanner.handle_code(phone.code(step + 1), Method.QR)

    assert again.kind is OutcomeKind.DUPLICATE and again.previous is not None
    assert counts(store) == (events, steps, audits)
    assert passes.last_step(store.writer, PASS_ID) == step


def test_a_later_code_checks_out_with_credential_pass(
    store: Store, scanner: ScanService, phone: Phone, clock: FakeClock
) -> None:
    assert scanner.handle_code(phone.code(), Method.QR).kind is OutcomeKind.CHECKED_IN
    clock.advance(2 * 3600)
    out = scanner.handle_code(phone.code(), Method.QR)
    assert out.kind is OutcomeKind.CHECKED_OUT
    assert (
        out.event is not None
        and out.event.action is Action.CHECK_OUT
        and out.event.credential is Credential.PASS
    )
    assert passes.last_step(store.writer, PASS_ID) == phone.step()


def test_a_screenshot_two_minutes_old_is_refused_as_stale(
    store: Store, scanner: ScanService, phone: Phone, clock: FakeClock
) -> None:
    screenshot = phone.code()
    clock.advance(120)
    events, steps, audits = counts(store)

    outcome = scanner.handle_code(screenshot, Method.QR)

    assert (outcome.kind, outcome.reason) == (OutcomeKind.REFUSED, PassRefusal.STALE.value)
    assert counts(store) == (events, steps, audits + 1)
    assert last_audit(store)[1]["freshness"] == "stale"
    # The phone's fresh code works.
    assert scanner.handle_code(phone.code(), Method.QR).kind is OutcomeKind.CHECKED_IN


def test_a_code_of_a_step_not_begun_is_refused_as_stale_and_audited_as_ahead(
    store: Store, scanner: ScanService, phone: Phone
) -> None:
    outcome = scanner.handle_code(phone.code(phone.step() + 2), Method.QR)
    assert outcome.reason == PassRefusal.STALE
    assert last_audit(store)[1]["freshness"] == "ahead"
    assert counts(store)[:2] == (0, 0)


def test_the_previous_step_is_still_fresh(scanner: ScanService, phone: Phone) -> None:
    assert scanner.handle_code(phone.code(phone.step() - 1), Method.QR).kind is OutcomeKind.CHECKED_IN


def test_a_revoked_pass_is_refused(store: Store, scanner: ScanService, phone: Phone) -> None:
    register(store, phone, revoked_utc="2026-11-28T00:00:00.000+00:00")
    outcome = scanner.handle_code(phone.code(), Method.QR)
    assert (outcome.kind, outcome.reason) == (OutcomeKind.REFUSED, PassRefusal.REVOKED.value)
    assert counts(store)[:2] == (0, 0)


def test_an_unknown_pass_is_refused(store: Store, scanner: ScanService, clock: FakeClock) -> None:
    stranger = Phone(clock)
    outcome = scanner.handle_code(stranger.code(pass_id="PFFFFFFFFFF"), Method.QR)
    assert (outcome.kind, outcome.reason) == (OutcomeKind.REFUSED, PassRefusal.UNKNOWN.value)
    assert last_audit(store)[1] == {"reason": "pass_unknown", "method": "qr", "pass_id": "PFFFFFFFFFF"}


def test_a_code_signed_by_another_key_is_refused_as_a_bad_signature(
    store: Store, scanner: ScanService, phone: Phone, clock: FakeClock
) -> None:
    forger = Phone(clock)
    outcome = scanner.handle_code(forger.code(), Method.QR)
    assert (outcome.kind, outcome.reason) == (OutcomeKind.REFUSED, PassRefusal.BAD_SIGNATURE.value)
    assert outcome.volunteer_id is None  # an unverified code names nobody
    assert counts(store)[:2] == (0, 0)


@pytest.mark.parametrize(
    ("text", "reason"), [("VP1:ABC", "malformed"), ("VP9:ABC", "unsupported_version"), ("vp1:", "malformed")]
)
def test_damaged_pass_codes_are_refused_by_what_is_wrong(
    store: Store, scanner: ScanService, text: str, reason: str
) -> None:
    outcome = scanner.handle_code(text, Method.SCANNER)
    assert (outcome.kind, outcome.reason) == (OutcomeKind.REFUSED, reason)
    assert last_audit(store) == ("pass.refused", {"reason": reason, "method": "scanner", "length": len(text)})


def test_a_lower_case_scanner_reading_checks_in(scanner: ScanService, phone: Phone) -> None:
    assert scanner.handle_code(phone.code().lower() + "\r\n", Method.SCANNER).kind is OutcomeKind.CHECKED_IN


@pytest.mark.parametrize("kiosk_error_s", [-100.0, 100.0, -600.0])
def test_the_measured_clock_offset_makes_platform_time(
    store: Store, scanner: ScanService, clock: FakeClock, kiosk_error_s: float
) -> None:
    """The kiosk's clock is off by ``kiosk_error_s``; the phone's platform clock is right."""
    phone = Phone(FakeClock(wall=clock.wall))
    register(store, phone)
    clock.jump_wall(kiosk_error_s)

    unmeasured = scanner.handle_code(phone.code(), Method.QR)
    assert unmeasured.reason == PassRefusal.STALE  # far off and never measured: refused, never let through

    with store.write() as db:
        state.set_value(db, state.CLOCK_OFFSET_S, repr(-kiosk_error_s))  # server time minus device time
    assert scanner.handle_code(phone.code(), Method.QR).kind is OutcomeKind.CHECKED_IN


def test_a_small_unmeasured_error_within_the_tolerance_is_accepted(
    store: Store, scanner: ScanService, clock: FakeClock
) -> None:
    phone = Phone(FakeClock(wall=clock.wall))
    register(store, phone)
    # The phone's code has just changed, and the kiosk's clock is a little behind it.
    phone.clock.wall = phone.clock.wall.replace(second=0) + timedelta(minutes=1)
    clock.wall = phone.clock.wall - timedelta(seconds=PASS_TOLERANCE_S - 1)
    assert scanner.handle_code(phone.code(), Method.QR).kind is OutcomeKind.CHECKED_IN


def test_a_refusal_by_the_rules_records_no_step(
    store: Store, scanner: ScanService, phone: Phone, clock: FakeClock
) -> None:
    clock.advance(12 * 3600)  # the activity has ended
    outcome = scanner.handle_code(phone.code(), Method.QR, "A20261129001")
    assert outcome.kind is OutcomeKind.REFUSED and outcome.reason != PassRefusal.REPLAYED
    assert counts(store)[:2] == (0, 0)


def test_a_failed_attempt_records_no_step(store: Store, scanner: ScanService, phone: Phone) -> None:
    outcome = scanner.handle_code(phone.code(), Method.QR, "NO-SUCH-ACTIVITY")
    assert outcome.kind is OutcomeKind.FAILED
    assert counts(store)[:2] == (0, 0)


def test_with_several_activities_open_the_code_asks_and_then_checks_in(
    store: Store, scanner: ScanService, phone: Phone
) -> None:
    with store.write() as db:
        save_activity(db, make_activity("A20261129002"))
        set_activity_status(db, "A20261129002", make_activity().status)
    code = phone.code()
    asked = scanner.handle_code(code, Method.QR)
    assert asked.kind is OutcomeKind.CHOOSE_ACTIVITY and asked.display_name == "雷*霞"
    assert counts(store)[:2] == (0, 0)
    assert scanner.handle_code(code, Method.QR, "A20261129002").kind is OutcomeKind.CHECKED_IN


def test_a_card_is_still_accepted_for_a_volunteer_with_a_pass_with_credential_card(
    store: Store, scanner: ScanService, phone: Phone, issuer: Issuer
) -> None:
    card = issuer.issue_card(VOLUNTEER, "雷*霞", issued_on=FakeClock().wall.date())
    outcome = scanner.handle_code(card, Method.QR)
    assert outcome.kind is OutcomeKind.CHECKED_IN
    assert outcome.event is not None and outcome.event.credential is Credential.CARD
    assert store.writer.execute("SELECT credential FROM events").fetchone()[0] == "card"


def test_a_face_records_no_credential_and_the_wire_leaves_it_out(store: Store, scanner: ScanService) -> None:
    outcome = scanner.handle_face(VOLUNTEER)
    assert outcome.event is not None and outcome.event.credential is None
    (record,) = pending_events(store.writer, 10)
    assert "credential" not in record


def test_check_out_now_keeps_the_credential_it_is_given(store: Store, clock: FakeClock) -> None:
    service = make_service(store, clock)
    identity = Identity(VOLUNTEER, "雷*霞", Method.QR, credential=Credential.PASS)
    assert service.scan(identity, "A20261129001").kind is OutcomeKind.CHECKED_IN
    clock.advance(60)
    out = service.scan(identity, "A20261129001", force_check_out=True)
    assert out.event is not None and out.event.credential is Credential.PASS
