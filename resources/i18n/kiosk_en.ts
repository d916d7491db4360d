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
        <location filename="../../kiosk/ui/main_window.py" line="281"/>
        <source>Wrong PIN. %n tries left.</source>
        <translation>
            <numerusform>Wrong PIN. %n try left.</numerusform>
            <numerusform>Wrong PIN. %n tries left.</numerusform>
        </translation>
    </message>
</context>
</TS>
