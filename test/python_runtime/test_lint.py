"""runtime/python/README.md says the runtime package is typed (`py.typed`) and that `mypy --strict` and ruff are clean: this test
runs both on the package's sources, with the package's own ruff settings (runtime/python/pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "runtime" / "python"


def test_the_runtime_package_passes_mypy_strict() -> None:
    env_path = f"{PACKAGE / 'src'}:{ROOT / 'generated' / 'python'}"
    with tempfile.TemporaryDirectory() as cache:
        mypy = subprocess.run(
            [sys.executable, "-m", "mypy", "--strict", "--cache-dir", cache, "-p", "wsgen_runtime"],
            cwd=PACKAGE / "src",
            capture_output=True,
            text=True,
            env={"MYPYPATH": env_path, "PATH": "/usr/bin:/bin"},
        )
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr


def test_the_runtime_package_passes_ruff_lint_and_format() -> None:
    for args in (["check", "--no-cache"], ["format", "--check", "--no-cache"]):
        ruff = subprocess.run([sys.executable, "-m", "ruff", *args, "src"], cwd=PACKAGE, capture_output=True, text=True)
        assert ruff.returncode == 0, ruff.stdout + ruff.stderr
