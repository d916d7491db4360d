"""The one design system of the kiosk, the desk and the setup: colours by role, type, spacing, touch targets.

Widgets say *what* they are, as Qt dynamic properties set with the helpers
below: a text role (:func:`text_role`: ``title``, ``body`` ...), a button
variant (:func:`button_variant`: ``primary``, ``secondary``,
``destructive``, ``caution``, ``chip``, ``choice``), a status chip
(:func:`status_chip`), a tone (:func:`set_tone`: ``good``,
``bad`` ...). The one application style sheet, :func:`app_style_sheet`,
applied once by :func:`apply_theme`, says *how* each looks, at the
configured ``[ui] text_scale``. So no screen holds a colour or a font size,
and larger text is one setting. ``docs/design-system.md`` has the rules;
``tests/unit/ui/test_theme_contrast.py`` holds every text colour to WCAG AA
on each background it is shown on (:data:`CONTRAST_PAIRS`).

Painted widgets (the camera preview, the chart) take their colours from
here too, as :class:`QColor` through :func:`qcolor`.
"""

from __future__ import annotations

from typing import Literal, TypeVar

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from kiosk.config import TEXT_SCALES as TEXT_SCALES  # the values [ui] text_scale may take

# -- colours, named by role -------------------------------------------------------------------

SURFACE = "#F8F9FA"  # the page behind everything
SURFACE_RAISED = "#FFFFFF"  # fields, tables, secondary buttons
SURFACE_SUNKEN = "#E8EAED"  # the status bar, table headers, disabled buttons
DIVIDER = "#DADCE0"  # lines between things (decoration, no contrast asked)
OUTLINE = "#80868B"  # the edge of a control: 3:1 on the surfaces, as WCAG asks of components
TEXT = "#202124"
TEXT_MUTED = "#52575D"  # hints, captions, secondary lines

PRIMARY = "#0B57D0"  # the one main action of a page, chosen tabs, figures
ON_PRIMARY = "#FFFFFF"
PRIMARY_PRESSED = "#0842A0"
PRIMARY_CONTAINER = "#D3E3FD"  # a chosen choice
ON_PRIMARY_CONTAINER = "#041E49"
PRIMARY_SUBTLE = "#E8F0FE"  # the setup's header band

GOOD = "#1B5E20"  # done, saved, checked in
ON_GOOD = "#FFFFFF"
GOOD_CONTAINER = "#E8F5E9"
BAD = "#B3261E"  # refused, failed, delete
ON_BAD = "#FFFFFF"
BAD_PRESSED = "#8C1D18"
BAD_CONTAINER = "#FCE8E6"
WARN = "#A14000"  # look at this: overdue, a weak spot
ON_WARN = "#FFFFFF"
WARN_CONTAINER = "#FFF3E0"
WARN_OUTLINE = "#FFB74D"
INFO = "#0D47A1"  # already recorded, undone, to confirm
ON_INFO = "#FFFFFF"
INFO_CONTAINER = "#E3F2FD"
CHECK_OUT = "#6A1B9A"  # a check-out: as good as a check-in, and never mistaken for one
ON_CHECK_OUT = "#FFFFFF"
CHECK_OUT_CONTAINER = "#F3E5F5"

BANNER = "#263238"  # the open activity's banner: calm chrome, not the error red
ON_BANNER = "#FFFFFF"
ON_BANNER_MUTED = "#CFD8DC"

# The camera picture and what is painted over it (the video's colours are unknown: see CONTRAST_PAIRS).
VIDEO_BACKDROP = "#202124"
ON_VIDEO = "#E8EAED"
SCAN_GUIDE = "#FFD54F"  # the QR guide's corners; also a face box that is not good yet
FACE_GOOD = "#34A853"
FACE_ACTION = "#4FC3F7"  # not the guide's yellow
FACE_SUCCESS = "#66BB6A"
FACE_REFUSAL = "#EF5350"
ON_OVERLAY = "#FFFFFF"  # text and the progress bar on the translucent bands below
Overlay = tuple[str, int]  # a colour and its opacity (0-255), laid over the camera picture
PROMPT_NEUTRAL: Overlay = (VIDEO_BACKDROP, 200)
PROMPT_ACTION: Overlay = (INFO, 225)
PROMPT_SUCCESS: Overlay = (GOOD, 225)
PROMPT_REFUSAL: Overlay = (BAD, 230)
QR_LINE: Overlay = (VIDEO_BACKDROP, 190)
PROGRESS_TRACK: Overlay = (ON_OVERLAY, 90)

