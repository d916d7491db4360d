"""Configuration: defaults, a TOML file, environment overrides, and the data folder.

Precedence, lowest first: the defaults below, ``config.toml`` in the data folder
(or the file named by ``--config`` / ``KIOSK_CONFIG``), then environment
variables ``KIOSK_<SECTION>__<KEY>`` (e.g. ``KIOSK_STORE__JOURNAL=rollback``).

The data folder is chosen once at start, first match wins:

1. ``--data DIR`` on the command line;
2. the ``KIOSK_DATA`` environment variable;
3. portable mode: a ``kiosk-data/`` folder beside the executable, when it
   exists and is writable (the kiosk runs from a USB stick);
4. the user's data folder (``platformdirs``).
"""

from __future__ import annotations

import logging
import math
import os
import secrets
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from checkin_protocol.bounded_read import FileRefused, read_bounded
from checkin_protocol.private_files import make_private_dir

log = logging.getLogger(__name__)

APP_NAME = "volunteer-kiosk"
PORTABLE_DIR_NAME = "kiosk-data"
CONFIG_FILE_NAME = "config.toml"
KIOSK_ID_FILE_NAME = "kiosk-id"
ENV_PREFIX = "KIOSK_"
#: A configuration file larger than this is refused unread: every setting is about 1.5 KB.
MAX_CONFIG_BYTES = 64 * 1024
#: Whole-number settings are counts, sizes and durations: 0 up to this.
MAX_SETTING_INT = 2**31 - 1

#: Every setting with its default. The types here are the types accepted.
DEFAULTS: dict[str, dict[str, Any]] = {
    "kiosk": {
        "language": "zh_CN",
        "fullscreen": True,  # frameless, full screen, no way out without the coordinator PIN
        "result_seconds": 5,  # how long a result card stays before the idle screen returns
    },
    "camera": {
        "source": "device",  # device, video, folder, synthetic, or none (a USB barcode scanner only)
        "device": "0",  # a camera index, or a device path
        "path": "",  # the video file or image folder for those sources
        "width": 640,
        "height": 480,
        "fps": 15,
    },
    "attendance": {
        "duplicate_window_s": 120,
        "undo_window_s": 120,
        "rounding_step_min": 0,
        "rounding_mode": "down",
        "cap_per_visit_min": 720,
        "auto_close_grace_min": 30,
        "auto_close_mode": "scheduled_end",
        "auto_close_fixed_min": 120,
        "clock_jump_tolerance_s": 120,
    },
    "store": {
        "journal": "auto",
    },
    "face": {
        "enabled": True,  # face check-in on the kiosk screen, for volunteers enrolled at the desk (QR always works)
        "liveness": "challenge",  # challenge: turn the head as asked (plus passive cues); off: attended desks only
    },
    "usb": {
        "folder": "",  # where the coordinator's USB stick is mounted; empty: look for removable drives
    },
    "ui": {
        "text_scale": 1.0,  # larger text for every screen: 1.0, 1.25 or 1.5 (touch targets keep their size)
    },
}

JOURNAL_CHOICES = ("auto", "wal", "rollback")
CAMERA_SOURCES = ("device", "video", "folder", "synthetic", "none")
LIVENESS_CHOICES = ("challenge", "off")
TEXT_SCALES = (1.0, 1.25, 1.5)


class ConfigError(Exception):
    """The configuration cannot be used; the message says which setting and why."""


@dataclass(frozen=True)
class DataDir:
    """The chosen data folder and why it was chosen (for ``status`` and the log)."""

    path: Path
    origin: str  # "cli", "env", "portable" or "user"

    @property
    def portable(self) -> bool:
        return self.origin == "portable"


@dataclass(frozen=True)
class Config:
    """The merged settings of one kiosk. Build it with :func:`load_config`."""

    data: DataDir
    config_file: Path
    values: Mapping[str, Mapping[str, Any]]

    def get(self, section: str, key: str) -> Any:
        return self.values[section][key]

    @property
    def language(self) -> str:
        return str(self.get("kiosk", "language"))

    @property
    def journal(self) -> str:
        return str(self.get("store", "journal"))

    @property
    def text_scale(self) -> float:
        """How much larger than the theme's type the screens' text is (``[ui] text_scale``)."""
        return float(self.get("ui", "text_scale"))

    @property
    def database_path(self) -> Path:
        return self.data.path / "kiosk.db"

    @property
    def log_dir(self) -> Path:
        return self.data.path / "logs"

    @property
    def demo_dir(self) -> Path:
        return self.data.path / "demo"


