"""Judge of the Python target for the JSON-Schema-Test-Suite harness (test/jsts/harness.mjs).

One long-lived process judges every group. Reads NDJSON requests on stdin, one per
group: ``{"dir": <folder holding the generated wsgen_protocol package>, "texts": [<message text>, ...]}``.
Writes one JSON line per request, flushed: ``{"verdicts": [true|false, ...]}`` (whether
``parse_message`` accepts each text), or ``{"error": "..."}`` when the package does not import
or ``parse_message`` raises (it must never raise). The package is the one folder of ``dir`` with an
``__init__.py`` (wsgen names it ``wsgen_protocol``). Between groups it is unloaded, so the next
group's package of the same name is imported fresh.
"""

from __future__ import annotations

import importlib
import json
import sys
import traceback
from pathlib import Path

sys.dont_write_bytecode = True


def unload(package: str) -> None:
    """Forgets every module of the generated package."""
    for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
        del sys.modules[name]


def judge(folder: str, texts: list[str]) -> dict[str, object]:
    """Verdicts of the package in `folder` on `texts`, or the error that stopped it."""
    found = sorted(p.name for p in Path(folder).iterdir() if (p / "__init__.py").is_file())
    if len(found) != 1:
        return {"error": f"expected one generated package in {folder}, found {found}"}
    name = found[0]
    sys.path.insert(0, folder)
    importlib.invalidate_caches()
    try:
        try:
            package = importlib.import_module(name)
        except Exception:  # the generated package itself is broken: report, do not crash the judge
            return {"error": "import failed: " + traceback.format_exc(limit=2).strip().splitlines()[-1]}
        verdicts: list[bool] = []
        for text in texts:
            try:
                verdicts.append(bool(package.parse_message(text).ok))
            except Exception as exc:  # parse_message must never raise
                return {"error": f"parse_message raised {type(exc).__name__}: {exc}"[:500]}
        return {"verdicts": verdicts}
    finally:
        sys.path.remove(folder)
        unload(name)


def main() -> int:
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        sys.stdout.write(json.dumps(judge(request["dir"], request["texts"])) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
