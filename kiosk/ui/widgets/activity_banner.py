"""The open activity's banner: title, organisation, time, who is on site, capacity."""

from __future__ import annotations

from datetime import tzinfo

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from checkin_protocol.models import Activity
from kiosk.ui import theme
from kiosk.ui.widgets.retranslating import RetranslatingFrame


class ActivityBanner(RetranslatingFrame):
    """Shows one open activity, several, or none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("activityBanner")  # the theme's banner colours (not the error red)
        self.title = theme.text_role(QLabel(), "title")
        self.title.setObjectName("bannerTitle")
        self.detail = theme.text_role(QLabel(), "body")
        self.detail.setObjectName("bannerDetail")
        self.detail.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.SPACE_L, 12, theme.SPACE_L, 12)
        layout.addWidget(self.title)
        layout.addWidget(self.detail)
        self._activities: list[tuple[Activity, int]] = []
        self._tz: tzinfo | None = None
        self.retranslate()

    def set_activities(self, activities: list[tuple[Activity, int]], tz: tzinfo) -> None:
        """The open activities with how many volunteers are on site at each."""
        self._activities, self._tz = activities, tz
        self.retranslate()

    def retranslate(self) -> None:
        if not self._activities:
            self.title.setText(self.tr("No activity is open"))
            self.detail.setText(self.tr("The coordinator opens one by scanning its activity code."))
            return
        if len(self._activities) > 1:
            self.title.setText(self.tr("%n activities are open", "", len(self._activities)))
            self.detail.setText(" · ".join(a.title for a, _ in self._activities))
            return
        activity, on_site = self._activities[0]
        start = activity.starts_at.astimezone(self._tz).strftime("%H:%M")
        end = activity.ends_at.astimezone(self._tz).strftime("%H:%M")
        if activity.capacity is not None:
            here = (
                self.tr("%1 of %2 on site").replace("%1", str(on_site)).replace("%2", str(activity.capacity))
            )
        else:
            here = self.tr("%1 on site").replace("%1", str(on_site))
        self.title.setText(activity.title)
        self.detail.setText(f"{activity.org_name} · {start}–{end} · {activity.venue} · {here}")
