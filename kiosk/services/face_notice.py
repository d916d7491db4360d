"""The consent notice a volunteer reads before face enrolment, word for word, in Chinese and English.

The notice is a versioned document, not ordinary screen text: the consent
record stores the version the volunteer was shown
(:data:`kiosk.services.face_enrolment.NOTICE_VERSION`), so the words of
each version must not change afterwards. That is why its text lives here,
keyed by version, and not in the Qt translation files (where a translator's
edit would silently change what a recorded version said). Change the words:
add a new version here and bump ``NOTICE_VERSION``; ``docs/face.md`` quotes
the current one.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.services.face_enrolment import NOTICE_VERSION

NOTICE_LANGUAGES = ("zh_CN", "en")
"""The notice opens in Chinese; one tap shows it in English."""


@dataclass(frozen=True)
class ConsentNotice:
    """One version of the notice in one language: a title, the paragraphs, and the volunteer's two answers."""

    version: str
    language: str
    title: str
    paragraphs: tuple[str, ...]
    agree: str
    decline: str
    version_line: str
    """Says which version this is, in the notice's language."""


NOTICES: dict[tuple[str, str], ConsentNotice] = {
    ("2026-11", "zh_CN"): ConsentNotice(
        "2026-11",
        "zh_CN",
        "刷脸签到：告知与同意",
        (
            "保存什么：从您的面部计算出的一组数字（人脸特征模板），不是照片。"
            "采集时摄像头画面只在内存中用来计算，随即丢弃，不保存任何照片或视频。",
            "保存在哪里：加密保存在本签到机上，并加密保存在平台的服务器上，"
            "供本地区的签到机识别您，只用于志愿服务签到和签退。",
            "保存多久：直到您要求删除，或您的志愿者注册终止。",
            "如何删除：随时请任何一位协调员删除。一键即在本机删除，其他签到机在下次同步时一并删除。",
            "二维码志愿者证始终可以代替刷脸签到。是否使用刷脸签到完全自愿，不同意不影响您参加任何活动。",
            "我们会记录您同意的时间、在场的协调员和本告知的版本。",
        ),
        "同意",
        "不同意",
        "告知版本：2026-11",
    ),
    ("2026-11", "en"): ConsentNotice(
        "2026-11",
        "en",
        "Face check-in: notice and consent",
        (
            "What is stored: a set of numbers computed from your face (a face template), not a photo. "
            "The camera picture is used in memory to compute it and then dropped; "
            "no photo or video is kept.",
            "Where: encrypted on this kiosk, and encrypted on the platform's servers for the kiosks of "
            "this area to recognise you, only to sign you in and out of volunteer service.",
            "For how long: until you ask for it to be deleted, or your volunteer registration ends.",
            "How to delete it: ask any coordinator, at any time. One tap deletes it on this kiosk; "
            "the other kiosks delete it at their next sync.",
            "Your QR volunteer card always works instead. Face check-in is voluntary: "
            "saying no changes nothing about the activities you can join.",
            "We record when you agreed, the coordinator present, and the version of this notice.",
        ),
        "I agree",
        "I do not agree",
        "Notice version: 2026-11",
    ),
}


def consent_notice(language: str = "zh_CN", version: str = NOTICE_VERSION) -> ConsentNotice:
    """The notice of ``version`` in ``language`` (Chinese when the language is not one of the notice's)."""
    if language not in NOTICE_LANGUAGES:
        language = NOTICE_LANGUAGES[0]
    try:
        return NOTICES[(version, language)]
    except KeyError:
        raise LookupError(f"no consent notice of version {version!r} in {language}") from None
