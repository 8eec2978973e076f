"""The shipped modules (generator/shipped/python) imported from their sources, as the package ``wsgen_shipped``.

The package's path is the shipped folder first, then the bundled output's package: the
shipped modules come from their sources, the per-schema modules they import (``_limits``,
``_formats``) from the output generated for the bundled schema.
"""

from __future__ import annotations

import importlib
import sys
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "generator" / "shipped" / "python"
GENERATED_PACKAGE = ROOT / "generated" / "python" / "wsgen_protocol"


def shipped_package() -> types.ModuleType:
    """The package ``wsgen_shipped`` (created once); import its modules with ``importlib.import_module``."""
    existing = sys.modules.get("wsgen_shipped")
    if existing is not None:
        return existing
    package = types.ModuleType("wsgen_shipped")
    package.__path__ = [str(SHIPPED), str(GENERATED_PACKAGE)]
    sys.modules["wsgen_shipped"] = package
    return package


def shipped(module: str) -> types.ModuleType:
    """One shipped module, e.g. ``shipped("_errors")``, loaded from generator/shipped/python."""
    shipped_package()
    loaded = importlib.import_module(f"wsgen_shipped.{module}")
    assert Path(loaded.__file__ or "").parent == SHIPPED or module in ("_limits", "_formats"), loaded.__file__
    return loaded
