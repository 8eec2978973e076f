"""Where parse_message's instructions go beyond the floor's, check by check (``bench_parse.py --breakdown``).

For each workload, counted under valgrind's callgrind in one process (warmed up, the loop's own
cost taken off), instructions per message of:

- ``floor``: bench_parse's floor (models of the same fields typed ``Any``, default config);
- ``floor-config``: the same models with the generated models' config (strict, closed, ...);
- ``+<field>``: floor-config with that one field typed as the generated model types it, for every
  field the workload's messages carry: its difference to floor-config is what checking that field
  costs, a check the floor skips and an exact parser cannot;
- ``validator``: the generated union's pydantic-core validator alone (``validate_json``);
- ``parse_message``: its difference to ``validator`` is the Python around the validator (the
  call and the result object; the number walk of open fields, I-JSON RFC 7493 §2.2, only where
  the validator cannot bound them, ``_open_json.py``).

    .venv/bin/python bench/python/bench_parse.py --breakdown [--number 2000]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, create_model

Parse = Callable[[str], Any]


def floor_models(typed: frozenset[str], config: ConfigDict) -> Parse:
    """bench_parse's floor (every field typed Any), with ``config`` and the fields named in ``typed``
    declared exactly as the generated models declare them (type, constraints, markers, default)."""
    from wsgen_protocol.models import WebSocketMessage

    plain: list[type[BaseModel]] = []
    for model in WebSocketMessage.__args__[0].__args__:
        tag = model.model_fields["type"].annotation.__args__[0]
        fields: dict[str, Any] = {}
        for name, f in model.model_fields.items():
            if name == "type":
                continue
            fields[name] = (f.annotation, f) if name in typed else (Any, ... if f.is_required() else None)
        plain.append(create_model(f"Floor{model.__name__}", __config__=config, type=(Literal[tag], ...), **fields))  # type: ignore[arg-type]
    union: Any = Annotated[Union[tuple(plain)], Field(discriminator="type")]
    return TypeAdapter(union).validate_json


def measurements(texts: list[str]) -> Iterator[tuple[str, Parse]]:
    """The labelled parse functions of one workload, in the order they are counted."""
    from bench_parse import floor_parser
    from wsgen_protocol import parse_message
    from wsgen_protocol._model import WireModel
    from wsgen_protocol.parse import _PARSER

    config = ConfigDict(**WireModel.model_config)
    carried = sorted({k for m in map(json.loads, texts) for k in m} - {"type"})
    yield "noop", str
    yield "floor", floor_parser()
    yield "floor-config", floor_models(frozenset(), config)
    for name in carried:
        yield f"+{name}", floor_models(frozenset({name}), config)
    # The validator parse_message calls: the one with open fields bounded, else the union's own.
    yield "validator", (_PARSER._json_validator or _PARSER._validator).validate_json
    yield "parse_message", parse_message


def worker(number: int) -> None:
    """Under callgrind: for each workload and measurement, warms up, says ``ready``, waits for ``go``
    (instrumentation on), parses ``number`` messages, says ``done``, waits; then says ``end``."""
    from bench_parse import WORKLOADS

    for workload, texts in WORKLOADS.items():
        cycle = (texts * (number // len(texts) + 1))[:number]
        for label, fn in measurements(texts):
            for t in cycle[:200]:
                fn(t)
            print("ready", workload, label, flush=True)
            sys.stdin.readline()
            for t in cycle:
                fn(t)
            print("done", flush=True)
            sys.stdin.readline()
    print("end", flush=True)


def count(number: int, script: str) -> dict[str, dict[str, float]]:
    """Instructions per message by workload and label (the noop loop's count taken off)."""

    def control(pid: int, *args: str) -> None:
        subprocess.run(["callgrind_control", *args, str(pid)], check=True, capture_output=True)

    found: dict[str, dict[str, int]] = {}
    with tempfile.TemporaryDirectory(prefix="wsgen-bench-breakdown-") as out:
        prefix = str(Path(out) / "cg")
        cmd = ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={prefix}", sys.executable, script, "--breakdown-worker", "--number", str(number)]
        p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert p.stdin is not None and p.stdout is not None
        while (line := p.stdout.readline().split()) and line[0] == "ready":
            workload, label = line[1], line[2]
            control(p.pid, "--instr=on")
            p.stdin.write("go\n")
            p.stdin.flush()
            assert p.stdout.readline().strip() == "done"
            control(p.pid, "--instr=off")
            before = set(Path(out).glob("cg*"))
            control(p.pid, "--dump")
            (dump,) = set(Path(out).glob("cg*")) - before
            totals = [int(x.split()[1]) for x in dump.read_text().splitlines() if x.startswith(("summary:", "totals:"))]
            found.setdefault(workload, {})[label] = max(totals)
            p.stdin.write("next\n")
            p.stdin.flush()
        assert line == ["end"], line
        p.wait(120)
    return {w: {k: (n - per["noop"]) / number for k, n in per.items() if k != "noop"} for w, per in found.items()}


def report(number: int, script: str) -> int:
    """Prints the breakdown of every workload."""
    counts = count(number, script)
    print(f"instructions per message beyond the floor, check by check (callgrind, {number} messages per workload)")
    for workload, per in counts.items():
        base = per["floor-config"]
        fields = {k: v - base for k, v in per.items() if k.startswith("+")}
        print(f"\n{workload}: floor {per['floor']:,.0f}, floor-config {base:,.0f} ({base - per['floor']:+,.0f})")
        for label, delta in sorted(fields.items(), key=lambda kv: -kv[1]):
            print(f"  {label:<18} {delta:>+8,.0f}")
        print(f"  {'sum of the fields':<18} {sum(fields.values()):>+8,.0f}")
        print(f"  validator {per['validator']:,.0f} ({per['validator'] / per['floor']:.3f}x floor); "
              f"parse_message {per['parse_message']:,.0f} ({per['parse_message'] / per['floor']:.3f}x floor): "
              f"the Python around the validator {per['parse_message'] - per['validator']:+,.0f}")
    return 0
