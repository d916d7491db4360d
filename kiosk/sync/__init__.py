"""Sync with the cloud (docs/sync-protocol.md): register, push the outbox, pull the changes.

No Qt here: the GUI runs :class:`kiosk.sync.client.SyncClient` on a worker
thread and passes an executor that runs database work on its writer thread.
The package re-exports nothing: import from the module that defines a name.
"""
