"""WCAG 2.x contrast between two colours, Qt-free: relative luminance and the contrast ratio.

The theme's rule is text contrast of at least :data:`AA_TEXT` (WCAG 2.x level
AA for normal text); ``tests/unit/ui/test_theme_contrast.py`` holds every
pair the theme defines to it. Colours are ``#RRGGBB`` strings; a colour laid
over another with some opacity (the prompts painted on the camera picture)
is first flattened with :func:`composite`.
"""

from __future__ import annotations

AA_TEXT = 4.5
"""WCAG 2.x level AA: the least contrast of normal-size text with its background."""


def _channels(colour: str) -> tuple[int, int, int]:
    digits = colour.removeprefix("#")
    if len(digits) != 6:
        raise ValueError(f"not a #RRGGBB colour: {colour!r}")
    red, green, blue = (int(digits[i : i + 2], 16) for i in (0, 2, 4))
    return red, green, blue


def _linear(channel: int) -> float:
    value = channel / 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """The relative luminance of ``colour`` (0 for black, 1 for white), as WCAG 2.x defines it."""
    red, green, blue = _channels(colour)
    return 0.2126 * _linear(red) + 0.7152 * _linear(green) + 0.0722 * _linear(blue)


def contrast_ratio(foreground: str, background: str) -> float:
    """The contrast ratio of two colours, from 1 (the same) to 21 (black on white); order does not matter."""
    lighter, darker = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def composite(colour: str, alpha: int, backdrop: str) -> str:
    """``colour`` at opacity ``alpha`` (0-255) laid over ``backdrop``, as one ``#RRGGBB`` colour."""
    if not 0 <= alpha <= 255:
        raise ValueError(f"alpha must be 0 to 255, not {alpha}")
    top, bottom = _channels(colour), _channels(backdrop)
    mixed = (round((t * alpha + b * (255 - alpha)) / 255) for t, b in zip(top, bottom, strict=True))
    return "#" + "".join(f"{channel:02X}" for channel in mixed)