# Paper (kiosk/ui/printing.py): black text on pale fills.
PRINT_RULE = "#777777"
PRINT_HEADER_FILL = "#E8EEF4"
PRINT_TOTAL_FILL = "#F4F4F4"

#: The result card's colours per tone (the values of :class:`kiosk.ui.messages.Tone`): accent, on accent, fill.
CARD_COLOURS: dict[str, tuple[str, str, str]] = {
    "success": (GOOD, ON_GOOD, GOOD_CONTAINER),
    "check_out": (CHECK_OUT, ON_CHECK_OUT, CHECK_OUT_CONTAINER),
    "info": (INFO, ON_INFO, INFO_CONTAINER),
    "warning": (WARN, ON_WARN, WARN_CONTAINER),
    "error": (BAD, ON_BAD, BAD_CONTAINER),
}

Tone = Literal["good", "bad", "warn", "info", "muted", "primary"]
TONE_COLOURS: dict[str, str] = {
    "good": GOOD,
    "bad": BAD,
    "warn": WARN,
    "info": INFO,
    "muted": TEXT_MUTED,
    "primary": PRIMARY,
}

StatusTone = Literal["good", "info", "warn", "bad", "muted"]
#: A status chip's text and fill per tone (:func:`status_chip`): the state of an activity, at a glance.
STATUS_CHIP_COLOURS: dict[str, tuple[str, str]] = {
    "good": (GOOD, GOOD_CONTAINER),
    "info": (INFO, INFO_CONTAINER),
    "warn": (WARN, WARN_CONTAINER),
    "bad": (BAD, BAD_CONTAINER),
    "muted": (TEXT_MUTED, SURFACE_SUNKEN),
}


def _text_everywhere() -> list[tuple[str, str, str]]:
    """Text and tone colours on every plain background they are shown on."""
    backgrounds = {
        "surface": SURFACE,
        "raised": SURFACE_RAISED,
        "sunken": SURFACE_SUNKEN,
        "primary subtle": PRIMARY_SUBTLE,
    }
    texts = {"text": TEXT, **TONE_COLOURS}
    return [(f"{t} on {b}", fg, bg) for t, fg in texts.items() for b, bg in backgrounds.items()]


#: Every foreground / background pair the theme shows text in: (what, text colour, background).
CONTRAST_PAIRS: tuple[tuple[str, str, str], ...] = (
    *_text_everywhere(),
    ("on_primary on primary", ON_PRIMARY, PRIMARY),
    ("on_primary on primary pressed", ON_PRIMARY, PRIMARY_PRESSED),
    ("chosen choice", ON_PRIMARY_CONTAINER, PRIMARY_CONTAINER),
    ("text on a chosen choice", TEXT, PRIMARY_CONTAINER),
    ("on_bad on bad (destructive)", ON_BAD, BAD),
    ("on_bad on bad pressed", ON_BAD, BAD_PRESSED),
    ("banner title", ON_BANNER, BANNER),
    ("banner detail", ON_BANNER_MUTED, BANNER),
    ("warning notice", WARN, WARN_CONTAINER),
    ("text on a notice", TEXT, WARN_CONTAINER),
    ("camera message", ON_VIDEO, VIDEO_BACKDROP),
    *((f"{tone} status chip", text, fill) for tone, (text, fill) in STATUS_CHIP_COLOURS.items()),
    *(
        pair
        for tone, (accent, on_accent, fill) in CARD_COLOURS.items()
        for pair in (
            (f"{tone} card icon", on_accent, accent),
            (f"{tone} card title", accent, fill),
            (f"{tone} card name", TEXT, fill),
            (f"{tone} card next step", TEXT_MUTED, fill),
        )
    ),
)

#: Text painted on a translucent band over the camera picture: (what, text, band); checked over white and black.
OVERLAY_CONTRAST_PAIRS: tuple[tuple[str, str, Overlay], ...] = (
    ("face prompt", ON_OVERLAY, PROMPT_NEUTRAL),
    ("face prompt: do this", ON_OVERLAY, PROMPT_ACTION),
    ("face prompt: recognised", ON_OVERLAY, PROMPT_SUCCESS),
    ("face prompt: refused", ON_OVERLAY, PROMPT_REFUSAL),
    ("QR line", ON_OVERLAY, QR_LINE),
)

# -- type, spacing, touch -------------------------------------------------------------------

