"""``kiosk-cloud --database postgresql://…``: the data in PostgreSQL, the platform keys in the data folder."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import psycopg
from click.testing import CliRunner, Result
from helpers.postgres import PostgresServer, new_postgres_database

from cloud.cli import cli
from cloud.schema_postgres import MIGRATIONS

ROSTER = "volunteer_id,name,phone\nV000000001,雷彩霞,13812345678\nV000000002,王小明,13900001111\n"


def run(data: Path, database: str, *args: str) -> Result:
    return CliRunner().invoke(
        cli, ["--data", str(data), "--database", database, *args], catch_exceptions=False
    )


def test_init_and_a_roster_import_go_to_postgresql_and_nothing_to_cloud_db(
    tmp_path: Path, postgres_server: PostgresServer
) -> None:
    url = new_postgres_database(postgres_server)
    data = tmp_path / "cloud-data"
    first = run(data, url, "init")
    assert first.exit_code == 0, first.output
    assert (data / "keys").is_dir() and not (data / "cloud.db").exists()
    again = run(data, url, "init")
    assert again.exit_code == 0 and "nothing changed" in again.output
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    imported = run(data, url, "import-roster", str(roster))
    assert imported.exit_code == 0, imported.output
    with psycopg.connect(url) as conn:
        names = conn.execute("SELECT name FROM volunteers ORDER BY volunteer_id").fetchall()
        logged = conn.execute(
            "SELECT kind, op, key_a FROM changes WHERE kind = 'volunteer' ORDER BY change_id"
        )
        assert names == [("雷彩霞",), ("王小明",)]
        assert logged.fetchall() == [
            ("volunteer", "upsert", "V000000001"),
            ("volunteer", "upsert", "V000000002"),
        ]
        applied = [row[0] for row in conn.execute("SELECT name FROM schema_migrations ORDER BY name")]
        assert applied == [name for name, _ in MIGRATIONS]


def test_a_database_that_is_not_postgresql_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--data", str(tmp_path), "--database", "mysql://x/y", "init"])
    assert result.exit_code == 2 and "postgresql://" in result.output


def test_a_database_that_cannot_be_reached_is_a_clear_error_and_no_password_is_shown(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"postgresql://cloud:s3cret@127.0.0.1:{port}/platform"
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["--data", str(tmp_path / "data"), "--database", url, "init"])
    assert result.exit_code == 1 and result.exception is not None and isinstance(result.exception, SystemExit)
    assert f"cannot connect to the PostgreSQL database cloud@127.0.0.1:{port}/platform" in result.output
    assert "s3cret" not in result.output
    assert time.monotonic() - started < 30
