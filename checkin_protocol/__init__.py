"""What the kiosk and the platform share: the check-in protocol's formats and the rules both sides apply.

Wire formats (sealed boxes, USB bundle files, face records, the event row
codec, provisioning codes, the registration proof), the signed token and
code formats (:mod:`checkin_protocol.codes`), the roster file and its row
rules, and the pure attendance rules both sides compute with (visits, hours,
policy). Nothing here imports ``kiosk`` or ``cloud``; both import this
package (checked by import-linter, see ``pyproject.toml``).
"""

__version__ = "0.1.0"
