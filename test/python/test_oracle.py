"""Runs the datamodel-code-generator parity oracle and regenerates docs/parity-oracle.md.

Fails only when the oracle cannot run at all; disagreements are reported, not asserted.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def test_oracle_runs(tmp_path: Path) -> None:
    out = HERE.parents[1] / "docs" / "parity-oracle.md"
    r = subprocess.run([sys.executable, str(HERE / "oracle_report.py"), "--out", str(out)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    assert out.read_text(encoding="utf-8").startswith("# Parity oracle")


def test_oracle_keeps_the_suite_section(tmp_path: Path) -> None:
    """The JSON-Schema-Test-Suite section (test/jsts/doc.mjs) survives a rewrite of the report."""
    out = tmp_path / "parity-oracle.md"
    section = "<!-- jsts: written by `npm run conformance:jsts -- --dmcg --write-doc`; do not edit below -->\n\n## figures\n"
    out.write_text("# Parity oracle: old\n\n" + section, encoding="utf-8")
    r = subprocess.run([sys.executable, str(HERE / "oracle_report.py"), "--out", str(out)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Parity oracle: datamodel-code-generator")
    assert text.endswith("\n\n" + section)
    assert text.count("<!-- jsts:") == 1