TextRole = Literal["caption", "small", "body", "large", "title", "headline", "display", "figure", "hero"]
#: The type scale in px at text_scale 1.0; :func:`text_px` scales it.
TYPE_PX: dict[TextRole, int] = {
    "caption": 18,  # the status bar, notes under a field
    "small": 20,  # table headers, dense desk lines
    "body": 24,  # most text and every button
    "large": 28,  # a kiosk hint, a result's detail, a kiosk choice
    "title": 34,  # a screen's title, the PIN keys
    "headline": 40,  # the idle screen's instruction, a result's one large word
    "display": 48,  # the volunteer's name on a result, the PIN entry, the desk's figures
    "figure": 56,  # a result's icon, the capture counter
    "hero": 96,  # the idle screen's glyph
}
BOLD_ROLES: tuple[TextRole, ...] = ("title", "headline", "display", "figure")  # bold in a label

SPACE_XS, SPACE_S, SPACE_M, SPACE_L, SPACE_XL, SPACE_XXL = 4, 8, 16, 24, 32, 48
RADIUS = 8  # buttons, fields, notices
RADIUS_CARD = 24  # the result card
CARD_BORDER_PX = 6
MIN_TOUCH_TARGET_PX = 48  # a finger's least target (tests/helpers/layout_audit.py checks it)
TOUCH_TARGET_PX = 80  # the kiosk's buttons: about 20 mm on a 100 dpi touch screen


def text_px(role: TextRole, text_scale: float = 1.0) -> int:
    """The size of ``role`` in px at ``text_scale``."""
    return round(TYPE_PX[role] * text_scale)


def role_for_px(px: int) -> TextRole:
    """The text role nearest to ``px`` (a tie goes to the larger: readable from a metre)."""
    return min(TYPE_PX, key=lambda name: (abs(TYPE_PX[name] - px), -TYPE_PX[name]))


def qcolor(colour: str | Overlay) -> QColor:
    """A theme colour (or an :data:`Overlay`, with its opacity) for painting."""
    if isinstance(colour, tuple):
        hex_colour, alpha = colour
        painted = QColor(hex_colour)
        painted.setAlpha(alpha)
        return painted
    return QColor(colour)


# -- what a widget is: properties the style sheet matches ---------------------------------------

W = TypeVar("W", bound=QWidget)
B = TypeVar("B", bound=QPushButton)
ButtonVariant = Literal["primary", "secondary", "destructive", "caution", "chip", "choice"]


def repolish(widget: QWidget) -> None:
    """Make the style sheet look at ``widget`` and its children again (after a property changed)."""
    for each in (widget, *widget.findChildren(QWidget)):
        style = each.style()
        style.unpolish(each)
        style.polish(each)
        QWidget.update(each)  # an item view's own update(index) hides QWidget's in PySide6 6.9


def set_style_property(widget: QWidget, name: str, value: object) -> None:
    """Set the property ``name`` the style sheet matches on (``step``, ``cardTone`` ...) and restyle if it changed."""
    if widget.property(name) != value:
        widget.setProperty(name, value)
        repolish(widget)


def text_role(widget: W, role: TextRole, *, tone: Tone | None = None, strong: bool = False) -> W:
    """Size ``widget``'s text by ``role`` (a label's is bold from ``title`` up); ``tone`` colours it, ``strong`` bolds it."""
    set_style_property(widget, "textRole", role)
    if strong:
        set_style_property(widget, "strong", True)
    if tone is not None:
        set_style_property(widget, "tone", tone)
    return widget


def set_tone(widget: QWidget, tone: Tone | None) -> None:
    """Colour ``widget``'s text by ``tone`` (``None``: the plain text colour)."""
    set_style_property(widget, "tone", tone or "")


def button_variant(button: B, variant: ButtonVariant, role: TextRole = "body") -> B:
    """Make ``button`` a primary, secondary (the default look), destructive, chip or choice button."""
    set_style_property(button, "variant", variant)
    return text_role(button, role)


def status_chip(label: W, tone: StatusTone) -> W:
    """Show ``label`` as a status chip (an activity's 未开始 / 进行中 / 已结束): bold text on a pale pill of ``tone``."""
    set_tone(label, None)
    set_style_property(label, "statusChip", tone)
    return label


def notice(widget: W) -> W:
    """Show ``widget`` (a label) as a warning notice: a pale band with a border, in the notice's colour."""
    set_tone(widget, None)
    set_style_property(widget, "notice", "warn")
    return widget


# -- the style sheet ------------------------------------------------------------------------------


