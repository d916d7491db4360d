"""JSON Schema of the protocol's text formats, written to say exactly what the server's parsers take.

The OpenAPI document (``/api/v1/openapi.json``) is a promise: a client that
sends what it describes is understood, and a value it rules out is refused.
So each format here is the same rule as its parser, spelled in the common
subset of Python's and ECMA-262's regular expressions (``[0-9]``, never
``\\d``, which in Python also matches other scripts' digits):

- a time (:func:`cloud.protocol.parse_time`): :data:`TIME_PATTERN` *and*
  ``format: date-time``; the pattern fixes the one spelling, the format
  rules out the days a month does not have (the parser asks the calendar);
- a UUID (:func:`cloud.protocol.check_uuid`): lower case with hyphens;
- an identifier (:func:`checkin_protocol.codes.fields.check_id`): printable ASCII
  without spaces, quotes or backslashes;
- a cursor (:func:`cloud.changes.parse_cursor`): up to 18 ASCII digits, or
  nothing (from the start).

``tests/unit/cloud/test_cloud_openapi.py`` checks that each schema and its
parser agree on generated text.
"""

from __future__ import annotations

from typing import Any

_YEAR = "(?:[1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])"  # 0001-9999: datetime has no year 0
_MONTH = "(?:0[1-9]|1[0-2])"
_DAY = "(?:0[1-9]|[12][0-9]|3[01])"
_CLOCK = "(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]\\.[0-9]{3}"  # no leap second: datetime has none
#: The one spelling of a protocol time: UTC, milliseconds, ``+00:00``.
TIME_PATTERN = f"^{_YEAR}-{_MONTH}-{_DAY}T{_CLOCK}\\+00:00$"
TIME_EXAMPLE = "2026-11-29T01:02:03.456+00:00"
TIME_JSON_SCHEMA: dict[str, Any] = {
    "type": "string",
    "format": "date-time",
    "pattern": TIME_PATTERN,
    "examples": [TIME_EXAMPLE],
}

UUID_PATTERN = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
UUID_JSON_SCHEMA: dict[str, Any] = {"type": "string", "format": "uuid", "pattern": UUID_PATTERN}

#: Printable ASCII (0x21-0x7E) less '"' (0x22) and '\' (0x5C), as ``check_id`` allows.
_ID_CHARS = "[!#-\\[\\]-~]"
#: Any character but the control characters (Unicode Cc), which ``check_text`` refuses.
_TEXT_CHARS = "[^\\u0000-\\u001f\\u007f-\\u009f]"
#: A text character that is not blank: what ``str.strip`` keeps (controls aside), spelled out,
#: because ECMA-262's ``\s`` and Python's idea of a space differ (U+FEFF, for one).
_VISIBLE_CHAR = "[^\\u0000-\\u0020\\u007f-\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]"

#: Digits of a cursor: the change log's ids stay below 2**63.
MAX_CURSOR_DIGITS = 18
CURSOR_JSON_SCHEMA: dict[str, Any] = {
    "type": "string",
    "pattern": "^[0-9]*$",
    "maxLength": MAX_CURSOR_DIGITS,
    "description": "the `next_cursor` of the last page applied; empty or absent: from the start",
}
NEXT_CURSOR_JSON_SCHEMA: dict[str, Any] = {
    "type": "string",
    "pattern": "^[0-9]+$",
    "maxLength": MAX_CURSOR_DIGITS,
    "description": "where the next page starts: send it as `cursor` (opaque to clients)",
}


def id_json_schema(max_len: int) -> dict[str, Any]:
    """The schema of an identifier of 1 to ``max_len`` characters (``check_id``)."""
    return {
        "type": "string",
        "pattern": f"^{_ID_CHARS}{{1,{max_len}}}$",
        "minLength": 1,
        "maxLength": max_len,
    }


def text_json_schema(max_len: int) -> dict[str, Any]:
    """The schema of a display text of 1 to ``max_len`` characters, not blank, no control characters."""
    return {
        "type": "string",
        "pattern": f"^(?={_TEXT_CHARS}*{_VISIBLE_CHAR}){_TEXT_CHARS}+$",
        "minLength": 1,
        "maxLength": max_len,
    }


def unfit_item_json_schema(what: str) -> dict[str, Any]:
    """The schema of the last choice of a batch item: any value, which the reply answers one by one.

    A batch (events, face records) is accepted whatever its items are: an
    item that fits none of its models is answered in the reply's
    ``rejected`` list, never by refusing the batch, so one bad record cannot
    hold back the good ones. The item's schema therefore says truthfully
    "one of the models, or anything else", and names the models to send.
    """
    return {"description": f"anything else: the {what} is answered in `rejected` as `invalid:<field>`"}
