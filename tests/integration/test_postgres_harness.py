"""The throwaway PostgreSQL the cloud's tests will run on: it starts, keeps its word on 127.0.0.1, and goes."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from helpers.postgres import PostgresServer, running_postgres

pytestmark = pytest.mark.linux_only  # PostgreSQL from Debian's packages


def test_a_new_database_takes_writes_and_ignores_a_repeated_push(postgres_server: PostgresServer) -> None:
    with psycopg.connect(postgres_server.dsn(), autocommit=True) as admin:
        admin.execute("CREATE DATABASE harness")
    with psycopg.connect(postgres_server.dsn("harness")) as conn:
        conn.execute("CREATE TABLE events (event_id text PRIMARY KEY, kiosk text NOT NULL)")
        for _ in range(2):  # a kiosk that pushes the same event twice: stored once
            conn.execute("INSERT INTO events VALUES (%s, %s) ON CONFLICT (event_id) DO NOTHING", ("e1", "K1"))
        conn.commit()
        assert conn.execute("SELECT count(*) FROM events").fetchone() == (1,)
        assert conn.execute("SHOW server_encoding").fetchone() == ("UTF8",)
        assert conn.execute("SHOW listen_addresses").fetchone() == ("127.0.0.1",)


def test_the_cluster_is_gone_after_the_server_stops() -> None:
    with running_postgres() as server:
        folder = server.folder
        assert (folder / "data" / "PG_VERSION").is_file()
        with psycopg.connect(server.dsn()) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
    assert not Path(folder).exists()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(server.dsn(), connect_timeout=2)
