"""The running cloud keeps every promise of its published OpenAPI document (schemathesis, all checks).

The real server runs on 127.0.0.1 with a registered kiosk's credentials;
schemathesis reads ``/api/v1/openapi.json`` and tests every operation it
lists (so a route added later is tested too) through its example, coverage,
fuzzing and stateful phases, with every check: no 5xx; documented statuses,
content types and headers; replies that fit their schemas; schema-valid
requests accepted and invalid ones refused; 405 with ``Allow`` for methods a
path does not take; authentication not ignored. No check is left out.

It runs as ``schemathesis run`` (the documented command line, in a child
process) rather than through the pytest plugin: the plugin's
fixture-loaded schema (``schemathesis.pytest.from_fixture``, the only way to
test a server started by a fixture) fails under pytest 9 (it writes
``request.node._nodeid``, which pytest 9 no longer has), and the command
runs all four phases, which the plugin does not.

Bounded and repeatable: deterministic generation (no seed, no example
database), a fixed number of examples per operation, one worker, a timeout
per request and for the whole run; nothing is sent beyond 127.0.0.1.
"""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
import requests
from helpers.cloud_server import RunningCloud, running_cloud

KIOSK = "K00000FUZZ1"
MAX_EXAMPLES = 25
RUN_TIMEOUT_S = 240  # about 30 s on two shared cores; a hang must end the test, not the suite


def _schemathesis(cloud: RunningCloud, authorization: str, folder: Path) -> subprocess.CompletedProcess[str]:
    config = folder / "schemathesis.toml"
    # A warning (a reference that does not resolve, an operation it could not test...) fails the run too.
    config.write_text("[warnings]\nfail-on = true\n", encoding="utf-8")
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        f"--config-file={config}",
        "run",
        f"{cloud.api_url}/openapi.json",
        "--checks=all",
        "--mode=all",  # schema-valid requests, and invalid ones that must be refused
        "--phases=examples,coverage,fuzzing,stateful",
        f"--max-examples={MAX_EXAMPLES}",
        "--generation-deterministic",
        "--workers=1",
        "--request-timeout=10",
        f"--header=Authorization: {authorization}",
        "--no-color",
        "--report=junit",
        f"--report-junit-path={folder / 'junit.xml'}",
    ]
    # No proxy may stand between the run and the local server.
    env = {**os.environ, "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}
    return subprocess.run(
        command, cwd=folder, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT_S, check=False
    )


def _published_operations(cloud: RunningCloud) -> set[str]:
    paths = requests.get(f"{cloud.api_url}/openapi.json", timeout=10).json()["paths"]
    return {f"{method.upper()} {path}" for path, operations in paths.items() for method in operations}


def _tested_operations(report: Path) -> dict[str, str]:
    """Each operation of the JUnit report and how it ended (``passed``, ``failure``, ``error``, ``skipped``)."""
    outcomes = {}
    for case in ElementTree.parse(report).getroot().iter("testcase"):
        ended = [child.tag for child in case if child.tag in ("failure", "error", "skipped")]
        outcomes[case.attrib["name"]] = ended[0] if ended else "passed"
    return outcomes


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_every_published_operation_keeps_the_promises_of_the_schema(tmp_path: Path) -> None:
    with running_cloud(tmp_path / "cloud") as cloud:
        authorization = cloud.register(KIOSK)["Authorization"]
        published = _published_operations(cloud)
        run = _schemathesis(cloud, authorization, tmp_path)
    output = run.stdout + run.stderr
    assert run.returncode == 0, f"schemathesis found the server breaking its schema:\n{output[-12000:]}"
    outcomes = _tested_operations(tmp_path / "junit.xml")
    # The stateful phase is one more case once the schema has links (POST /passes -> GET /passes/{pass_id}).
    assert set(outcomes) - {"Stateful tests"} == published, "every operation of the schema is tested"
    assert set(outcomes.values()) == {"passed"}, outcomes
