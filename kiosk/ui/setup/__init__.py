"""The first-run setup: language, provisioning, camera, the first coordinator, ready.

:class:`kiosk.ui.setup.launcher.KioskLauncher` shows the setup when a kiosk
is not set up yet (``kiosk.services.first_run``), then the kiosk window.
:class:`kiosk.ui.setup.wizard.SetupWizard` is the setup's window; each step
is a page of its own (``page_*.py``), with the work behind the provisioning
and camera pages in ``provisioning_flow.py`` and ``camera_flow.py``. All
database and file work runs on one setup thread (a ``ThreadRunner`` of
``kiosk/ui/tasks.py``, built by ``kiosk/ui/composition.py``), network calls
included, so the UI thread only paints.
"""
