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
        <location filename="../../kiosk/ui/screens/desk_check_in.py" line="221"/>
        <source>Check in (%n)</source>
        <translation>
            <numerusform>Check in (%n)</numerusform>
            <numerusform>Check in (%n)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/desk_check_in.py" line="222"/>
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
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="152"/>
        <source>Tap again to close
(%n still on site checked out)</source>
        <translation>
            <numerusform>Tap again to close
(%n still on site checked out)</numerusform>
            <numerusform>Tap again to close
(%n still on site checked out)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FaceDeskController</name>
    <message numerus="yes">
        <location filename="../../kiosk/ui/desk_face_controller.py" line="367"/>
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
        <location filename="../../kiosk/ui/screens/desk_face.py" line="318"/>
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
        <location filename="../../kiosk/ui/main_window.py" line="292"/>
        <source>Too many wrong PINs. Try again in %n minute(s), at %1.</source>
        <translation>
            <numerusform>Too many wrong PINs. Try again in %n minute, at %1.</numerusform>
            <numerusform>Too many wrong PINs. Try again in %n minutes, at %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/main_window.py" line="295"/>
        <source>Too many wrong PINs. Try again in %n hour(s), at %1.</source>
        <translation>
            <numerusform>Too many wrong PINs. Try again in %n hour, at %1.</numerusform>
            <numerusform>Too many wrong PINs. Try again in %n hours, at %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/main_window.py" line="280"/>
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
        <location filename="../../kiosk/ui/screens/desk_on_site.py" line="177"/>
        <source>%n on site</source>
        <translation>
            <numerusform>%n on site</numerusform>
            <numerusform>%n on site</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SelfTestPage</name>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/self_test_page.py" line="100"/>
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
        <location filename="../../kiosk/ui/widgets/steppers.py" line="164"/>
        <source>%n h ago</source>
        <translation>
            <numerusform>%n h ago</numerusform>
            <numerusform>%n h ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/widgets/steppers.py" line="166"/>
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
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="142"/>
        <source>%n records waiting to sync.</source>
        <translation>
            <numerusform>%n record waiting to sync.</numerusform>
            <numerusform>%n records waiting to sync.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="144"/>
        <source>%n records written to the stick.</source>
        <translation>
            <numerusform>%n record written to the stick.</numerusform>
            <numerusform>%n records written to the stick.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="150"/>
        <source>%n records confirmed by the platform.</source>
        <translation>
            <numerusform>%n record confirmed by the platform.</numerusform>
            <numerusform>%n records confirmed by the platform.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="151"/>
        <source>%n changes to the roster and activities.</source>
        <translation>
            <numerusform>%n change to the roster and activities.</numerusform>
            <numerusform>%n changes to the roster and activities.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="156"/>
        <source>%n files refused (damaged, changed, or not for this kiosk): %1</source>
        <translation>
            <numerusform>%n file refused (damaged, changed, or not for this kiosk): %1</numerusform>
            <numerusform>%n files refused (damaged, changed, or not for this kiosk): %1</numerusform>
        </translation>
    </message>
</context>
</TS>
