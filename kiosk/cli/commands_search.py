"""``kiosk find``: look a volunteer up as the coordinator desk does."""

from __future__ import annotations

import click

from kiosk.cli.state import CliState, pass_state
from kiosk.services.volunteer_search import (
    BULK_CHUNK_SIZE,
    VolunteerMatch,
    index_backlog,
    refresh_index,
    search_volunteers,
)
from kiosk.store.database import DatabaseBusyOrFull, Store

#: A backlog this large takes a moment to index: say so before the search.
ANNOUNCED_BACKLOG = 5000


def describe_match(match: VolunteerMatch) -> str:
    """One line per volunteer, tab-separated: ID, name, organisation, phone tail, what matched."""
    fields = [
        match.volunteer_id,
        match.name,
        match.org_name or "-",
        f"…{match.phone_tail}" if match.phone_tail else "-",
        match.matched_by,
    ]
    if not match.active:
        fields.append("inactive")
    return "\t".join(fields)


def bring_index_up_to_date(store: Store) -> None:
    """Index the volunteers changed since the last search; warn, and go on, if the database is busy."""
    backlog = index_backlog(store.writer)
    if backlog >= ANNOUNCED_BACKLOG:
        click.echo(f"indexing {backlog} volunteers…", err=True)
    try:
        refresh_index(store, chunk_size=BULK_CHUNK_SIZE)
    except DatabaseBusyOrFull as exc:
        click.echo(
            f"warning: the search index could not be updated ({exc}); recent roster changes may be missing",
            err=True,
        )


@click.command()
@click.argument("query")
@click.option(
    "--limit", default=20, show_default=True, type=click.IntRange(min=1), help="Most matches shown."
)
@pass_state
def find(state: CliState, query: str, limit: int) -> None:
    """Find a volunteer by name, pinyin or its initials (lcx), last phone digits or ID.

    Prints one match per line: ID, name, organisation, phone tail and what
    matched (id, name, pinyin, initials or phone). Exit status 0 also when
    nothing matches.
    """
    kiosk = state.kiosk()
    bring_index_up_to_date(kiosk.store)
    reader = kiosk.store.reader()
    try:
        matches = search_volunteers(reader, query, limit)
    finally:
        reader.close()
    if not matches:
        click.echo(f"no volunteer matches {query}")
    for match in matches:
        click.echo(describe_match(match))


COMMANDS: list[click.Command] = [find]
