"""The entry point of the PyInstaller bundle (``build.spec``): the ``kiosk`` command, with kiosk defaults.

A coordinator starts the bundle by double-clicking it, so with no command it
runs the kiosk (``kiosk run``, which walks a kiosk that is not set up yet
through the first-run setup). ``--self-test`` with no command checks the
installation without a window (``kiosk run --self-test``). Anything else is
the ordinary ``kiosk`` command line, so ``kiosk --data DIR status`` or
``kiosk --version`` work from the bundle as from a source install.

The global options (``--data DIR``, ``--config FILE``, ``-v``) may come
first: ``kiosk --data D:\\kiosk-data`` starts the kiosk on that folder.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

DEFAULT_COMMAND = "run"
SELF_TEST_OPTION = "--self-test"
_GLOBAL_OPTIONS_WITH_VALUE = frozenset({"--data", "--config"})
_GLOBAL_FLAGS = frozenset({"-v", "--verbose"})


def bundle_argv(argv: Sequence[str]) -> list[str]:
    """The ``kiosk`` arguments for the bundle's ``argv`` (without the program name).

    Global options are skipped; if nothing follows them, ``run`` is added, and
    a bare ``--self-test`` becomes ``run --self-test``. Everything else
    (a command, ``--version``, ``--help``, a mistake click will explain) is
    passed through unchanged.
    """
    args = list(argv)
    index = 0
    while index < len(args):
        arg = args[index]
        if arg in _GLOBAL_OPTIONS_WITH_VALUE:
            index += 2
        elif arg in _GLOBAL_FLAGS or any(arg.startswith(f"{name}=") for name in _GLOBAL_OPTIONS_WITH_VALUE):
            index += 1
        else:
            break
    if index > len(args):  # "--data" with no folder after it: click explains
        return args
    if index == len(args):
        return [*args, DEFAULT_COMMAND]
    if args[index] == SELF_TEST_OPTION:
        return [*args[:index], DEFAULT_COMMAND, *args[index:]]
    return args


def main() -> None:
    """Run the ``kiosk`` command line on the bundle's arguments."""
    from kiosk.cli.main import main as kiosk_main

    sys.argv[1:] = bundle_argv(sys.argv[1:])
    kiosk_main()


if __name__ == "__main__":
    main()
