"""Pure attendance rules: no I/O, no Qt, nothing of the project but its own models.

Every function here takes values and returns values; clocks are passed in as
:class:`~checkin_protocol.models.ClockReading` so that tests can play any time.
"""
