"""The Python package ships the shared Lua scripts: a non-editable ``pip install runtime/python`` into a fresh
venv contains ``wsgen_runtime/cluster/lua/*.lua`` as real files, byte-identical to ``runtime/redis/*.lua``
(the package dir is a symlink to that folder, so the repo cannot drift; the installed copy is checked here)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from wsgen_runtime.cluster.scripts import NAMES, Scripts

ROOT = Path(__file__).resolve().parents[3]
SHARED = ROOT / "runtime" / "redis"


def test_every_shared_script_is_one_the_runtime_runs_and_is_read_from_runtime_redis() -> None:
    assert sorted(p.stem for p in SHARED.glob("*.lua")) == sorted(NAMES)
    s = Scripts()
    for name in NAMES:
        assert getattr(s, name).text == (SHARED / f"{name}.lua").read_text(encoding="utf-8")


def test_a_non_editable_install_into_a_fresh_venv_contains_the_lua_scripts(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    py = venv / "bin" / "python"
    pip = subprocess.run(
        [str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", str(ROOT / "runtime" / "python")],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert pip.returncode == 0, pip.stderr
    where = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], capture_output=True, text=True, check=True, timeout=60
    ).stdout.strip()
    lua = Path(where) / "wsgen_runtime" / "cluster" / "lua"
    assert not lua.is_symlink() and lua.is_dir()
    shipped = sorted(p.name for p in lua.iterdir())
    assert shipped == sorted(f"{n}.lua" for n in NAMES)
    for name in shipped:
        assert not (lua / name).is_symlink()
        assert (lua / name).read_bytes() == (SHARED / name).read_bytes()
