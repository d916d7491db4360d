"""Staff accounts of the dashboard: password hashing, account rules, and ``kiosk-cloud staff`` on both databases."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from helpers.postgres import new_postgres_database

from cloud.cli import cli
from cloud.dashboard.staff import (
    SCRYPT_N,
    StaffAccountError,
    change_password,
    create_account,
    hash_password,
    list_accounts,
    password_matches,
    set_account_disabled,
)
from cloud.instance import open_instance
from cloud.storage import Storage

NOW = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)
ROSTER = (
    "volunteer_id,name,phone,org_id,org_name,org_level,org_parent_id\n"
    "V1,张三丰,13800000001,K1,东城区,county,\n"
    "V2,李小龙,13800000002,T1,东华街道,township,K1\n"
)
PASSWORD = "长城 correct horse"


def test_a_password_verifies_against_its_hash_and_nothing_else() -> None:
    stored = hash_password(PASSWORD)
    scheme, params, salt, key = stored.split("$")
    assert (scheme, params) == ("scrypt", f"n={SCRYPT_N},r=8,p=3")
    assert PASSWORD not in stored and len(key) == 44  # 32 bytes, base64
    assert password_matches(PASSWORD, stored)
    assert not password_matches(PASSWORD + " ", stored)
    assert not password_matches("长城 correct horsE", stored)
    assert not password_matches("", stored)
    again = hash_password(PASSWORD)
    assert again.split("$")[2] != salt and again != stored  # a fresh salt each time
    assert password_matches(PASSWORD, again)


def test_a_hash_keeps_its_own_parameters_and_a_malformed_one_matches_nothing() -> None:
    # A hash made with other parameters still verifies: they are read from the text.
    cheaper = "scrypt$n=1024,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA==$"
    key = hashlib.scrypt(PASSWORD.encode(), salt=bytes(16), n=1024, r=8, p=1, dklen=32)
    assert password_matches(PASSWORD, cheaper + base64.b64encode(key).decode())
    for broken in (
        "",
        "plain text",
        "bcrypt$n=1024,r=8,p=1$AAAA$AAAA",
        "scrypt$n=1000,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA==$"
        + base64.b64encode(key).decode(),  # n not a power of 2
        "scrypt$n=1024,r=8$AAAA$AAAA",
        "scrypt$n=1024,r=8,p=1$not base64!$AAAA",
        f"scrypt$n={2**30},r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA==$AAAA",  # asks for far too much memory
    ):
        assert not password_matches(PASSWORD, broken), broken


def test_account_rules_are_checked_before_anything_is_written(cloud_store: Storage, tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    cloud_store.import_roster(roster)
    created = create_account(cloud_store, "  Wang.Li@K1 ", PASSWORD, "viewer", "K1", NOW)
    assert (created.username, created.role, created.area_org_id, created.disabled) == (
        "wang.li@k1",
        "viewer",
        "K1",
        False,
    )
    assert password_matches(PASSWORD, created.password_hash)
    for username, password, role, area, complaint in (
        ("wang.li@k1", PASSWORD, "viewer", None, "already an account"),
        ("WANG.LI@K1", PASSWORD, "manager", None, "already an account"),
        ("two words", PASSWORD, "viewer", None, "no spaces"),
        ("", PASSWORD, "viewer", None, "1 to 64"),
        ("x" * 65, PASSWORD, "viewer", None, "1 to 64"),
        ("zhao", "short", "viewer", None, "at least 10"),
        ("zhao", PASSWORD, "admin", None, "viewer, manager"),
        ("zhao", PASSWORD, "manager", "NOWHERE", "not an organisation"),
    ):
        with pytest.raises(StaffAccountError, match=complaint):
            create_account(cloud_store, username, password, role, area, NOW)
    assert [a.username for a in list_accounts(cloud_store)] == ["wang.li@k1"]
    create_account(cloud_store, "张主任", PASSWORD, "manager", None, NOW)
    assert [(a.username, a.area_org_id) for a in list_accounts(cloud_store)] == [
        ("wang.li@k1", "K1"),
        ("张主任", None),
    ]
    with pytest.raises(StaffAccountError, match="no account"):
        set_account_disabled(cloud_store, "nobody", True)
    with pytest.raises(StaffAccountError, match="no account"):
        change_password(cloud_store, "nobody", PASSWORD)
    assert change_password(cloud_store, "Wang.Li@K1", "a brand new password") == 0
    changed = list_accounts(cloud_store)[0]
    assert password_matches("a brand new password", changed.password_hash)
    assert not password_matches(PASSWORD, changed.password_hash)


@pytest.fixture(params=["sqlite", "postgres"])
def cli_args(request: pytest.FixtureRequest, tmp_path: Path) -> list[str]:
    """The global options of ``kiosk-cloud`` for a fresh cloud on SQLite, then on PostgreSQL."""
    args = ["--data", str(tmp_path / "cloud-data")]
    if request.param == "postgres":
        args += ["--database", new_postgres_database(request.getfixturevalue("postgres_server"))]
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    for command in (["init"], ["import-roster", str(roster)]):
        result = CliRunner().invoke(cli, [*args, *command], catch_exceptions=False)
        assert result.exit_code == 0, result.output
    return args


def staff(args: list[str], *command: str, typed: str | None = None) -> Result:
    return CliRunner().invoke(cli, [*args, "staff", *command], input=typed, catch_exceptions=False)


def test_staff_add_list_disable_and_passwd_through_the_cli(cli_args: list[str]) -> None:
    empty = staff(cli_args, "list")
    assert empty.exit_code == 0 and "No staff accounts" in empty.output
    added = staff(cli_args, "add", "Zhang", "--role", "manager", typed=f"{PASSWORD}\n{PASSWORD}\n")
    assert added.exit_code == 0, added.output
    assert "Added zhang (manager, every area)" in added.output
    assert PASSWORD not in added.output  # the prompt hides what is typed
    piped = staff(
        cli_args, "add", "li", "--role", "viewer", "--area", "T1", "--password-stdin", typed=PASSWORD
    )
    assert piped.exit_code == 0 and "Added li (viewer, area T1)" in piped.output
    mismatch = staff(cli_args, "add", "wu", "--role", "viewer", typed=f"{PASSWORD}\nsomething else\n" * 2)
    assert mismatch.exit_code == 1  # click asks again, then the input runs out
    taken = staff(cli_args, "add", "ZHANG", "--role", "viewer", "--password-stdin", typed=PASSWORD)
    assert taken.exit_code == 1 and "already an account zhang" in taken.output
    short = staff(cli_args, "add", "zhao", "--role", "viewer", "--password-stdin", typed="short\n")
    assert short.exit_code == 1 and "at least 10 characters" in short.output
    elsewhere = staff(
        cli_args, "add", "zhao", "--role", "viewer", "--area", "X9", "--password-stdin", typed=PASSWORD
    )
    assert elsewhere.exit_code == 1 and "X9 is not an organisation" in elsewhere.output
    bad_role = staff(cli_args, "add", "zhao", "--role", "admin", "--password-stdin", typed=PASSWORD)
    assert bad_role.exit_code == 2

    listed = staff(cli_args, "list")
    assert listed.exit_code == 0, listed.output
    rows = [line.split() for line in listed.output.splitlines()[1:]]
    assert [row[:5] for row in rows] == [
        ["li", "viewer", "T1", "active", "0"],
        ["zhang", "manager", "(all)", "active", "0"],
    ]

    disabled = staff(cli_args, "disable", "Li")
    assert disabled.exit_code == 0 and "Disabled li; 0 sessions ended" in disabled.output
    assert ["li", "viewer", "T1", "disabled", "0"] in [
        line.split()[:5] for line in staff(cli_args, "list").output.splitlines()
    ]
    assert staff(cli_args, "disable", "nobody").exit_code == 1
    enabled = staff(cli_args, "enable", "li")
    assert enabled.exit_code == 0 and "active" in staff(cli_args, "list").output.splitlines()[1]

    new_password = "another long password"
    changed = staff(cli_args, "passwd", "zhang", typed=f"{new_password}\n{new_password}\n")
    assert changed.exit_code == 0 and "Changed the password of zhang" in changed.output
    data = Path(cli_args[1])
    database = cli_args[3] if len(cli_args) > 2 else None
    with open_instance(data, database=database) as instance:
        zhang = {a.username: a for a in list_accounts(instance.store)}["zhang"]
    assert password_matches(new_password, zhang.password_hash)
    assert not password_matches(PASSWORD, zhang.password_hash)
