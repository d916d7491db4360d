"""The demo city's organisations and a generated roster of volunteers.

江城市 is fictional: one city federation, three districts and counties, two
streets or townships in each, two communities or villages in each of those,
linked by ``parent_id``. Volunteers are generated from a seed: the same seed
and count give the same roster, row for row.

The roster files are what :func:`kiosk.store.roster_import.import_roster`
reads: UTF-8 without a BOM (Excel opens it when imported as UTF-8; the
benchmark's raw baseline reads it with ``csv.reader`` as plain UTF-8), with
the organisation columns filled on every row.

Like every CSV the project writes, the cells go through
:func:`checkin_protocol.spreadsheet_cells.safe_row`. ``import-roster`` takes a
name as written, so a quote added here would become part of the name on
import: the demo's names, organisations and levels never start with a
character that needs one (a test checks the whole alphabet), so nothing is
ever added to them.
"""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Iterator
from pathlib import Path

from checkin_protocol.models import Organisation, OrgLevel
from checkin_protocol.spreadsheet_cells import safe_row
from kiosk.demo.names import random_name

DEFAULT_SEED = 20261129
_BATCH = 4096  # organisations are drawn for this many volunteers at a time
CSV_HEADER = ("volunteer_id", "name", "phone", "org_id", "org_name", "org_level", "org_parent_id", "active")

_CITY = "江城市志愿服务联合会"
# district or county -> its streets or townships -> their communities or villages
_TREE: tuple[tuple[str, tuple[tuple[str, tuple[str, str]], ...]], ...] = (
    (
        "临江区志愿者协会",
        (
            ("滨江街道志愿服务站", ("滨江花园社区志愿服务队", "江景社区志愿服务队")),
            ("望江街道志愿服务站", ("望江楼社区志愿服务队", "柳岸社区志愿服务队")),
        ),
    ),
    (
        "南湖区志愿者协会",
        (
            ("桂园街道志愿服务站", ("桂园社区志愿服务队", "丹桂社区志愿服务队")),
            ("湖心街道志愿服务站", ("湖心岛社区志愿服务队", "荷塘社区志愿服务队")),
        ),
    ),
    (
        "云溪县志愿者协会",
        (
            ("云溪镇志愿服务站", ("溪口村志愿服务队", "云峰村志愿服务队")),
            ("石桥乡志愿服务站", ("石桥村志愿服务队", "杏花村志愿服务队")),
        ),
    ),
)

# How volunteers spread over the levels: most serve in their community or village.
_LEVEL_WEIGHTS = {OrgLevel.CITY: 5, OrgLevel.COUNTY: 10, OrgLevel.TOWNSHIP: 25, OrgLevel.VILLAGE: 60}
# Real mainland mobile prefixes (all 1 then 3-9).
_MOBILE_PREFIXES = tuple(
    str(prefix)
    for prefix in (
        *range(130, 140), 145, 147, 150, 151, 152, 153, 155, 156, 157, 158, 159, 166, 170, 173,
        *range(175, 179), *range(180, 190), 191, 198, 199,
    )
)  # fmt: skip


def demo_organisations() -> list[Organisation]:
    """The 22 organisations of 江城市, parents before children: ORG-C01, ORG-D01..03, ORG-T01..06, ORG-V01..12."""
    city = Organisation("ORG-C01", _CITY, OrgLevel.CITY)
    orgs = [city]
    townships = villages = 0
    for d, (district_name, streets) in enumerate(_TREE, start=1):
        district = Organisation(f"ORG-D{d:02d}", district_name, OrgLevel.COUNTY, city.org_id)
        orgs.append(district)
        for street_name, communities in streets:
            townships += 1
            street = Organisation(f"ORG-T{townships:02d}", street_name, OrgLevel.TOWNSHIP, district.org_id)
            orgs.append(street)
            for community_name in communities:
                villages += 1
                orgs.append(
                    Organisation(f"ORG-V{villages:02d}", community_name, OrgLevel.VILLAGE, street.org_id)
                )
    return orgs


def generate_volunteers(n: int, seed: int = DEFAULT_SEED) -> Iterator[tuple[str, str, str, str]]:
    """``n`` volunteers as (volunteer_id, name, phone, org_id), the same for the same seed.

    A shorter roster is the start of a longer one with the same seed. IDs are
    ``V`` and nine digits, phones are mainland mobiles; both are unique within
    a roster (each is a bijection of the row number, so no set of earlier
    values is kept).
    """
    if n < 0:
        raise ValueError("n must not be negative")
    rng = random.Random(seed)
    orgs = demo_organisations()
    org_ids = [o.org_id for o in orgs]
    org_weights = [_LEVEL_WEIGHTS[o.level] for o in orgs]
    # Multipliers coprime with 10 make i -> (start + i * step) mod 10^k a bijection.
    id_start, id_step = rng.randrange(10**9), rng.randrange(10**8, 10**9) | 1
    phone_start, phone_step = rng.randrange(10**8), rng.randrange(10**7, 10**8) | 1
    if id_step % 5 == 0:
        id_step += 2
    if phone_step % 5 == 0:
        phone_step += 2
    for start in range(0, n, _BATCH):
        # Always a full batch, so that a shorter roster is the start of a longer one.
        batch_orgs = rng.choices(org_ids, org_weights, k=_BATCH)
        for offset in range(min(_BATCH, n - start)):
            i = start + offset
            volunteer_id = f"V{(id_start + i * id_step) % 10**9:09d}"
            phone = f"{rng.choice(_MOBILE_PREFIXES)}{(phone_start + i * phone_step) % 10**8:08d}"
            yield volunteer_id, random_name(rng), phone, batch_orgs[offset]


def _rows(n: int, seed: int) -> Iterator[tuple[str, ...]]:
    by_id = {o.org_id: (o.name, o.level.value, o.parent_id or "") for o in demo_organisations()}
    for volunteer_id, name, phone, org_id in generate_volunteers(n, seed):
        org_name, level, parent = by_id[org_id]
        yield volunteer_id, name, phone, org_id, org_name, level, parent, "1"


def write_roster_csv(path: Path, n: int, seed: int = DEFAULT_SEED) -> None:
    """Write a roster of ``n`` generated volunteers as CSV with the header :data:`CSV_HEADER`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(safe_row(CSV_HEADER))
        writer.writerows(safe_row(row) for row in _rows(n, seed))


def write_roster_jsonl(path: Path, n: int, seed: int = DEFAULT_SEED) -> None:
    """Write a roster of ``n`` generated volunteers as JSON Lines, one object per volunteer.

    The same volunteers as :func:`write_roster_csv` with the same seed, with
    ``active`` as a JSON boolean.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    # The organisation part of each line is the same for all its volunteers: encode it once.
    org_json = {
        o.org_id: encode(
            {"org_id": o.org_id, "org_name": o.name, "org_level": o.level.value, "org_parent_id": o.parent_id}
        )[1:-1]
        for o in demo_organisations()
    }
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.writelines(
            f'{{"volunteer_id":"{volunteer_id}","name":{encode(name)},"phone":"{phone}",'
            f'{org_json[org_id]},"active":true}}\n'
            for volunteer_id, name, phone, org_id in generate_volunteers(n, seed)
        )
