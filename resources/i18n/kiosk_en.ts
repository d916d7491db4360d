<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>ActivityBanner</name>
    <message numerus="yes">
        <location filename="../../kiosk/ui/widgets/activity_banner.py" line="44"/>
        <source>%n activities are open</source>
        <translation>
            <numerusform>%n activity is open</numerusform>
            <numerusform>%n activities are open</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CheckInPage</name>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/desk_check_in.py" line="216"/>
        <source>Check in (%n)</source>
        <translation>
            <numerusform>Check in (%n)</numerusform>
            <numerusform>Check in (%n)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/desk_check_in.py" line="217"/>
        <source>Check out (%n)</source>
        <translation>
            <numerusform>Check out (%n)</numerusform>
            <numerusform>Check out (%n)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CoordinatorMenu</name>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="177"/>
        <source>Check-in at this activity closes, and everyone still on site (%n) is checked out.</source>
        <translation>
            <numerusform>Check-in at this activity closes, and everyone still on site (%n) is checked out.</numerusform>
            <numerusform>Check-in at this activity closes, and everyone still on site (%n) is checked out.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FaceDeskController</name>
    <message numerus="yes">
        <location filename="../../kiosk/ui/desk_face_controller.py" line="505"/>
        <source>Deleted %n templates; other kiosks delete them at the next sync.</source>
        <translation>
            <numerusform>Deleted %n template; other kiosks delete it at the next sync.</numerusform>
            <numerusform>Deleted %n templates; other kiosks delete them at the next sync.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FacePage</name>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/desk_face.py" line="357"/>
        <source>Enrolled %1 with %n templates.</source>
        <translation>
            <numerusform>Enrolled %1 with %n template.</numerusform>
            <numerusform>Enrolled %1 with %n templates.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>KioskStatusBar</name>
    <message numerus="yes">
        <location filename="../../kiosk/ui/widgets/status_bar.py" line="89"/>
        <source>%n record(s) waiting to sync</source>
        <extracomment>How many problems the self-test line names before it says &quot;and N more&quot;.</extracomment>
        <translation>
            <numerusform>%n record waiting to sync</numerusform>
            <numerusform>%n records waiting to sync</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/widgets/status_bar.py" line="121"/>
        <source> and %n more</source>
        <translation>
            <numerusform> and %n more</numerusform>
            <numerusform> and %n more</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message numerus="yes">
        <location filename="../../kiosk/ui/main_window.py" line="302"/>
        <source>Wrong PIN. %n tries left.</source>
        <translation>
            <numerusform>Wrong PIN. %n try left.</numerusform>
            <numerusform>Wrong PIN. %n tries left.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>OnSitePage</name>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/desk_on_site.py" line="253"/>
        <source>%n on site</source>
        <translation>
            <numerusform>%n on site</numerusform>
            <numerusform>%n on site</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/desk_on_site.py" line="258"/>
        <source>%n not accounted for yet</source>
        <translation>
            <numerusform>%n not accounted for yet</numerusform>
            <numerusform>%n not accounted for yet</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/desk_on_site.py" line="261"/>
        <source>Everyone is accounted for (%n)</source>
        <translation>
            <numerusform>Everyone is accounted for (%n)</numerusform>
            <numerusform>Everyone is accounted for (%n)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ReportsPage</name>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/desk_reports_page.py" line="261"/>
        <source>%1 to %2 (%n days)</source>
        <translation>
            <numerusform>%1 to %2 (%n day)</numerusform>
            <numerusform>%1 to %2 (%n days)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SelfTestPage</name>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/self_test_page.py" line="131"/>
        <source>Checked at %1 in %2 s: %n check(s) need a look.</source>
        <translation>
            <numerusform>Checked at %1 in %2 s: %n check needs a look.</numerusform>
            <numerusform>Checked at %1 in %2 s: %n checks need a look.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TimeStepper</name>
    <message numerus="yes">
        <location filename="../../kiosk/ui/widgets/steppers.py" line="181"/>
        <source>%n h ago</source>
        <translation>
            <numerusform>%n h ago</numerusform>
            <numerusform>%n h ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/widgets/steppers.py" line="183"/>
        <source>%n min ago</source>
        <translation>
            <numerusform>%n min ago</numerusform>
            <numerusform>%n min ago</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>UsbPanel</name>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="189"/>
        <source>%n records waiting to sync.</source>
        <translation>
            <numerusform>%n record waiting to sync.</numerusform>
            <numerusform>%n records waiting to sync.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="193"/>
        <source>%n records exported to the USB stick</source>
        <translation>
            <numerusform>%n record exported to the USB stick</numerusform>
            <numerusform>%n records exported to the USB stick</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="205"/>
        <source>%n records confirmed by the platform.</source>
        <translation>
            <numerusform>%n record confirmed by the platform.</numerusform>
            <numerusform>%n records confirmed by the platform.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="206"/>
        <source>%n changes to the roster and activities.</source>
        <translation>
            <numerusform>%n change to the roster and activities.</numerusform>
            <numerusform>%n changes to the roster and activities.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="210"/>
        <source>%n files refused (damaged, changed, or not for this kiosk): %1</source>
        <translation>
            <numerusform>%n file refused (damaged, changed, or not for this kiosk): %1</numerusform>
            <numerusform>%n files refused (damaged, changed, or not for this kiosk): %1</numerusform>
        </translation>
    </message>
</context>
</TS>
