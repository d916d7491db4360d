"""A face identified on the kiosk screen is checked in like a card, and the gallery follows the enrolments."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from helpers.fakes import KIOSK_ID, FakeClock, add_activities, make_activity, make_service, open_test_store

from checkin_protocol.codes.trust import RevocationList, TrustedKeys
from checkin_protocol.codes.verifier import TokenVerifier
from checkin_protocol.models import Method
from kiosk.services.face_enrolment import FaceEnrolment
from kiosk.services.face_gallery import GalleryLoader, build_gallery
from kiosk.services.outcome import OutcomeKind
from kiosk.services.scanning import ScanService
from kiosk.store.database import Store

MODEL = "dlib-resnet-v1"
COORDINATOR = "王老师 (c2)"


@pytest.fixture
def volunteer_store(store: Store) -> Store:
    """The kiosk store with one activity open, volunteer V1 active and V9 inactive."""
    add_activities(store, make_activity())
    with store.write() as db:
        db.execute("INSERT INTO volunteers (volunteer_id, name) VALUES ('V1', '雷彩霞')")
        db.execute("INSERT INTO volunteers (volunteer_id, name, active) VALUES ('V9', '张伟', 0)")
    return store


def scanner(store: Store, clock: FakeClock, revoked: RevocationList | None = None) -> ScanService:
    revocations = revoked or RevocationList()
    verifier = TokenVerifier(TrustedKeys([]), revocations)
    return ScanService(store, KIOSK_ID, clock, verifier, make_service(store, clock, revocations=revocations))


def methods(store: Store) -> list[tuple[str, str, str]]:
    return store.writer.execute("SELECT volunteer_id, action, method FROM events ORDER BY seq").fetchall()


def test_a_face_checks_in_with_the_rosters_masked_name_then_is_a_duplicate_then_checks_out(
    volunteer_store: Store,
) -> None:
    clock = FakeClock()
    service = scanner(volunteer_store, clock)
    first = service.handle_face("V1")
    assert first.kind is OutcomeKind.CHECKED_IN and first.display_name == "雷*霞"
    assert first.event is not None and first.event.method is Method.FACE
    clock.advance(30)
    assert service.handle_face("V1").kind is OutcomeKind.DUPLICATE
    clock.advance(3 * 3600)
    assert service.handle_face("V1").kind is OutcomeKind.CHECKED_OUT
    assert methods(volunteer_store) == [("V1", "in", "face"), ("V1", "out", "face")]


def test_with_several_activities_open_the_face_asks_which_one(tmp_path: Path) -> None:
    store = open_test_store(tmp_path / "k.db", make_activity("A1"), make_activity("A2"))
    service = scanner(store, FakeClock())
    outcome = service.handle_face("V1")
    assert outcome.kind is OutcomeKind.CHOOSE_ACTIVITY and set(outcome.choices) == {"A1", "A2"}
    assert service.handle_face("V1", "A2").kind is OutcomeKind.CHECKED_IN
    store.close()


def test_a_volunteer_unknown_to_the_roster_is_checked_in_without_a_name(volunteer_store: Store) -> None:
    outcome = scanner(volunteer_store, FakeClock()).handle_face("V2")
    assert outcome.kind is OutcomeKind.CHECKED_IN and outcome.display_name == ""


def test_one_cancelled_card_does_not_stop_the_face_but_a_revoked_or_inactive_volunteer_is_refused(
    volunteer_store: Store,
) -> None:
    clock = FakeClock()
    one_card = RevocationList([("V1", 1)])
    assert scanner(volunteer_store, clock, one_card).handle_face("V1").kind is OutcomeKind.CHECKED_IN
    every_card = RevocationList([("V3", RevocationList.ALL_CARDS)])
    refused = scanner(volunteer_store, clock, every_card).handle_face("V3")
    assert refused.kind is OutcomeKind.REFUSED and refused.reason == "card_revoked"
    inactive = scanner(volunteer_store, clock).handle_face("V9")
    assert inactive.kind is OutcomeKind.REFUSED and inactive.reason == "card_revoked"
    assert methods(volunteer_store) == [("V1", "in", "face")]


def descriptors(seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.normal(0, 0.1, 128).astype(np.float32) for _ in range(3)]


def test_the_gallery_is_loaded_once_and_again_only_when_enrolments_or_consents_change(
    volunteer_store: Store,
) -> None:
    faces = FaceEnrolment(volunteer_store, KIOSK_ID, FakeClock())
    loader = GalleryLoader(faces, volunteer_store.writer, MODEL)
    first = loader.reload_if_changed()
    assert first is not None and len(first) == 0
    assert loader.reload_if_changed() is None  # nothing changed: nothing decrypted
    faces.record_consent("V1", COORDINATOR)
    assert faces.enrol("V1", descriptors(1), COORDINATOR, MODEL) is None
    gallery = loader.reload_if_changed()
    assert gallery is not None and gallery.volunteers == ("V1",) and len(gallery) == 3
    assert loader.reload_if_changed() is None
    assert faces.enrol("V1", descriptors(2), COORDINATOR, MODEL) is None  # enrolled again: new templates
    again = loader.reload_if_changed()
    assert again is not None and np.allclose(again.templates_of("V1"), np.stack(descriptors(2)))
    faces.delete("V1", COORDINATOR)
    emptied = loader.reload_if_changed()
    assert emptied is not None and len(emptied) == 0


def test_another_model_versions_templates_are_not_in_the_gallery(volunteer_store: Store) -> None:
    faces = FaceEnrolment(volunteer_store, KIOSK_ID, FakeClock())
    faces.record_consent("V1", COORDINATOR)
    assert faces.enrol("V1", descriptors(1), COORDINATOR, "another-model") is None
    gallery = GalleryLoader(faces, volunteer_store.writer, MODEL).reload_if_changed()
    assert gallery is not None and len(gallery) == 0


def test_an_empty_template_list_builds_an_empty_gallery() -> None:
    assert len(build_gallery([])) == 0
