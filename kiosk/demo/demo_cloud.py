"""The local demo cloud: the one place where the kiosk starts the reference cloud (``kiosk demo``).

Everywhere else the kiosk knows the cloud only through the sync protocol over
HTTP (:mod:`kiosk.sync`) and the formats of :mod:`checkin_protocol`. This
module imports ``cloud`` so that ``kiosk demo`` can run one on this machine;
the import-linter contract that keeps ``kiosk`` and ``cloud`` apart names it
as the only exception. The bundle ships without the cloud, so the import may fail:
:func:`demo_cloud_starter` then answers None and the demo runs offline.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DemoCloud:
    """A reference cloud running on this machine for the demo."""

    base_url: str
    new_provisioning_code: Callable[[], str]  # a fresh code for the demo area, to register with


DemoCloudStarter = Callable[[Path], contextlib.AbstractContextManager[DemoCloud]]


def demo_cloud_starter() -> DemoCloudStarter | None:
    """What starts a demo cloud whose data lives in a folder; None when the reference cloud is not installed."""
    try:
        from cloud.local import local_cloud
        from cloud.provisioning import new_provisioning_code
    except ImportError:
        return None

    @contextlib.contextmanager
    def start(folder: Path) -> Iterator[DemoCloud]:
        with local_cloud(folder) as server:
            instance = server.instance
            yield DemoCloud(
                server.base_url, lambda: new_provisioning_code(instance.store, "demo", instance.clock())
            )

    return start
