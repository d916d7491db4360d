"""Every text colour of the theme is readable on what it is shown on: WCAG 2.x AA, 4.5:1 at least.

A failing pair names what a person would squint at (a grey hint on the status bar, the white title of
the banner); the pairs are the theme's own list (``CONTRAST_PAIRS``), every rule of the application
style sheet that sets a text colour and a background, and the prompts painted over the camera picture.
"""

from __future__ import annotations

import colorsys
import re

import pytest

from kiosk.ui import theme
from kiosk.ui.contrast import AA_TEXT, composite, contrast_ratio, relative_luminance


def test_the_contrast_helper_gives_the_wcag_figures() -> None:
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#FFFFFF", "#000000") == pytest.approx(21.0)  # the order does not matter
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)  # just under AA
    # The lightest grey that passes.
    assert contrast_ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#3366CC", "#3366CC") == pytest.approx(1.0)
    assert relative_luminance("#FFFFFF") == pytest.approx(1.0)
    assert relative_luminance("#000000") == pytest.approx(0.0)
    assert relative_luminance("#FF0000") == pytest.approx(0.2126)


def test_composite_lays_a_translucent_colour_over_another() -> None:
    assert composite("#FFFFFF", 255, "#000000") == "#FFFFFF"
    assert composite("#FFFFFF", 0, "#000000") == "#000000"
    assert composite("#FFFFFF", 128, "#000000") == "#808080"
    with pytest.raises(ValueError):
        composite("#FFFFFF", 256, "#000000")
    with pytest.raises(ValueError):
        relative_luminance("white")


@pytest.mark.parametrize(
    ("foreground", "background"),
    [p[1:] for p in theme.CONTRAST_PAIRS],
    ids=[p[0] for p in theme.CONTRAST_PAIRS],
)
def test_each_text_colour_of_the_theme_is_readable_on_its_background(
    foreground: str, background: str
) -> None:
    ratio = contrast_ratio(foreground, background)
    assert ratio >= AA_TEXT, f"{foreground} on {background} is {ratio:.2f}:1, under {AA_TEXT}:1"


@pytest.mark.parametrize(
    "backdrop", ["#FFFFFF", "#000000"], ids=["over a white picture", "over a black picture"]
)
@pytest.mark.parametrize(
    ("text", "band"),
    [p[1:] for p in theme.OVERLAY_CONTRAST_PAIRS],
    ids=[p[0] for p in theme.OVERLAY_CONTRAST_PAIRS],
)
def test_the_prompts_on_the_camera_picture_are_readable_whatever_the_picture(
    text: str, band: theme.Overlay, backdrop: str
) -> None:
    colour, alpha = band
    ratio = contrast_ratio(text, composite(colour, alpha, backdrop))
    assert ratio >= AA_TEXT, f"{text} on the band over {backdrop} is {ratio:.2f}:1"


_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_COLOUR = re.compile(r"(?<![-\w])color:\s*(#[0-9A-Fa-f]{6})")
_BACKGROUND = re.compile(r"(?<![-\w])background(?:-color)?:\s*(#[0-9A-Fa-f]{6})")


@pytest.mark.parametrize("text_scale", theme.TEXT_SCALES)
def test_every_rule_of_the_style_sheet_with_text_and_background_is_readable(text_scale: float) -> None:
    checked = 0
    for selector, body in _RULE.findall(theme.app_style_sheet(text_scale)):
        colour, background = _COLOUR.search(body), _BACKGROUND.search(body)
        if colour is None or background is None:
            continue
        checked += 1
        ratio = contrast_ratio(colour.group(1), background.group(1))
        assert ratio >= AA_TEXT, f"{selector.strip()}: {ratio:.2f}:1"
    assert checked >= 10, "the style sheet's buttons and panels were not found"


def test_the_card_tone_colours_are_in_the_contrast_list() -> None:
    pairs = {(fg, bg) for _, fg, bg in theme.CONTRAST_PAIRS}
    for accent, on_accent, fill in theme.CARD_COLOURS.values():
        assert {(on_accent, accent), (accent, fill), (theme.TEXT, fill), (theme.TEXT_MUTED, fill)} <= pairs


def _hue(colour: str) -> float:
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return colorsys.rgb_to_hls(red, green, blue)[0] * 360


def _hue_apart(a: str, b: str) -> float:
    gap = abs(_hue(a) - _hue(b)) % 360
    return min(gap, 360 - gap)


def test_a_check_out_card_is_never_taken_for_a_check_in_card() -> None:
    check_in, check_out = theme.CARD_COLOURS["success"], theme.CARD_COLOURS["check_out"]
    assert _hue_apart(check_in[0], check_out[0]) >= 90
    assert _hue_apart(check_in[2], check_out[2]) >= 90


def test_the_activity_banner_is_not_the_error_red() -> None:
    errors = {theme.BAD, theme.BAD_PRESSED, theme.BAD_CONTAINER, *theme.CARD_COLOURS["error"]}
    assert theme.BANNER not in errors
    assert _hue_apart(theme.BANNER, theme.BAD) >= 90


def test_the_touch_target_is_at_least_a_fingers_width() -> None:
    assert theme.TOUCH_TARGET_PX >= theme.MIN_TOUCH_TARGET_PX >= 48


def test_larger_text_scales_every_step_of_the_type_scale() -> None:
    for role, px in theme.TYPE_PX.items():
        assert theme.text_px(role, 1.0) == px
        assert theme.text_px(role, 1.5) == round(px * 1.5)
    assert f"font-size: {round(34 * 1.25)}px" in theme.app_style_sheet(1.25)
    assert (
        theme.role_for_px(22) == "body"
        and theme.role_for_px(28) == "large"
        and theme.role_for_px(18) == "caption"
    )