def text_rules(text_scale: float = 1.0) -> str:
    """Sizes per text role; tone colours; ``strong``."""
    sizes = "".join(
        f'*[textRole="{role}"] {{ font-size: {text_px(role, text_scale)}px; }}\n' for role in TYPE_PX
    ) + "".join(f'QLabel[textRole="{role}"] {{ font-weight: bold; }}\n' for role in BOLD_ROLES)
    tones = "".join(f'*[tone="{tone}"] {{ color: {colour}; }}\n' for tone, colour in TONE_COLOURS.items())
    return sizes + tones + '*[strong="true"] { font-weight: bold; }\n'


def button_css(selector: str, fill: str, text: str, border: str, pressed: str) -> str:
    """The rules of one button look: its fill, text and border, and its fill while pressed."""
    return (
        f"{selector} {{ background: {fill}; color: {text}; border: 1px solid {border}; }}\n"
        f"{selector}:pressed {{ background: {pressed}; }}\n"
        f"{selector}:disabled {{ background: {SURFACE_SUNKEN}; color: {TEXT_MUTED};"
        f" border: 1px solid {DIVIDER}; }}\n"
    )


def button_rules(text_scale: float = 1.0) -> str:
    """Flat, large buttons: secondary by default; primary, destructive, chip (a tab) and choice variants."""
    return (
        f"QPushButton {{ font-size: {text_px('body', text_scale)}px; border-radius: {RADIUS}px;"
        f" padding: 0 {SPACE_M}px; }}\n"
        + button_css("QPushButton", SURFACE_RAISED, TEXT, OUTLINE, SURFACE_SUNKEN)
        + f"QPushButton:checked {{ background: {PRIMARY_CONTAINER}; color: {ON_PRIMARY_CONTAINER};"
        f" border: 3px solid {PRIMARY}; }}\n"
        + button_css('QPushButton[variant="primary"]', PRIMARY, ON_PRIMARY, PRIMARY, PRIMARY_PRESSED)
        + 'QPushButton[variant="primary"] { font-weight: bold; }\n'
        + button_css('QPushButton[variant="destructive"]', BAD, ON_BAD, BAD, BAD_PRESSED)
        + 'QPushButton[variant="destructive"] { font-weight: bold; }\n'
        # leads to a destructive action's confirmation: the red as text and edge, never the everyday look
        + button_css('QPushButton[variant="caution"]', SURFACE_RAISED, BAD, BAD, BAD_CONTAINER)
        + 'QPushButton[variant="caution"] { font-weight: bold; border-width: 2px; }\n'
        + f'QPushButton[variant="chip"]:checked {{ background: {PRIMARY}; color: {ON_PRIMARY};'
        f" border: 1px solid {PRIMARY}; }}\n"
        + f'QPushButton[variant="choice"] {{ text-align: left; padding: 0 {SPACE_M + 4}px; }}\n'
        + 'QPushButton[variant="choice"]:checked { font-weight: bold; }  /* full width: room for bold */\n'
    )


def card_css(selector: str, accent: str, on_accent: str, fill: str) -> str:
    """A card in one tone: ``fill`` inside a thick ``accent`` border; its title in the accent.

    The card's icon is painted (``on_accent`` on an ``accent`` disc, :mod:`kiosk.ui.widgets.result_card`).
    """
    return (
        f"{selector} {{ background: {fill}; border: {CARD_BORDER_PX}px solid {accent};"
        f" border-radius: {RADIUS_CARD}px; }}\n"
        f"{selector} #resultTitle {{ color: {accent}; }}\n"
    )


def card_rules(text_scale: float = 1.0) -> str:
    """The result card in each tone (``cardTone``)."""
    return "".join(
        card_css(f'#resultCard[cardTone="{tone}"]', *colours) for tone, colours in CARD_COLOURS.items()
    ) + (f"#resultNextStep {{ color: {TEXT_MUTED}; }}\n")


def status_rules() -> str:
    """Status chips (:func:`status_chip`: a pale pill in the tone's colour) and the confirmation panel."""
    chips = "".join(
        f'QLabel[statusChip="{tone}"] {{ color: {text}; background: {fill}; border: 1px solid {text};'
        f" border-radius: {RADIUS}px; padding: {SPACE_XS}px {SPACE_M}px; font-weight: bold; }}\n"
        for tone, (text, fill) in STATUS_CHIP_COLOURS.items()
    )
    # the second tap of a destructive action (kiosk/ui/widgets/confirm_panel.py): edged in the action's red
    return chips + (
        f"#confirmPanel {{ background: {SURFACE_RAISED}; border: 2px solid {BAD};"
        f" border-radius: {RADIUS_CARD}px; }}\n"
    )


