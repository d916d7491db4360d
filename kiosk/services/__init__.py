"""Application services: the use cases that tie rules, identity and store together.

No PySide6 here; the UI calls these from its worker threads.
"""
