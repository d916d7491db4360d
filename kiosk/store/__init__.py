"""The local SQLite store: schema migrations, the writer, and the queries of each table.

Nothing here imports PySide6; the UI reaches the store through the services.
"""
