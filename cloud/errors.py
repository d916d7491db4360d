"""The one exception the services raise for a reply other than success."""

from __future__ import annotations


class ApiError(Exception):
    """A refusal with its HTTP status, a stable ``error`` code and a plain ``message``.

    A 4xx is raised before anything is written (or inside the write
    transaction, which then rolls back), so a 4xx never changes anything.
    """

    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(f"{status} {error}: {message}")
        self.status = status
        self.error = error
        self.message = message


def unauthenticated() -> ApiError:
    """The same answer for an unknown device, a wrong secret and a malformed header."""
    return ApiError(401, "unauthenticated", "the device credentials are not valid; register the kiosk again")
