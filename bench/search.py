"""Benchmark the coordinator desk's volunteer search: latency of a search as it is typed.

    python bench/search.py --volunteers 500000 [--sample 300] [--seed 1] [--limit 20] [--reindex 20000] [--json]

Writes a generated roster (``kiosk.demo.roster.write_roster_csv``: realistic
Chinese names, mainland mobiles, the demo organisations), imports it with the
kiosk's importer into a fresh store in a temporary folder (``import_s``, with
the triggers that list every new volunteer for indexing), and indexes it with
``refresh_index`` to completion as ``kiosk find`` does, in write transactions of
``BULK_CHUNK_SIZE`` (``index_s``, ``index_per_s``, the longest transaction
``index_chunk_max_ms``). Then ``--reindex`` volunteers are dropped from the
index and re-indexed in the GUI's idle-time chunks of ``CHUNK_SIZE`` into the
full index (``gui_chunk_p95_ms``, ``gui_chunk_max_ms``: how long the GUI's
writer thread is busy per chunk).

Then, for a random sample of volunteers (fixed seed), every prefix of

* ``name``: the name, 1 character to all (雷, 雷彩, 雷彩霞);
* ``given``: the given name alone, 1 character to all (彩, 彩霞);
* ``initials``: the pinyin initials, 1 to 3 letters (l, lc, lcx);
* ``phone``: the last 4 to 6 digits of the phone number;
* ``id``: the volunteer ID, 1 character to all;

is searched with ``search_volunteers`` on a reader connection
(``Store.reader()``, as the GUI does), each call timed. Apart from these
figures, ``no_match_p50_ms``/``no_match_p95_ms`` time each sampled name typed
backwards (雷彩霞 as 霞彩雷): Chinese text no name starts with, that is no
given name, makes the search scan every name for it. ``found_rate_by_kind``
says how often the volunteer is among the results of the full query (the whole
name, the whole given name, the 3 initials, 6 phone digits, the whole ID).
``found_rate`` is that for whole names and IDs, where a name counts as found
also when at least ``limit`` volunteers have exactly that name (the list is all
namesakes; the coordinator types the phone digits next; counted in
``name_hidden_by_namesakes``). Exit status 1 when ``found_rate`` < 1.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from kiosk.demo.roster import write_roster_csv
from kiosk.services.volunteer_search import (
    BULK_CHUNK_SIZE,
    CHUNK_SIZE,
    index_backlog,
    refresh_index,
    search_keys,
    search_volunteers,
    split_surname,
)
from kiosk.store.database import Store, open_store
from kiosk.store.roster_import import import_roster

KINDS = ("name", "given", "initials", "phone", "id")
# Not in the overall figures: a Chinese query that matches no name (the name
# backwards) falls back to scanning every name for it.
MISS_KIND = "no_match"
WARM_UP_SEARCHES = 50


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (nearest rank), as in ``bench/store.py``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def typed_queries(volunteer_id: str, name: str, phone: str) -> dict[str, list[str]]:
    """What a coordinator types, one keystroke at a time, for each kind of search."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    initials = search_keys(name, phone).initials
    given = split_surname(name)[1]
    return {
        "name": [name[:k] for k in range(1, len(name) + 1)],
        "given": [given[:k] for k in range(1, len(given) + 1)],
        "initials": [initials[:k] for k in range(1, min(3, len(initials)) + 1)],
        "phone": [digits[-k:] for k in range(4, 7)] if len(digits) >= 6 else [],
        "id": [volunteer_id[:k] for k in range(1, len(volunteer_id) + 1)],
        MISS_KIND: [name[::-1]],
    }


def import_and_index(folder: Path, volunteers: int) -> tuple[Store, dict[str, float]]:
    """A fresh store with the generated roster imported and indexed as ``kiosk find`` does; the timings."""
    roster = folder / "roster.csv"
    write_roster_csv(roster, volunteers)
    store = open_store(folder / "kiosk.db")
    started = time.perf_counter()
    report = import_roster(store.writer, roster)
    import_s = time.perf_counter() - started
    assert report.imported and not report.bad_rows, report.bad_rows[:3]
    backlog = index_backlog(store.writer)
    started = time.perf_counter()
    chunks = timed_chunks(store, BULK_CHUNK_SIZE)
    index_s = time.perf_counter() - started
    store.maintain()
    assert index_backlog(store.writer) == 0
    return store, {
        "import_s": import_s,
        "indexed": backlog,
        "index_s": index_s,
        "index_chunk_max_ms": max(chunks, default=0.0),
    }


def timed_chunks(store: Store, chunk_size: int) -> list[float]:
    """Work the backlog off one write transaction at a time; the milliseconds of each."""
    chunks: list[float] = []
    while True:
        started = time.perf_counter()
        if not refresh_index(store, limit=chunk_size, chunk_size=chunk_size):
            return chunks
        chunks.append((time.perf_counter() - started) * 1000)


