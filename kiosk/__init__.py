"""Volunteer check-in kiosk: offline-first sign-in and sign-out for volunteer activities."""

from checkin_protocol import __version__

__all__ = ["__version__"]
