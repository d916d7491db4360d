"""The one exception the services raise for a reply other than success, and its JSON reply."""

from __future__ import annotations

from starlette.responses import JSONResponse


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


def error_response(error: ApiError) -> JSONResponse:
    """The JSON reply of an :class:`ApiError`: ``{"error": <code>, "message": <plain words>}``.

    A 401 names the scheme to authenticate with (``WWW-Authenticate: Bearer``, RFC 9110).
    """
    headers = {"WWW-Authenticate": 'Bearer realm="volunteer-kiosk"'} if error.status == 401 else None
    return JSONResponse(
        {"error": error.error, "message": error.message}, status_code=error.status, headers=headers
    )


def unauthenticated() -> ApiError:
    """The same answer for an unknown device, a wrong secret and a malformed header."""
    return ApiError(401, "unauthenticated", "the device credentials are not valid; register the kiosk again")