def measure_gui_chunks(store: Store, count: int, seed: int) -> list[float]:
    """Re-index ``count`` volunteers in the GUI's idle-time chunks, into the full index."""
    everyone = [row[0] for row in store.writer.execute("SELECT volunteer_id FROM volunteers")]
    chosen = [(vid,) for vid in random.Random(seed).sample(everyone, min(count, len(everyone)))]
    with store.write() as db:
        db.conn.executemany("DELETE FROM volunteer_search WHERE volunteer_id = ?", chosen)
        db.conn.executemany("INSERT INTO volunteer_search_dirty (volunteer_id) VALUES (?)", chosen)
    chunks = timed_chunks(store, CHUNK_SIZE)
    store.maintain()
    return chunks


def is_found(kind: str, target: str, name: str, results: list[tuple[str, str]], limit: int) -> bool:
    """The target is among the results; for a name, or hidden by at least ``limit`` namesakes."""
    if any(volunteer_id == target for volunteer_id, _ in results):
        return True
    return kind == "name" and len(results) == limit and all(found == name for _, found in results)


def measure_searches(
    store: Store, sample: list[tuple[str, str, str]], limit: int
) -> tuple[dict[str, list[float]], dict[str, list[bool]], int]:
    """Latency of every typed query per kind; whether each full query found its volunteer."""
    reader = store.reader()
    for volunteer_id, name, _ in sample[:WARM_UP_SEARCHES]:
        search_volunteers(reader, name, limit)
        search_volunteers(reader, volunteer_id, limit)
    latencies: dict[str, list[float]] = defaultdict(list)
    found: dict[str, list[bool]] = defaultdict(list)
    namesakes = 0
    for volunteer_id, name, phone in sample:
        for kind, queries in typed_queries(volunteer_id, name, phone).items():
            for n, query in enumerate(queries, start=1):
                started = time.perf_counter()
                matches = search_volunteers(reader, query, limit)
                latencies[kind].append((time.perf_counter() - started) * 1000)
                if n == len(queries) and kind != MISS_KIND:
                    results = [(m.volunteer_id, m.name) for m in matches]
                    found[kind].append(is_found(kind, volunteer_id, name, results, limit))
                    if kind == "name" and volunteer_id not in (r[0] for r in results):
                        namesakes += 1
    reader.close()
    return latencies, found, namesakes


def draw_sample(store: Store, size: int, seed: int) -> list[tuple[str, str, str]]:
    """``size`` volunteers (ID, name, phone) drawn with a fixed seed."""
    rows = store.writer.execute("SELECT volunteer_id, name, phone FROM volunteers ORDER BY volunteer_id")
    everyone = [(str(vid), str(name), str(phone or "")) for vid, name, phone in rows]
    return random.Random(seed).sample(everyone, min(size, len(everyone)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--volunteers", type=int, default=500_000)
    parser.add_argument("--sample", type=int, default=300, help="volunteers whose search is typed")
    parser.add_argument("--seed", type=int, default=1, help="seed of the sample")
    parser.add_argument("--limit", type=int, default=20, help="results per search, as on the desk")
    parser.add_argument("--reindex", type=int, default=20_000, help="volunteers re-indexed in GUI chunks")
    parser.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as tmp:
        store, timings = import_and_index(Path(tmp), args.volunteers)
        try:
            gui_chunks = measure_gui_chunks(store, args.reindex, args.seed)
            sample = draw_sample(store, args.sample, args.seed)
            latencies, found, namesakes = measure_searches(store, sample, args.limit)
        finally:
            store.close()

    every = [ms for kind in KINDS for ms in latencies[kind]]
    strict = found["name"] + found["id"]
    result = {
        "volunteers": args.volunteers,
        "import_s": round(timings["import_s"], 3),
        "index_s": round(timings["index_s"], 3),
        "index_per_s": round(timings["indexed"] / timings["index_s"]) if timings["index_s"] else None,
        "index_chunk_size": BULK_CHUNK_SIZE,
        "index_chunk_max_ms": round(timings["index_chunk_max_ms"], 1),
        "gui_chunk_size": CHUNK_SIZE,
        "gui_chunk_p95_ms": round(percentile(gui_chunks, 95), 1) if gui_chunks else None,
        "gui_chunk_max_ms": round(max(gui_chunks), 1) if gui_chunks else None,
        "sample": len(sample),
        "searches": len(every),
        "p50_ms": round(statistics.median(every), 3),
        "p95_ms": round(percentile(every, 95), 3),
        "max_ms": round(max(every), 3),
        "p95_ms_by_kind": {kind: round(percentile(latencies[kind], 95), 3) for kind in KINDS},
        "max_ms_by_kind": {kind: round(max(latencies[kind]), 3) for kind in KINDS},
        "no_match_p50_ms": round(statistics.median(latencies[MISS_KIND]), 3),
        "no_match_p95_ms": round(percentile(latencies[MISS_KIND], 95), 3),
        "found_rate": round(sum(strict) / len(strict), 4) if strict else None,
        "found_rate_by_kind": {kind: round(sum(v) / len(v), 4) for kind, v in sorted(found.items()) if v},
        "name_hidden_by_namesakes": namesakes,
    }
    width = max(len(k) for k in result)
    for key, value in result.items():
        print(f"{key:<{width}}  {value}")
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    if strict and not all(strict):
        sys.exit(1)


if __name__ == "__main__":
    main()
