"""Where the sync client's database work runs: the writer's thread, or inline.

A process has exactly one writing connection (``Store.writer``). The GUI
passes an executor that runs each function on its writer thread and returns
the result (or raises its exception); the CLI and the tests run it inline.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

T = TypeVar("T")


class Executor(Protocol):
    """Runs a database function where the writer connection lives, and returns its result."""

    def __call__(self, fn: Callable[[], T], /) -> T: ...


def run_inline(fn: Callable[[], T]) -> T:
    """The executor of the CLI and the tests: run ``fn`` here and now."""
    return fn()