def panel_rules(text_scale: float = 1.0) -> str:
    """The banner, the status bar, the setup's header and steps, notices, fields and tables."""
    return (
        f"#activityBanner {{ background: {BANNER}; }}\n"
        f"#activityBanner QLabel {{ color: {ON_BANNER}; }}\n"
        f"#activityBanner QLabel#bannerDetail {{ color: {ON_BANNER_MUTED}; }}\n"
        f"#statusBar {{ background: {SURFACE_SUNKEN}; border-top: 1px solid {DIVIDER}; }}\n"
        f"#setupHeader {{ background: {PRIMARY_SUBTLE}; border-bottom: 1px solid {DIVIDER}; }}\n"
        f'QLabel[step="done"] {{ color: {GOOD}; }}\n'
        f'QLabel[step="later"] {{ color: {TEXT_MUTED}; }}\n'
        f'QLabel[step="now"] {{ color: {ON_PRIMARY}; background: {PRIMARY}; font-weight: bold; }}\n'
        f'QLabel[step="done"], QLabel[step="later"], QLabel[step="now"] {{ padding: {SPACE_S}px;'
        " border-radius: 18px; }\n"
        f'*[notice="warn"] {{ color: {WARN}; background: {WARN_CONTAINER}; border: 1px solid {WARN_OUTLINE};'
        f" border-radius: {RADIUS}px; padding: 12px; }}\n"
        f"QLineEdit {{ font-size: {text_px('large', text_scale)}px; color: {TEXT};"
        f" background: {SURFACE_RAISED}; border: 1px solid {OUTLINE}; border-radius: {RADIUS}px;"
        f" padding: {SPACE_XS}px 12px; }}\n"
        f"QLineEdit:focus {{ border: 2px solid {PRIMARY}; }}\n"
        f"QTableWidget {{ font-size: {text_px('body', text_scale)}px; color: {TEXT};"
        f" background: {SURFACE_RAISED}; border: 1px solid {DIVIDER}; gridline-color: {DIVIDER};"
        f" selection-background-color: {PRIMARY_CONTAINER}; selection-color: {ON_PRIMARY_CONTAINER}; }}\n"
        "QTableWidget::indicator { width: 36px; height: 36px; }\n"
        f"QHeaderView::section {{ font-size: {text_px('small', text_scale)}px; font-weight: bold;"
        f" color: {TEXT}; background: {SURFACE_SUNKEN}; border: none; border-right: 1px solid {DIVIDER};"
        f" border-bottom: 1px solid {DIVIDER}; padding: {SPACE_XS}px; }}\n"
    )


def app_style_sheet(text_scale: float = 1.0) -> str:
    """The application's one style sheet at ``text_scale`` (1.0, 1.25 or 1.5)."""
    return (
        text_rules(text_scale)
        + button_rules(text_scale)
        + card_rules(text_scale)
        + panel_rules(text_scale)
        + status_rules()
    )


def app_palette(base: QPalette) -> QPalette:
    """``base`` with the theme's colours: what the style sheet does not name (page, fields, selection)."""
    palette = QPalette(base)
    roles = {
        QPalette.ColorRole.Window: SURFACE,
        QPalette.ColorRole.WindowText: TEXT,
        QPalette.ColorRole.Base: SURFACE_RAISED,
        QPalette.ColorRole.AlternateBase: SURFACE_SUNKEN,
        QPalette.ColorRole.Text: TEXT,
        QPalette.ColorRole.Button: SURFACE_RAISED,
        QPalette.ColorRole.ButtonText: TEXT,
        QPalette.ColorRole.Highlight: PRIMARY,
        QPalette.ColorRole.HighlightedText: ON_PRIMARY,
        QPalette.ColorRole.PlaceholderText: TEXT_MUTED,
        QPalette.ColorRole.ToolTipBase: TEXT,
        QPalette.ColorRole.ToolTipText: SURFACE_RAISED,
        QPalette.ColorRole.Link: PRIMARY,
    }
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(TEXT_MUTED))
    return palette


def apply_theme(app: QApplication, text_scale: float = 1.0) -> None:
    """Give the whole application the theme at ``text_scale``: call once, after the QApplication is made."""
    app.setPalette(app_palette(app.palette()))
    app.setStyleSheet(app_style_sheet(text_scale))
