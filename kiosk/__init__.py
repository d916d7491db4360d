"""Volunteer check-in kiosk: offline-first sign-in and sign-out for volunteer activities."""

__version__ = "0.1.0"
