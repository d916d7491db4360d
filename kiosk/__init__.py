"""Volunteer check-in kiosk: offline-first check-in and check-out for volunteer activities."""

from checkin_protocol import __version__

__all__ = ["__version__"]
