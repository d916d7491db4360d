"""Configuration: defaults, TOML, environment, the data folder and the kiosk ID."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config import DEFAULTS, ConfigError, DataDir, ensure_kiosk_id, load_config, resolve_data_dir

README = Path(__file__).resolve().parents[2] / "README.md"


def test_defaults_then_toml_then_environment(tmp_path: Path) -> None:
    data = DataDir(tmp_path, "cli")
    assert load_config(data, env={}).get("attendance", "duplicate_window_s") == 120
    (tmp_path / "config.toml").write_text(
        "[attendance]\nduplicate_window_s = 60\n[store]\njournal = 'rollback'\n", encoding="utf-8"
    )
    config = load_config(data, env={})
    assert config.get("attendance", "duplicate_window_s") == 60 and config.journal == "rollback"
    config = load_config(data, env={"KIOSK_ATTENDANCE__DUPLICATE_WINDOW_S": "30"})
    assert config.get("attendance", "duplicate_window_s") == 30


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[attendance]\nduplicate_window = 60\n", "unknown setting attendance.duplicate_window"),
        ("[screen]\nx = 1\n", "unknown section [screen]"),
        ("[store]\njournal = 'fast'\n", "store.journal must be one of"),
        ("[attendance]\ncap_per_visit_min = 'long'\n", "must be a whole number"),
        ("this is = = not toml", "cannot read the configuration file"),
        ("[ui]\ntext_scale = 2.0\n", "ui.text_scale must be one of 1.0, 1.25, 1.5"),
        ("[ui]\ntext_scale = 'big'\n", "must be a number such as 1.25, not 'big'"),
        ("[ui]\ntext_scale = true\n", "must be a number such as 1.25"),
        ("[ui]\ntext_scale = nan\n", "must be a number such as 1.25"),
    ],
)
def test_bad_configuration_is_explained(tmp_path: Path, toml: str, message: str) -> None:
    (tmp_path / "config.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_config(DataDir(tmp_path, "cli"), env={})


def test_larger_text_is_a_setting_of_three_sizes(tmp_path: Path) -> None:
    data = DataDir(tmp_path, "cli")
    assert load_config(data, env={}).text_scale == 1.0
    assert load_config(data, env={"KIOSK_UI__TEXT_SCALE": " 1.25 "}).text_scale == 1.25
    (tmp_path / "config.toml").write_text("[ui]\ntext_scale = 1.5\n", encoding="utf-8")
    assert load_config(data, env={}).text_scale == 1.5
    (tmp_path / "config.toml").write_text("[ui]\ntext_scale = 1\n", encoding="utf-8")
    assert load_config(data, env={}).text_scale == 1.0


def test_every_setting_is_in_the_readmes_configuration_file() -> None:
    text = README.read_text(encoding="utf-8")
    for section, table in DEFAULTS.items():
        assert f"\n[{section}]\n" in text, f"[{section}] is not in README.md"
        for key in table:
            assert f"\n{key} = " in text, f"{section}.{key} is not in README.md"


def test_a_named_config_file_that_is_missing_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(DataDir(tmp_path, "cli"), config_file=tmp_path / "nope.toml", env={})


def test_data_folder_order_cli_env_portable_user(tmp_path: Path) -> None:
    exe = tmp_path / "bundle"
    exe.mkdir()
    assert resolve_data_dir(tmp_path / "x", env={"KIOSK_DATA": "/elsewhere"}, exe_dir=exe).origin == "cli"
    assert resolve_data_dir(None, env={"KIOSK_DATA": str(tmp_path / "e")}, exe_dir=exe).origin == "env"
    assert resolve_data_dir(None, env={}, exe_dir=exe).origin == "user"
    (exe / "kiosk-data").mkdir()
    chosen = resolve_data_dir(None, env={}, exe_dir=exe)
    assert chosen.origin == "portable" and chosen.path == (exe / "kiosk-data").resolve()


def test_a_portable_folder_that_cannot_be_written_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exe = tmp_path / "bundle"
    (exe / "kiosk-data").mkdir(parents=True)

    def read_only(self: Path, data: bytes) -> int:
        raise PermissionError("read-only stick")

    monkeypatch.setattr(Path, "write_bytes", read_only)
    assert resolve_data_dir(None, env={}, exe_dir=exe).origin == "user"


def test_kiosk_id_is_created_once_and_kept(tmp_path: Path) -> None:
    first = ensure_kiosk_id(tmp_path)
    assert first.startswith("K") and len(first) == 11
    assert ensure_kiosk_id(tmp_path) == first
