"""datamodel-code-generator on the JSON-Schema-Test-Suite, for the jsts harness (test/jsts/dmcg.mjs).

One long-lived process. Reads NDJSON requests on stdin, one per group:
``{"schema": <the group's schema text, as written>, "texts": [<instance text>, ...]}``.
Generates Pydantic v2 models from the raw schema with datamodel-code-generator (the options of
test/python/oracle_report.py, root class ``Model``), and validates each instance text with
``TypeAdapter(Model).validate_json``. Writes one JSON line per request, flushed:
``{"verdicts": [true|false, ...]}`` or ``{"failed": "<why generation or import failed>"}``.
Nothing is fetched: the venv has no HTTP client, so a remote ``$ref`` fails to generate.
"""

from __future__ import annotations

import json
import sys
import tempfile
import types
import warnings
from pathlib import Path
from typing import Any

from datamodel_code_generator import generate
from datamodel_code_generator.enums import DataModelType, InputFileType
from datamodel_code_generator.format import Formatter, PythonVersion
from pydantic import TypeAdapter

sys.dont_write_bytecode = True
warnings.simplefilter("ignore")

OPTIONS: dict[str, Any] = {
    "input_file_type": InputFileType.JsonSchema,
    "output_model_type": DataModelType.PydanticV2BaseModel,
    "target_python_version": PythonVersion.PY_311,
    "use_annotated": True,
    "field_constraints": True,
    "use_title_as_name": True,
    "disable_timestamp": True,
    "formatters": [Formatter.BUILTIN],
    "class_name": "Model",
}


def first_line(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}".strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:300]


def build(schema_text: str, workdir: Path, n: int) -> TypeAdapter[Any]:
    """A validator of the group's root class, or raises with why it cannot be had."""
    path = workdir / f"group{n}.json"
    path.write_text(schema_text, encoding="utf-8")
    code = generate(path, **OPTIONS)
    if not isinstance(code, str):
        raise RuntimeError("generated several modules")
    name = f"dmcg_group_{n}"
    module = types.ModuleType(name)
    module.__file__ = str(workdir / f"{name}.py")
    sys.modules[name] = module
    exec(compile(code, module.__file__, "exec"), module.__dict__)  # noqa: S102 (our own generated code)
    model = getattr(module, "Model", None)
    if model is None:
        raise RuntimeError("no Model class in the generated code")
    return TypeAdapter(model)  # a BaseModel, a RootModel or an Enum alike


def verdict(model: TypeAdapter[Any], text: str) -> bool:
    try:
        model.validate_json(text)
    except Exception:  # ValidationError, or whatever else the models raise: a rejection
        return False
    return True


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="wsgen-jsts-dmcg-") as tmp:
        for n, line in enumerate(sys.stdin):
            if not line.strip():
                continue
            request = json.loads(line)
            try:
                model = build(request["schema"], Path(tmp), n)
                answer: dict[str, Any] = {"verdicts": [verdict(model, t) for t in request["texts"]]}
            except Exception as exc:  # generation or import failed: that is the figure we count
                answer = {"failed": first_line(exc)}
            finally:
                sys.modules.pop(f"dmcg_group_{n}", None)
            sys.stdout.write(json.dumps(answer) + "\n")
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
