"""Changing a few settings of config.toml keeps everything else, or changes nothing."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from kiosk.config import ConfigError, DataDir, load_config, with_settings
from kiosk.config_file import update_config_file, updated_config_text

VENUE_FILE = """\
# 江城市图书馆 — set up by the library
[kiosk]
language = "en"   # the volunteers here read English
fullscreen = false

[camera]
# the webcam on the left
source = "video"
path = "C:\\\\videos\\\\door.mp4"
fps = 10

[usb]
folder = "E:\\\\"
"""


def test_the_changed_keys_are_replaced_in_place_and_the_rest_kept_with_its_comments(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(VENUE_FILE, encoding="utf-8")
    update_config_file(
        path, {"camera": {"source": "device", "device": "1", "path": ""}, "kiosk": {"language": "zh_CN"}}
    )
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# 江城市图书馆 — set up by the library\n")
    assert 'language = "zh_CN"   # the volunteers here read English' in text
    assert "# the webcam on the left" in text and 'folder = "E:\\\\"' in text
    values = tomllib.loads(text)
    assert values["camera"] == {"source": "device", "device": "1", "path": "", "fps": 10}
    assert values["kiosk"] == {"language": "zh_CN", "fullscreen": False}
    assert [p.name for p in tmp_path.iterdir()] == ["config.toml"]  # no temporary file left
    config = load_config(DataDir(tmp_path, "cli"), env={})
    assert config.get("camera", "device") == "1" and config.get("usb", "folder") == "E:\\"


def test_a_missing_file_or_section_is_created(tmp_path: Path) -> None:
    path = tmp_path / "new" / "config.toml"
    update_config_file(path, {"camera": {"source": "none"}})
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {"camera": {"source": "none"}}
    update_config_file(path, {"kiosk": {"language": "en", "fullscreen": True}})
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {
        "camera": {"source": "none"},
        "kiosk": {"language": "en", "fullscreen": True},
    }


def test_windows_line_endings_and_a_last_line_without_newline_are_kept() -> None:
    text = updated_config_text(
        "[kiosk]\r\nfullscreen = false", {"kiosk": {"language": "en"}, "camera": {"path": 'a "b"\\c'}}
    )
    assert "\n" not in text.replace("\r\n", "")
    assert tomllib.loads(text) == {
        "kiosk": {"fullscreen": False, "language": "en"},
        "camera": {"path": 'a "b"\\c'},
    }


@pytest.mark.parametrize(
    "text",
    [
        'camera.source = "video"\n',  # dotted keys
        'camera = {source = "video"}\n',  # an inline table
        '[camera]\nsource = """\nvideo"""\n',  # a multi-line string
        "[camera\nsource = 1\n",  # not TOML
    ],
)
def test_a_layout_that_cannot_be_changed_safely_is_left_alone(tmp_path: Path, text: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError):
        update_config_file(path, {"camera": {"source": "none"}})
    assert path.read_text(encoding="utf-8") == text


def test_settings_changed_in_memory_are_checked_like_the_file(tmp_path: Path) -> None:
    config = load_config(DataDir(tmp_path, "cli"), env={})
    changed = with_settings(config, {"camera": {"source": "none"}})
    assert changed.get("camera", "source") == "none" and config.get("camera", "source") == "device"
    with pytest.raises(ConfigError):
        with_settings(config, {"camera": {"source": "webcam"}})
