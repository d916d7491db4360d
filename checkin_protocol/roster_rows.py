"""The rules for one roster row: what each field may hold and how it is normalised.

:func:`check_row` is the definition. It takes the eight raw text fields of a
row, in :data:`FIELDS` order, and returns the normalised volunteer (and the
organisation, when the row defines one) or the list of what is wrong, one
English sentence per problem naming the field. Messages name IDs but never
repeat a name or a phone number: they end up on screens and in logs.

:class:`RowCollector` takes the rows of one file: most on a fast path
(:func:`canonical_active`: every field already in canonical form), the rest
through :func:`check_row`; it also finds repeated IDs and settles references
to organisations. The tests check that the fast path never accepts a value
:func:`check_row` would change or refuse.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from checkin_protocol.models import OrgLevel

#: The roster columns, in the order of the CSV header the demo writes.
FIELDS = ("volunteer_id", "name", "phone", "org_id", "org_name", "org_level", "org_parent_id", "active")
REQUIRED_FIELDS = ("volunteer_id", "name")

MAX_ID_LENGTH = 20
MAX_NAME_LENGTH = 30
MAX_ORG_NAME_LENGTH = 60

#: An ID of a volunteer or an organisation, exactly.
ID_RE = re.compile(rf"[A-Za-z0-9_-]{{1,{MAX_ID_LENGTH}}}")

# Characters that never belong in a name: C0 and C1 controls, surrogates, the
# line and paragraph separators, and the invisible format characters (Unicode
# category Cf: zero-width and bidirectional controls can make a name display as
# something else). A test compares this list with ``unicodedata``.
_FORBIDDEN = (
    "\x00-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ud800-\udfff\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f"
)
FORBIDDEN_CHAR_RE = re.compile(f"[{_FORBIDDEN}]")

#: A mainland mobile number: 1, then 3-9, then nine digits.
MOBILE_RE = re.compile(r"1[3-9][0-9]{9}")
_NO_ORG = ("", "", "", "")
_OTHER_PHONE_RE = re.compile(r"[02-9][0-9]{6,14}")
_PHONE_SEPARATORS_RE = re.compile(r"[\s-]+")

#: ``active`` values accepted as written (the fast path); anything else goes through :data:`ACTIVE_VALUES`.
CANONICAL_ACTIVE = {"": 1, "1": 1, "0": 0, "true": 1, "false": 0, "yes": 1, "no": 0, "是": 1, "否": 0}
#: ``active`` values after stripping and lower-casing. Empty means active.
ACTIVE_VALUES = dict(CANONICAL_ACTIVE)

#: Organisation levels: the English names and the usual Chinese words.
#: 市 is the city; 县, 区, 旗 and 县级市 are county level; 乡, 镇, 街道 and 苏木
#: are township level; 村, 社区 and their committees (村委会, 居委会) are village level.
ORG_LEVELS: dict[str, OrgLevel] = {
    "city": OrgLevel.CITY,
    "county": OrgLevel.COUNTY,
    "township": OrgLevel.TOWNSHIP,
    "village": OrgLevel.VILLAGE,
    "市": OrgLevel.CITY,
    "市级": OrgLevel.CITY,
    "县": OrgLevel.COUNTY,
    "区": OrgLevel.COUNTY,
    "旗": OrgLevel.COUNTY,
    "县级": OrgLevel.COUNTY,
    "区级": OrgLevel.COUNTY,
    "县级市": OrgLevel.COUNTY,
    "乡": OrgLevel.TOWNSHIP,
    "镇": OrgLevel.TOWNSHIP,
    "乡镇": OrgLevel.TOWNSHIP,
    "街道": OrgLevel.TOWNSHIP,
    "苏木": OrgLevel.TOWNSHIP,
    "乡级": OrgLevel.TOWNSHIP,
    "镇级": OrgLevel.TOWNSHIP,
    "村": OrgLevel.VILLAGE,
    "社区": OrgLevel.VILLAGE,
    "村级": OrgLevel.VILLAGE,
    "村委会": OrgLevel.VILLAGE,
    "居委会": OrgLevel.VILLAGE,
}

#: (volunteer_id, name, phone, org_id, active) as stored in ``volunteers``.
VolunteerValues = tuple[str, str, str | None, str | None, int]
#: (org_id, name, level, parent_id) as stored in ``organisations``.
OrgValues = tuple[str, str, str, str | None]


class CheckedRow(NamedTuple):
    """A valid row, normalised: the volunteer, and the organisation if the row defines one."""

    volunteer: VolunteerValues
    organisation: OrgValues | None


def _check_id(field: str, raw: str, problems: list[str]) -> str | None:
    value = raw.strip()
    if not value:
        return None
    if len(value) > MAX_ID_LENGTH:
        problems.append(f"{field} is longer than {MAX_ID_LENGTH} characters")
    elif not ID_RE.fullmatch(value):
        problems.append(f"{field} may contain only letters A-Z, digits, '_' and '-'")
    else:
        return value
    return None


def _check_text(field: str, raw: str, limit: int, problems: list[str]) -> str | None:
    value = raw.strip()
    if not value:
        return None
    if len(value) > limit:
        problems.append(f"{field} is longer than {limit} characters")
        return None
    bad = FORBIDDEN_CHAR_RE.search(value)
    if bad is not None:
        problems.append(f"{field} contains an invisible or control character (U+{ord(bad.group()):04X})")
        return None
    return value


def check_phone(raw: str) -> tuple[str | None, str | None]:
    """(normalised phone or None, problem or None) for a raw phone field.

    Spaces, dashes and a leading +86 are removed; full-width digits count as
    digits. What is left must be digits: an 11-digit mainland mobile (1, then
    3-9, then nine digits), or another number of 7 to 15 digits that does not
    start with 1 (a landline with its area code, a number abroad as 00...). A
    number starting with 1 must be a mobile, so a mobile with a digit too many
    or too few is caught.
    """
    value = unicodedata.normalize("NFKC", raw)
    value = _PHONE_SEPARATORS_RE.sub("", value)
    if not value:
        return None, None
    if value.startswith("+86"):
        value = value[3:]
    if not value.isascii() or not value.isdigit():
        return None, "phone may contain only digits, spaces, dashes and a leading +86"
    if value.startswith("1"):
        if MOBILE_RE.fullmatch(value):
            return value, None
        if len(value) == 11:
            return None, "phone starts like a mobile number but mainland mobiles start with 13 to 19"
        return None, f"phone has {len(value)} digits and starts with 1; a mainland mobile number has 11"
    if _OTHER_PHONE_RE.fullmatch(value):
        return value, None
    return None, f"phone has {len(value)} digits; expected 7 to 15"


def check_org_level(raw: str) -> OrgLevel | None:
    """The level a raw ``org_level`` names (English, any case, or Chinese), or None."""
    return ORG_LEVELS.get(raw.strip().lower())


def check_row(raw: Sequence[str]) -> CheckedRow | list[str]:
    """Normalise one row given as eight raw fields in :data:`FIELDS` order, or say what is wrong."""
    vid_raw, name_raw, phone_raw, org_raw, org_name_raw, level_raw, parent_raw, active_raw = raw
    problems: list[str] = []

    volunteer_id = _check_id("volunteer_id", vid_raw, problems)
    if volunteer_id is None and not vid_raw.strip():
        problems.append("volunteer_id is missing")
    name = _check_text("name", name_raw, MAX_NAME_LENGTH, problems)
    if name is None and not name_raw.strip():
        problems.append("name is missing")
    phone, phone_problem = check_phone(phone_raw)
    if phone_problem:
        problems.append(phone_problem)
    active = ACTIVE_VALUES.get(active_raw.strip().lower())
    if active is None:
        problems.append("active must be one of 1, 0, true, false, yes, no, 是, 否 (empty means active)")

    org_id = _check_id("org_id", org_raw, problems)
    org_name = _check_text("org_name", org_name_raw, MAX_ORG_NAME_LENGTH, problems)
    parent_id = _check_id("org_parent_id", parent_raw, problems)
    level: OrgLevel | None = None
    if level_raw.strip():
        level = check_org_level(level_raw)
        if level is None:
            problems.append(
                "org_level must be city, county, township or village (or 市, 县, 区, 乡, 镇, 街道, 村, 社区)"
            )
    defines_org = bool(org_name_raw.strip() or level_raw.strip() or parent_raw.strip())
    if defines_org:
        if not org_raw.strip():
            problems.append("org_name, org_level or org_parent_id is given but org_id is missing")
        if not org_name_raw.strip():
            problems.append("org_name is missing (org_level and org_parent_id need it)")
        if not level_raw.strip():
            problems.append("org_level is missing (an organisation needs one)")
        if org_id is not None and parent_id == org_id:
            problems.append("org_parent_id names the organisation itself")

    if problems:
        return problems
    assert volunteer_id is not None and name is not None and active is not None
    organisation: OrgValues | None = None
    if defines_org:
        assert org_id is not None and org_name is not None and level is not None
        organisation = (org_id, org_name, level.value, parent_id)
    return CheckedRow((volunteer_id, name, phone, org_id, active), organisation)


@dataclass(frozen=True, slots=True)
class BadRow:
    """A row that was not imported: its line in the file, its volunteer ID if valid, and why."""

    line: int
    volunteer_id: str | None
    message: str


def canonical_active(vid: str, name: str, phone: str, active_raw: str) -> int | None:
    """The fast path: ``active`` when these fields are already in canonical form, else None.

    It accepts only values that :func:`check_row` accepts unchanged: a plain
    alphanumeric or well-formed ID, a printable name with no surrounding space
    (``isprintable`` is False for every control, format, separator and
    surrogate character), a mobile number written as bare digits, and a known
    ``active`` spelling. Anything else takes the full check.
    """
    active = CANONICAL_ACTIVE.get(active_raw)
    if (
        active is not None
        and ((len(vid) <= MAX_ID_LENGTH and vid.isascii() and vid.isalnum()) or ID_RE.fullmatch(vid))
        and name.isprintable()
        and 0 < len(name) <= MAX_NAME_LENGTH
        and name.strip() == name
        and (not phone or MOBILE_RE.fullmatch(phone))
    ):
        return active
    return None


class RowCollector:
    """Gathers the checked rows, bad rows and organisations of one file, row by row.

    Each row is taken with its line in the file. A volunteer ID seen again is a
    bad row (the later one); an organisation described twice must be described
    the same way; an ``org_id`` alone must name an organisation known before
    (``known_org_ids``) or defined anywhere in the file, which :meth:`finish`
    settles at the end.
    """

    def __init__(self, known_org_ids: set[str]) -> None:
        self.volunteers: list[VolunteerValues] = []
        self.bad_rows: list[BadRow] = []
        self.seen: dict[str, int] = {}  # volunteer_id -> line of its first valid row
        self.orgs: dict[str, tuple[OrgValues, int]] = {}  # org_id -> (definition, line)
        self.known_org_ids = set(known_org_ids)
        # Raw (org_id, org_name, org_level, org_parent_id) that need no further
        # check: no organisation, a known org_id alone, or a definition already
        # accepted in exactly this spelling.
        self.org_ok: set[tuple[str, str, str, str]] = {_NO_ORG} | {(o, "", "", "") for o in known_org_ids}
        self.pending: list[tuple[int, VolunteerValues]] = []  # rows naming an org not yet seen

    def bad(self, line: int, volunteer_id: str | None, message: str) -> None:
        """Record a bad row."""
        self.bad_rows.append(BadRow(line, volunteer_id, message))

    def add(self, line: int, raw: tuple[str, ...]) -> None:
        """Take one row of eight raw fields (in ``FIELDS`` order): the fast path, else :meth:`check`."""
        vid, name, phone, org, org_name, level, parent, active_raw = raw
        active = canonical_active(vid, name, phone, active_raw)
        if active is not None and vid not in self.seen and (org, org_name, level, parent) in self.org_ok:
            self.seen[vid] = line
            self.volunteers.append((vid, name, phone or None, org or None, active))
        else:
            self.check(line, raw)

    def check(self, line: int, raw: tuple[str, ...]) -> None:
        """Take one row of eight raw fields (in ``FIELDS`` order) through the full check."""
        if not any(raw):
            return  # a blank line, or one with only unknown columns filled
        checked = check_row(raw)
        if isinstance(checked, list):
            vid = raw[0].strip()
            self.bad(line, vid if ID_RE.fullmatch(vid) else None, "; ".join(checked))
            return
        volunteer, organisation = checked
        vid, org_id = volunteer[0], volunteer[3]
        first = self.seen.get(vid)
        if first is not None:
            self.bad(line, vid, f"volunteer_id {vid} appears again (first on line {first})")
            return
        if organisation is not None:
            earlier = self.orgs.get(organisation[0])
            if earlier is None:
                self.orgs[organisation[0]] = (organisation, line)
                self.known_org_ids.add(organisation[0])
                self.org_ok.add((organisation[0], "", "", ""))
            elif earlier[0] != organisation:
                self.bad(
                    line,
                    vid,
                    f"organisation {organisation[0]} is described differently on line {earlier[1]} "
                    "(org_name, org_level or org_parent_id differ)",
                )
                return
            if raw[3] == organisation[0]:
                self.org_ok.add((raw[3], raw[4], raw[5], raw[6]))
        elif org_id is not None and org_id not in self.known_org_ids:
            self.seen[vid] = line
            self.pending.append((line, volunteer))
            return
        self.seen[vid] = line
        self.volunteers.append(volunteer)

    def finish(self) -> list[str]:
        """Settle rows that named organisations defined further down; return warnings."""
        for line, volunteer in self.pending:
            if volunteer[3] in self.known_org_ids:
                self.volunteers.append(volunteer)
            else:
                self.bad(
                    line,
                    volunteer[0],
                    f"org_id {volunteer[3]} is not a known organisation: define it in this file "
                    "(org_name and org_level) or import it first",
                )
        self.pending.clear()
        self.bad_rows.sort(key=lambda bad: bad.line)
        unknown_parents = sorted(
            {org[3] for org, _ in self.orgs.values() if org[3] and org[3] not in self.known_org_ids}
        )
        if unknown_parents:
            return [f"parent organisations not known to the kiosk: {', '.join(unknown_parents)}"]
        return []
