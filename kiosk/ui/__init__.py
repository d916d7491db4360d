"""The PySide6 user interface: the kiosk screen, its widgets and the GUI threads.

Only this package (and the composition root) imports PySide6.
"""
