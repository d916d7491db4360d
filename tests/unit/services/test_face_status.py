"""What the desk's Face tab reads about a volunteer: consent, templates, when; and the notice they read."""

from __future__ import annotations

import numpy as np
import pytest
from helpers.fakes import KIOSK_ID, FakeClock

from kiosk.services.face_enrolment import NOTICE_VERSION, FaceEnrolment
from kiosk.services.face_notice import NOTICE_LANGUAGES, NOTICES, consent_notice
from kiosk.services.face_status import FaceState, face_status, face_statuses
from kiosk.store.database import Store

COORDINATOR = "王老师 (c2)"


def _descriptors(count: int) -> list[np.ndarray]:
    rng = np.random.default_rng(count)
    return [rng.normal(0, 0.1, 128).astype(np.float32) for _ in range(count)]


def test_each_state_of_a_volunteers_face_data(store: Store) -> None:
    clock = FakeClock()
    faces = FaceEnrolment(store, KIOSK_ID, clock)
    assert face_status(store.writer, "V1").state is FaceState.NOT_ENROLLED
    assert not face_status(store.writer, "V1").has_data

    faces.record_consent("V1", COORDINATOR)
    status = face_status(store.writer, "V1")
    assert status.state is FaceState.CONSENTED and status.has_data and status.templates == 0
    assert status.consent is not None and status.consent.coordinator == COORDINATOR

    clock.advance(60)
    assert faces.enrol("V1", _descriptors(4), COORDINATOR, "dlib-resnet-v1") is None
    status = face_status(store.writer, "V1")
    assert status.state is FaceState.ENROLLED and status.templates == 4
    assert status.enrolled_utc is not None and status.consent is not None
    assert status.enrolled_utc > status.consent.consented_utc

    faces.delete("V1", COORDINATOR)
    status = face_status(store.writer, "V1")
    assert status.state is FaceState.WITHDRAWN and status.templates == 0 and not status.has_data


def test_the_statuses_of_a_search_result_in_one_read(store: Store) -> None:
    faces = FaceEnrolment(store, KIOSK_ID, FakeClock())
    faces.record_consent("V2", COORDINATOR)
    faces.enrol("V2", _descriptors(5), COORDINATOR, "dlib-resnet-v1")
    statuses = face_statuses(store.writer, ["V1", "V2", "V2"])
    assert list(statuses) == ["V1", "V2"]
    assert statuses["V1"].state is FaceState.NOT_ENROLLED and statuses["V2"].templates == 5
    assert face_statuses(store.writer, []) == {}


def test_the_notice_of_the_current_version_says_what_where_how_long_how_to_delete_and_the_alternative() -> (
    None
):
    for language in NOTICE_LANGUAGES:
        notice = consent_notice(language)
        assert notice.version == NOTICE_VERSION and NOTICE_VERSION in notice.version_line
        assert len(notice.paragraphs) == 6
    chinese = "".join(consent_notice("zh_CN").paragraphs)
    for words in ("不是照片", "加密", "服务器", "直到您要求删除", "协调员", "下次同步", "二维码", "自愿"):
        assert words in chinese, words
    english = " ".join(consent_notice("en").paragraphs)
    for words in (
        "not a photo",
        "encrypted",
        "servers",
        "until you ask",
        "coordinator",
        "next sync",
        "QR",
        "voluntary",
    ):
        assert words in english, words
    assert consent_notice("fr") == consent_notice("zh_CN")  # Chinese unless the notice has the language
    with pytest.raises(LookupError):
        consent_notice("en", "1999-01")
    assert all(version == notice.version for (version, _), notice in NOTICES.items())