def executable_dir() -> Path:
    """The folder of the running program: the bundle's folder when frozen."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return Path(sys.argv[0]).resolve().parent


def _is_writable_dir(path: Path) -> bool:
    if not path.is_dir():
        return False
    probe = path / f".write-test-{secrets.token_hex(4)}"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError:
        return False
    return True


def resolve_data_dir(
    cli_data: Path | None = None,
    env: Mapping[str, str] | None = None,
    exe_dir: Path | None = None,
) -> DataDir:
    """Choose the data folder (see the module docstring for the order)."""
    env = os.environ if env is None else env
    if cli_data is not None:
        return DataDir(cli_data.expanduser().resolve(), "cli")
    if env.get("KIOSK_DATA"):
        return DataDir(Path(env["KIOSK_DATA"]).expanduser().resolve(), "env")
    portable = (exe_dir if exe_dir is not None else executable_dir()) / PORTABLE_DIR_NAME
    if _is_writable_dir(portable):
        return DataDir(portable.resolve(), "portable")
    if portable.is_dir():
        log.warning("portable data folder %s is not writable; using the user data folder", portable)
    return DataDir(Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)), "user")


def _coerce(section: str, key: str, raw: Any, default: Any, source: str) -> Any:
    """Convert ``raw`` to the type of ``default``, or explain what is wrong."""
    where = f"{section}.{key} (from {source})"
    if isinstance(default, bool):
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.lower() in ("1", "true", "yes", "on", "0", "false", "no", "off"):
            return raw.lower() in ("1", "true", "yes", "on")
        raise ConfigError(f"{where} must be true or false, not {raw!r}")
    if isinstance(default, float):
        number = _decimal_number(raw)
        if number is None:
            raise ConfigError(f"{where} must be a number such as 1.25, not {_shown(raw)}")
        return number
    if isinstance(default, int):
        number = _whole_number(raw)
        if number is None or not 0 <= number <= MAX_SETTING_INT:
            raise ConfigError(
                f"{where} must be a whole number from 0 to {MAX_SETTING_INT}, not {_shown(raw)}"
            )
        return number
    if isinstance(raw, str):
        return raw
    raise ConfigError(f"{where} must be text, not {_shown(raw)}")


def _whole_number(raw: Any) -> int | None:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if isinstance(raw, str):
        try:
            return int(raw.strip())
        except ValueError:  # not digits, or more than 4,300 of them
            return None
    return None


def _decimal_number(raw: Any) -> float | None:
    """``raw`` as a finite number (TOML's 1.5 or 1, the environment's "1.5"), or None."""
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        return None
    try:
        number = float(raw.strip() if isinstance(raw, str) else raw)
    except (ValueError, OverflowError):  # not a number; an integer too large for a float
        return None
    return number if math.isfinite(number) else None


def _shown(value: Any) -> str:
    """A value from a file for a message, cut short (the file may hold anything)."""
    text = repr(value)
    return text if len(text) <= 60 else text[:59] + "…"


def parse_toml(text: str, source: str) -> dict[str, Any]:
    """``text`` read as TOML; :class:`ConfigError` naming ``source`` and why when it is not.

    ``tomllib`` raises more than its ``TOMLDecodeError``: ``RecursionError``
    for arrays nested a few hundred deep and ``ValueError`` for an integer
    of more than 4,300 digits. All of them are a refusal here.
    """
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"cannot read {source}: it is not valid TOML ({exc})") from None
    except RecursionError:
        raise ConfigError(f"cannot read {source}: its values are nested too deeply") from None
    except ValueError as exc:  # its first clause says it: "Exceeds the limit (4300 digits) for integer …"
        raise ConfigError(f"cannot read {source}: {str(exc).split(':')[0][:100]}") from None


def read_config_text(path: Path) -> str:
    """The text of the configuration file at ``path``; :class:`ConfigError` when it cannot be used."""
    try:
        # Without the byte order mark some Windows editors put first.
        return read_bounded(path, MAX_CONFIG_BYTES).decode("utf-8").removeprefix("\ufeff")
    except FileRefused as exc:
        raise ConfigError(f"the configuration file {path} cannot be used: {exc.reason}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the configuration file {path}: {exc}") from None


def _merge(values: dict[str, dict[str, Any]], updates: Mapping[str, Any], source: str) -> None:
    for section, table in updates.items():
        if section not in DEFAULTS:
            raise ConfigError(f"unknown section [{section}] in {source}; known: {', '.join(DEFAULTS)}")
        if not isinstance(table, Mapping):
            raise ConfigError(f"[{section}] in {source} must be a table")
        for key, raw in table.items():
            if key not in DEFAULTS[section]:
                known = ", ".join(DEFAULTS[section])
                raise ConfigError(f"unknown setting {section}.{key} in {source}; known: {known}")
            values[section][key] = _coerce(section, key, raw, DEFAULTS[section][key], source)


def _env_updates(env: Mapping[str, str]) -> dict[str, dict[str, str]]:
    updates: dict[str, dict[str, str]] = {}
    for name, value in env.items():
        if not name.startswith(ENV_PREFIX) or "__" not in name:
            continue
        section, _, key = name[len(ENV_PREFIX) :].partition("__")
        updates.setdefault(section.lower(), {})[key.lower()] = value
    return updates


def _validate(values: Mapping[str, Mapping[str, Any]]) -> None:
    if values["store"]["journal"] not in JOURNAL_CHOICES:
        raise ConfigError(f"store.journal must be one of {', '.join(JOURNAL_CHOICES)}")
    if values["kiosk"]["language"] not in ("zh_CN", "en"):
        raise ConfigError("kiosk.language must be zh_CN or en")
    if values["camera"]["source"] not in CAMERA_SOURCES:
        raise ConfigError(f"camera.source must be one of {', '.join(CAMERA_SOURCES)}")
    if values["face"]["liveness"] not in LIVENESS_CHOICES:
        raise ConfigError(f"face.liveness must be one of {', '.join(LIVENESS_CHOICES)}")
    if values["ui"]["text_scale"] not in TEXT_SCALES:
        raise ConfigError(f"ui.text_scale must be one of {', '.join(map(str, TEXT_SCALES))}")


def load_config(
    data: DataDir,
    config_file: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> Config:
    """Merge defaults, the TOML file (if it exists) and the environment."""
    env = os.environ if env is None else env
    if config_file is None and env.get("KIOSK_CONFIG"):
        config_file = Path(env["KIOSK_CONFIG"])
    path = config_file if config_file is not None else data.path / CONFIG_FILE_NAME
    values = {section: dict(table) for section, table in DEFAULTS.items()}
    if path.exists():
        parsed = parse_toml(read_config_text(path), f"the configuration file {path}")
        _merge(values, parsed, str(path))
    elif config_file is not None:
        raise ConfigError(f"the configuration file {path} does not exist")
    _merge(values, _env_updates(env), "the environment")
    _validate(values)
    return Config(data=data, config_file=path, values=values)


def ensure_kiosk_id(data_dir: Path) -> str:
    """Return this kiosk's ID, creating it (once, atomically) on first run."""
    make_private_dir(data_dir)
    path = data_dir / KIOSK_ID_FILE_NAME
    if not path.exists():
        kiosk_id = "K" + secrets.token_hex(5).upper()
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process created it first; read theirs
        else:
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.write(kiosk_id + "\n")
                fh.flush()
                os.fsync(fh.fileno())
    kiosk_id = path.read_text(encoding="ascii").strip()
    if not kiosk_id:
        raise ConfigError(f"the kiosk ID file {path} is empty; restore it from a backup or remove it")
    return kiosk_id


def with_settings(config: Config, updates: Mapping[str, Mapping[str, Any]]) -> Config:
    """``config`` with some settings changed in memory (checked as a file's would be); the file is not touched."""
    values = {section: dict(table) for section, table in config.values.items()}
    _merge(values, updates, "the setup")
    _validate(values)
    return Config(data=config.data, config_file=config.config_file, values=values)
