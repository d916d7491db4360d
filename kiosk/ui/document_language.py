"""The language of the documents the kiosk writes: the printed sheets and the report files.

The printed report, the roll-call, and the report's CSV and XLSX are
documents for a Chinese coordinator, so they are in :data:`DOCUMENT_LANGUAGE`
whatever the screen's language. Their texts are English source text marked
for Qt Linguist (``QT_TRANSLATE_NOOP``), translated in the committed
``resources/i18n/kiosk_<language>.ts`` like the UI's, and looked up here with
a translator of their own, loaded from the compiled ``.qm`` and never
installed in the application: the command line, which installs no
translator, writes the same documents as the desk.

:func:`document_translate` gives a
:data:`~kiosk.services.report_words.Translate` of one context, the plain
callable the Qt-free writers of :mod:`kiosk.services.report_files` take
(:data:`REPORT_WORDS` for the report's words). A text the ``.qm`` does not
have (or no ``.qm`` at all) stays in English.
"""

from __future__ import annotations

import logging
from functools import cache

from PySide6.QtCore import QTranslator

from kiosk.services import report_words
from kiosk.services.report_words import Translate
from kiosk.ui.i18n import translations_dir

log = logging.getLogger(__name__)

DOCUMENT_LANGUAGE = "zh_CN"
"""The language of the documents, whatever the screen's (``kiosk_<language>.qm`` is looked up)."""


@cache
def document_translator() -> QTranslator:
    """The translator of :data:`DOCUMENT_LANGUAGE`, loaded once and never installed in the application."""
    translator = QTranslator()
    if not translator.load(f"kiosk_{DOCUMENT_LANGUAGE}", str(translations_dir())):
        log.warning("translation kiosk_%s not found; documents in English", DOCUMENT_LANGUAGE)
    return translator


def document_translate(context: str) -> Translate:
    """Source texts of ``context`` in :data:`DOCUMENT_LANGUAGE`; a text without a translation stays English.

    The translator is loaded on the first call of the returned function, not here.
    """

    def translate(source: str) -> str:
        return document_translator().translate(context, source) or source

    return translate


REPORT_WORDS = document_translate(report_words.CONTEXT)
"""The desk report's words (:mod:`kiosk.services.report_words`) in the document's language.

For the report's CSV, XLSX and PDF, at the desk and in ``kiosk report`` alike.
"""
