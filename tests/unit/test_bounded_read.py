"""Reading a file from outside: a plain file, up to its format's limit, never waiting on a pipe."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from checkin_protocol.bounded_read import FileRefused, FileTooLarge, read_bounded


def test_a_plain_file_within_the_limit_is_read_whole(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"12345")
    assert read_bounded(tmp_path / "a.txt", 5) == b"12345"


def test_one_byte_over_the_limit_is_refused_with_the_size(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"123456")
    with pytest.raises(
        FileTooLarge, match=r"it is 6 bytes, more than the 5 this kind of file may be"
    ) as refused:
        read_bounded(tmp_path / "a.txt", 5)
    assert (refused.value.size, refused.value.limit) == (6, 5)


def test_a_folder_or_a_pipe_is_refused_and_a_missing_file_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileRefused, match="not a plain file"):
        read_bounded(tmp_path, 100)
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe")
        with pytest.raises(FileRefused, match="not a plain file"):
            read_bounded(tmp_path / "pipe", 100)  # with no writer: refused at once, not waited on
    with pytest.raises(FileNotFoundError):
        read_bounded(tmp_path / "gone", 100)
