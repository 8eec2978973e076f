"""``pip install runtime/python`` builds an installable package that carries ``py.typed`` (PEP 561)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import wsgen_protocol

ROOT = Path(__file__).resolve().parents[2]


def test_pip_installs_the_runtime_from_the_repo_path_with_py_typed(tmp_path: Path) -> None:
    target = tmp_path / "site"
    pip = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", "--target", str(target),
         str(ROOT / "runtime" / "python")],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert pip.returncode == 0, pip.stderr
    assert (target / "wsgen_runtime" / "py.typed").is_file()
    assert (target / "wsgen_runtime" / "app" / "chat.py").is_file()
    code = "import wsgen_runtime, wsgen_runtime.app as a; print(wsgen_runtime.__file__); print(a.bundled_protocol().version)"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(target), str(ROOT / "generated" / "python")])}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60)
    assert run.returncode == 0, run.stderr
    where, version = run.stdout.split()
    assert Path(where).is_relative_to(target) and version == wsgen_protocol.SCHEMA_VERSION
