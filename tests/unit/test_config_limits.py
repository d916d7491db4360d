"""A broken ``config.toml`` is explained, never a traceback: too large, too deep, not TOML, wrong types.

The kiosk refuses to start on a configuration it cannot use (it says which
file and why, exit 1), rather than run on defaults the venue did not choose.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers.fuzz import fuzz_settings
from hypothesis import example, given
from hypothesis import strategies as st

from kiosk import config as config_module
from kiosk.cli.main import cli as kiosk_cli
from kiosk.config import DEFAULTS, ConfigError, DataDir, load_config
from kiosk.config_file import toml_value, update_config_file, updated_config_text

FUZZ = fuzz_settings(600)


def _default_text() -> str:
    """The configuration file of every default, as the README shows it."""
    return "".join(
        f"[{section}]\n" + "".join(f"{key} = {toml_value(value)}\n" for key, value in table.items()) + "\n"
        for section, table in DEFAULTS.items()
    )


BROKEN = {
    "arrays nested 3000 deep": "[kiosk]\nlanguage = " + "[" * 3000 + "]" * 3000 + "\n",
    "inline tables nested 2000 deep": "[kiosk]\nlanguage = " + "{a = " * 2000 + "1" + "}" * 2000 + "\n",
    "a number of 5000 digits": "[kiosk]\nresult_seconds = " + "9" * 5000 + "\n",
    "NUL bytes": "[kiosk]\x00\x00\nlanguage = 'en'\n",
    "a table where a value goes": "[kiosk]\nlanguage = {code = 'en'}\n",
    "a date where text goes": "[camera]\npath = 2026-11-29\n",
    "a number too large for the settings": "[camera]\nfps = 99999999999999999999\n",
}


@pytest.mark.parametrize("text", BROKEN.values(), ids=BROKEN.keys())
def test_kiosk_status_on_a_broken_config_says_which_file_and_why(tmp_path: Path, text: str) -> None:
    (tmp_path / "config.toml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(kiosk_cli, ["--data", str(tmp_path), "status"])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    [line] = result.output.strip().splitlines()
    assert line.startswith("Error: ") and "config.toml" in line and len(line) < 400, line
    assert not (tmp_path / "kiosk.db").exists(), "nothing is opened on a configuration that was refused"


def test_a_config_file_larger_than_a_config_may_be_is_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(config_module, "MAX_CONFIG_BYTES", 100)
    (tmp_path / "config.toml").write_text(_default_text(), encoding="utf-8")
    with pytest.raises(
        ConfigError, match=r"config.toml cannot be used: it is [\d,]+ bytes, more than the 100"
    ):
        load_config(DataDir(tmp_path, "cli"), env={})


@pytest.mark.parametrize("text", BROKEN.values(), ids=BROKEN.keys())
def test_the_setup_does_not_rewrite_a_broken_config_and_says_why(tmp_path: Path, text: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    try:
        update_config_file(path, {"kiosk": {"language": "en"}})
    except ConfigError as exc:
        assert str(exc)
        assert path.read_text(encoding="utf-8") == text
        return
    # The editor may keep what it does not read (a wrong type is load_config's to refuse).
    assert 'language = "en"' in path.read_text(encoding="utf-8")


_TOMLISH = st.text(alphabet=st.sampled_from("[]{}=\"'.,#\n -_01eTZ:+abckstu\\\x00中"), max_size=200)


@FUZZ
@given(_TOMLISH | st.text(max_size=200))
@example("a = " + "[" * 5000)
@example("[kiosk]\nlanguage = '''\n")
@example("[a.b.c]\nd.e.f = 1\n")
def test_any_text_loads_or_is_refused_with_a_reason(text: str) -> None:
    _load_or_refuse(text)


@FUZZ
@given(st.data())
def test_the_default_config_mutated_loads_or_is_refused_with_a_reason(data: st.DataObject) -> None:
    text = _default_text()
    for _ in range(data.draw(st.integers(1, 4), label="mutations")):
        at = data.draw(st.integers(0, len(text)), label="at")
        cut = data.draw(st.integers(0, 8), label="cut")
        insert = data.draw(_TOMLISH.filter(lambda t: len(t) < 12), label="insert")
        text = text[:at] + insert + text[at + cut :]
    _load_or_refuse(text)
    try:
        updated_config_text(text, {"camera": {"source": "none"}})
    except ConfigError as exc:
        assert str(exc)


def _load_or_refuse(text: str) -> None:
    folder = Path(_scratch.folder)
    (folder / "config.toml").write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        load_config(DataDir(folder, "cli"), env={})
    except ConfigError as exc:
        assert str(exc) and len(str(exc)) < 600 and not re.search(r"Traceback", str(exc))


class _scratch:  # one folder for all the examples: hypothesis runs them in one test call
    folder = ""


@pytest.fixture(autouse=True)
def _scratch_folder(tmp_path: Path) -> None:
    _scratch.folder = str(tmp_path)
