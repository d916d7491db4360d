<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>ActivityBanner</name>
    <message numerus="yes">
        <location filename="../../kiosk/ui/widgets/activity_banner.py" line="49"/>
        <source>%n activities are open</source>
        <translation>
            <numerusform>%n activity is open</numerusform>
            <numerusform>%n activities are open</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>KioskStatusBar</name>
    <message numerus="yes">
        <location filename="../../kiosk/ui/widgets/status_bar.py" line="59"/>
        <source>%n record(s) waiting to sync</source>
        <translation>
            <numerusform>%n record waiting to sync</numerusform>
            <numerusform>%n records waiting to sync</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message numerus="yes">
        <location filename="../../kiosk/ui/main_window.py" line="308"/>
        <source>Wrong PIN. %n tries left.</source>
        <translation>
            <numerusform>Wrong PIN. %n try left.</numerusform>
            <numerusform>Wrong PIN. %n tries left.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>UsbPanel</name>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="143"/>
        <source>%n records waiting to sync.</source>
        <translation>
            <numerusform>%n record waiting to sync.</numerusform>
            <numerusform>%n records waiting to sync.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="145"/>
        <source>%n records written to the stick.</source>
        <translation>
            <numerusform>%n record written to the stick.</numerusform>
            <numerusform>%n records written to the stick.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="151"/>
        <source>%n records confirmed by the platform.</source>
        <translation>
            <numerusform>%n record confirmed by the platform.</numerusform>
            <numerusform>%n records confirmed by the platform.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="152"/>
        <source>%n changes to the roster and activities.</source>
        <translation>
            <numerusform>%n change to the roster and activities.</numerusform>
            <numerusform>%n changes to the roster and activities.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="157"/>
        <source>%n files refused (damaged, changed, or not for this kiosk): %1</source>
        <translation>
            <numerusform>%n file refused (damaged, changed, or not for this kiosk): %1</numerusform>
            <numerusform>%n files refused (damaged, changed, or not for this kiosk): %1</numerusform>
        </translation>
    </message>
</context>
</TS>
