"""Changing a few settings in ``config.toml`` without losing the others, nor the comments.

The first-run setup writes the language and the camera it chose. A venue's
file may hold other settings, comments and its own layout, so the file is
edited as text, line by line: the ``key = value`` lines of the changed keys
are replaced in their ``[section]``, missing keys are added at the end of
their section, and a missing section is added at the end of the file. The
result is then read back with ``tomllib`` and must equal the old settings
with the new values in; if it does not (a layout this editor does not
understand: dotted keys, inline tables, multi-line values), nothing is
written and :class:`ConfigError` says so. The new file replaces the old one
atomically (a temporary file, flushed, renamed), so a power cut leaves the
old file or the new one, never half of it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from checkin_protocol.durable_files import write_file_durably
from kiosk.config import ConfigError, parse_toml, read_config_text

Value = str | int | bool
_HEADER = re.compile(r"^\s*\[\s*([A-Za-z0-9_-]+)\s*\]\s*(#.*)?$")
_ANY_HEADER = re.compile(r"^\s*\[")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def toml_value(value: Value) -> str:
    """``value`` written as TOML: a basic string, an integer, or true/false."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    # JSON's escapes (\\", \\\\, \\n, \\uXXXX) are all valid in a TOML basic string.
    return json.dumps(value, ensure_ascii=False)


def _lines(values: Mapping[str, Value], newline: str) -> list[str]:
    return [f"{key} = {toml_value(value)}{newline}" for key, value in values.items()]


def _key_line(key: str) -> re.Pattern[str]:
    return re.compile(rf"^\s*{re.escape(key)}\s*=")


def _trailing_comment(line: str) -> str:
    """The ``  # comment`` after a one-line value (kept when the value changes), or ``""``."""
    rest = line.rstrip("\r\n").partition("=")[2]
    for index, char in enumerate(rest):
        if char != "#":
            continue
        try:
            parse_toml(f"k ={rest[:index]}", "a value")
        except ConfigError:
            continue  # the '#' is inside a string
        spaces = rest[:index][len(rest[:index].rstrip()) :]
        return (spaces or " ") + rest[index:]
    return ""


def _edit_section(lines: list[str], section: str, values: Mapping[str, Value], newline: str) -> list[str]:
    header = next((i for i, line in enumerate(lines) if (m := _HEADER.match(line)) and m[1] == section), None)
    if header is None:
        out = list(lines)
        if out and not out[-1].endswith(("\n", "\r")):
            out[-1] += newline
        if out and out[-1].strip():
            out.append(newline)  # a blank line before the new section
        return [*out, f"[{section}]{newline}", *_lines(values, newline)]
    end = next((i for i in range(header + 1, len(lines)) if _ANY_HEADER.match(lines[i])), len(lines))
    body = lines[header + 1 : end]
    missing = dict(values)
    for index, line in enumerate(body):
        for key in list(missing):
            if _key_line(key).match(line):
                indent = line[: len(line) - len(line.lstrip())]
                comment = _trailing_comment(line)
                body[index] = f"{indent}{key} = {toml_value(missing.pop(key))}{comment}{newline}"
                break
    last = max((i for i, line in enumerate(body) if line.strip()), default=-1)
    if last >= 0 and not body[last].endswith(("\n", "\r")):
        body[last] += newline
    body = [*body[: last + 1], *_lines(missing, newline), *body[last + 1 :]]
    return [*lines[: header + 1], *body, *lines[end:]]


def _merged(old: Mapping[str, Any], updates: Mapping[str, Mapping[str, Value]]) -> dict[str, Any]:
    result: dict[str, Any] = {
        name: dict(table) if isinstance(table, dict) else table for name, table in old.items()
    }
    for section, values in updates.items():
        table = result.setdefault(section, {})
        if not isinstance(table, dict):
            raise ConfigError(f"{section} in the configuration file is not a [{section}] table")
        table.update(values)
    return result


def updated_config_text(text: str, updates: Mapping[str, Mapping[str, Value]]) -> str:
    """``text`` (a TOML file) with the ``updates`` written in; :class:`ConfigError` if that is not safe."""
    for section, values in updates.items():
        if not _BARE_KEY.fullmatch(section) or not all(_BARE_KEY.fullmatch(key) for key in values):
            raise ConfigError(f"cannot write setting names like [{section}] {', '.join(values)}")
    old = parse_toml(text, "the configuration file")
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    for section, values in updates.items():
        lines = _edit_section(lines, section, values, newline)
    new_text = "".join(lines)
    try:
        written = parse_toml(new_text, "the changed configuration")
    except ConfigError:
        written = None
    if written != _merged(old, updates):
        raise ConfigError(
            "the configuration file is laid out in a way the kiosk cannot change safely "
            f"(dotted keys or inline tables for {', '.join(updates)}); edit it by hand"
        )
    return new_text


def update_config_file(path: Path, updates: Mapping[str, Mapping[str, Value]]) -> None:
    """Write ``updates`` into the TOML file at ``path`` (created if missing), keeping everything else.

    Raises :class:`ConfigError` when the file cannot be read, is not valid
    TOML or cannot be changed safely, and ``OSError`` when it cannot be
    written; the old file is then unchanged.
    """
    text = read_config_text(path) if path.exists() else ""
    new_text = updated_config_text(text, updates)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_file_durably(path, new_text.encode("utf-8"))
