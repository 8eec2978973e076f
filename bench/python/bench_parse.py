#!/usr/bin/env python3
"""parse_message vs json.loads, the floor and datamodel-code-generator's models, on three workloads.

- user_message: one ~300 B client message
- agent_streaming: one ~4 KB streamed chunk
- mixed: one valid message of each of the 24 types (>= 16 shapes), cycled

Correctness is checked first (every workload message parses, and round-trips
through dump_message; the peer's models accept every message). Each candidate then
runs in its own subprocess, several rounds alternating the candidates; the best time
per message of each is kept, and the ratios printed: parse_message / json.loads
(goal: <= 0.9), parse_message / floor (goal: <= 1.15) and parse_message / dmcg
(goal: <= 0.85). dmcg: datamodel-code-generator's models of the same schema (the
options of docs/parity-oracle.md, generated once per run into a temporary folder),
through ``WebSocketMessage.model_validate_json``, as its users call them.

With ``--baseline DIR`` (a folder holding another ``wsgen_protocol`` package, such as
the generated/python/ of a previous commit), that package's parse_message runs in the
same rounds, and parse_message / baseline is printed too.

``--instructions``: instead of times, instructions per message counted by valgrind's
callgrind, every candidate under the same fixed string-hash seeds, ratios paired within a
seed (instructions.py).

``--breakdown``: where parse_message's instructions go beyond the floor's, field check by
field check, and the Python around the validator (breakdown.py).

    .venv/bin/python bench/python/bench_parse.py [--rounds 3] [--number 20000] [--baseline DIR] [--instructions [--seeds 3] | --breakdown]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
import timeit
from pathlib import Path
from typing import Any

import breakdown
import instructions

ROOT = Path(__file__).resolve().parents[2]
sys.dont_write_bytecode = True
sys.path.insert(0, str(ROOT / "generated" / "python"))
sys.path.insert(1, str(ROOT / "test" / "python"))  # oracle_report: datamodel-code-generator as docs/parity-oracle.md runs it

#: The candidates, in the order each round runs them.
CANDIDATES = ("json.loads", "parse_message", "floor", "floor-present", "floor-typeddict", "dmcg")

TS = "2024-05-01T10:00:00.123Z"
UUID = "3f1c2a9e-8b7d-4c6e-9f0a-1b2c3d4e5f60"


def user_message() -> dict[str, Any]:
    return {
        "type": "user_message",
        "message_id": UUID,
        "timestamp": TS,
        "session_id": "sess-01HZX3K9",
        "agent": "guide_agent",
        "pillar": "content",
        "message": "Can you summarise the quarterly figures for the content pillar and flag anything unusual?",
        "metadata": {"client": "web"},
    }


def agent_streaming() -> dict[str, Any]:
    chunk = ("The quarterly figures show steady growth across the content pillar; " * 60)[:3900]
    return {
        "type": "agent_streaming",
        "message_id": UUID,
        "timestamp": TS,
        "session_id": "sess-01HZX3K9",
        "agent": "content_liaison",
        "role": "agent",
        "message": chunk,
        "is_streaming": True,
        "stream_index": 17,
        "seq": 4242,
    }


def mixed() -> list[dict[str, Any]]:
    base = {"timestamp": TS, "message_id": UUID}
    return [
        user_message(),
        {**base, "type": "agent_message", "agent": "guide_agent", "message": "Here is the summary.", "seq": 1},
        {**agent_streaming(), "message": "partial chunk"},
        {**base, "type": "agent_complete", "is_streaming": False, "stream_index": 18, "seq": 3},
        {**base, "type": "system_message", "message": "Maintenance at 22:00 UTC."},
        {**base, "type": "error_message", "error_code": "RATE_LIMITED", "message": "Slow down.", "error_details": {"retry_after_ms": 500}},
        {**base, "type": "warning_message", "message": "Large file."},
        {**base, "type": "session_created", "session_id": "s1", "realm": "experience", "schema_hash": "a" * 64, "epoch": "e1", "seq": 0},
        {**base, "type": "session_updated", "session_id": "s1", "status": "resumed"},
        {**base, "type": "session_expired", "session_id": "s1"},
        {**base, "type": "session_resume", "session_id": "s1", "last_seq": 41, "epoch": "e1"},
        {**base, "type": "file_selected", "file_uuid": UUID, "file_name": "report.csv"},
        {**base, "type": "file_processing", "file_uuid": UUID, "progress": 0.25},
        {**base, "type": "file_complete", "file_uuid": UUID, "file_url": "https://files.example/r.csv"},
        {**base, "type": "file_error", "file_uuid": UUID, "error_code": "FILE_ERROR", "message": "Unreadable."},
        {**base, "type": "question_answer", "message": "42", "metadata": {"confidence": 0.9}},
        {**base, "type": "visualization_data", "data": {"series": [{"x": i, "y": i * i} for i in range(8)]}},
        {**base, "type": "analysis_result", "data": {"mean": 3.5, "n": 12}},
        {**base, "type": "workflow_generated", "data": {"steps": ["a", "b", "c"]}},
        {**base, "type": "sop_generated", "data": {"title": "SOP", "sections": []}},
        {**base, "type": "status_update", "status": "thinking"},
        {**base, "type": "progress_update", "progress": 0.75},
        {**base, "type": "ping"},
        {**base, "type": "pong"},
    ]


WORKLOADS: dict[str, list[str]] = {
    "user_message": [json.dumps(user_message())],
    "agent_streaming": [json.dumps(agent_streaming())],
    "mixed": [json.dumps(m) for m in mixed()],
}


def check() -> None:
    from wsgen_protocol import ParseOk, dump_message, parse_message

    shapes = set()
    for name, texts in WORKLOADS.items():
        for text in texts:
            r = parse_message(text)
            assert isinstance(r, ParseOk), (name, text[:200], r)
            again = parse_message(dump_message(r.value))
            assert isinstance(again, ParseOk) and again.value == r.value, name
            shapes.add(r.value.type)
    assert len(shapes) >= 16, shapes
    sizes = {k: sum(len(t) for t in v) // len(v) for k, v in WORKLOADS.items()}
    print(f"correctness: ok ({len(shapes)} shapes); mean sizes in bytes: {sizes}")


def typeddict_floor_parser() -> Any:
    """The same floor for a parser returning TypedDicts instead of models: for every message type a
    TypedDict of the same fields (required ones Required, the rest NotRequired), typed Any; a
    discriminated union of them, through validate_json. What that API change would start from."""
    from typing import Annotated, Literal, NotRequired, Required, Union

    from pydantic import ConfigDict, Field, TypeAdapter, with_config
    from typing_extensions import TypedDict  # pydantic needs it on Python < 3.12
    from wsgen_protocol.models import WebSocketMessage

    dicts: list[Any] = []
    for model in WebSocketMessage.__args__[0].__args__:
        tag = model.model_fields["type"].annotation.__args__[0]
        fields: dict[str, Any] = {"type": Required[Literal[tag]]}
        fields.update({name: Required[Any] if f.is_required() else NotRequired[Any] for name, f in model.model_fields.items() if name != "type"})
        dicts.append(with_config(ConfigDict(extra="forbid"))(TypedDict(f"Floor{model.__name__}", fields)))  # type: ignore[operator]
    union: Any = Annotated[Union[tuple(dicts)], Field(discriminator="type")]
    return TypeAdapter(union).validate_json


def floor_parser(texts: list[str] | None = None) -> Any:
    """The least a parser returning models of this schema can cost: for every message type, a
    plain model declaring the same fields as the generated one (required ones required, unknown
    fields rejected) but typed Any, so no value is checked; a discriminated union of them,
    through validate_json. A generated model that checks values cannot be cheaper.

    With ``texts``, each model declares only the fields those messages carry: the cost of a
    protocol whose types declare nothing beyond what each message sends."""
    from typing import Annotated, Literal, Union

    from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, create_model
    from wsgen_protocol.models import WebSocketMessage

    plain: list[type[BaseModel]] = []
    for model in WebSocketMessage.__args__[0].__args__:
        tag = model.model_fields["type"].annotation.__args__[0]
        present = {k for m in map(json.loads, texts) if m["type"] == tag for k in m} if texts is not None else None
        fields = {
            name: (Any, ... if f.is_required() else None)
            for name, f in model.model_fields.items()
            if name != "type" and (present is None or name in present)
        }
        plain.append(create_model(f"Floor{model.__name__}", __config__=ConfigDict(extra="forbid"), type=(Literal[tag], ...), **fields))  # type: ignore[call-overload]
    union: Any = Annotated[Union[tuple(plain)], Field(discriminator="type")]
    return TypeAdapter(union).validate_json


def generate_peer(workdir: Path) -> Path:
    """datamodel-code-generator's models of the bundled schema, written to ``workdir``; the file's path."""
    from oracle_report import codegen_command

    out = workdir / "dmcg_models.py"
    cmd = codegen_command(out)
    subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=300, cwd=ROOT)
    return out


def peer_parser(models: Path) -> Any:
    """The peer's parse: ``WebSocketMessage.model_validate_json`` of datamodel-code-generator's models."""
    spec = importlib.util.spec_from_file_location("dmcg_models", models)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module.WebSocketMessage.model_validate_json


def candidate_parser(candidate: str, texts: list[str], peer: Path | None, baseline: Path | None) -> Any:
    """The parse function of one candidate (``floor-present``: for these texts)."""
    fn: Any
    if candidate == "noop":
        fn = str  # the loop's own cost, taken off every instruction count
    elif candidate == "baseline":
        assert baseline is not None
        sys.path.insert(0, str(baseline))
        from wsgen_protocol import parse_message as baseline_parse

        assert Path(sys.modules["wsgen_protocol"].__file__ or "").parent.parent == baseline.resolve()
        fn = baseline_parse
    elif candidate == "dmcg":
        assert peer is not None
        fn = peer_parser(peer)
    elif candidate == "json.loads":
        fn = json.loads
    elif candidate == "floor":
        fn = floor_parser()
    elif candidate == "floor-present":
        fn = floor_parser(texts)
    elif candidate == "floor-typeddict":
        fn = typeddict_floor_parser()
    else:
        from wsgen_protocol import parse_message

        fn = parse_message
    return fn


def worker(candidate: str, workload: str, number: int, repeat: int, peer: Path | None, baseline: Path | None) -> None:
    texts = WORKLOADS[workload]
    fn = candidate_parser(candidate, texts, peer, baseline)

    def run() -> None:
        for t in texts:
            fn(t)

    per_call = number // len(texts) or 1
    best = min(timeit.repeat(run, number=per_call, repeat=repeat)) / (per_call * len(texts))
    print(f"{best * 1e9:.1f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--number", type=int, default=20000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--worker", nargs=2, metavar=("CANDIDATE", "WORKLOAD"), help=argparse.SUPPRESS)
    ap.add_argument("--baseline", type=Path, help="a folder holding another wsgen_protocol package to time beside this one")
    ap.add_argument("--instructions", action="store_true", help="count instructions per message with callgrind instead of timing")
    ap.add_argument("--seeds", type=int, default=3, help="with --instructions: run every candidate under hash seeds 1..N (paired ratios)")
    ap.add_argument("--breakdown", action="store_true", help="count, check by check, the instructions parse_message spends beyond the floor")
    ap.add_argument("--breakdown-worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--peer", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--count", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.count:
        instructions.count_worker(args.count, args.number, args.peer, args.baseline)
        return 0
    if args.breakdown_worker:
        breakdown.worker(args.number)
        return 0
    if args.breakdown:
        check()
        return breakdown.report(min(args.number, 2000), __file__)
    if args.worker:
        worker(args.worker[0], args.worker[1], args.number, args.repeat, args.peer, args.baseline)
        return 0
    check()
    with tempfile.TemporaryDirectory(prefix="wsgen-bench-dmcg-") as tmp:
        peer = generate_peer(Path(tmp))
        check_peer(peer)
        return instructions.report(args, peer, __file__) if args.instructions else measure(args, peer)


def check_peer(models: Path) -> None:
    """The peer's models accept every workload message (else timing them would compare different work)."""
    parse = peer_parser(models)
    for texts in WORKLOADS.values():
        for text in texts:
            parse(text)
    print("peer: datamodel-code-generator's models accept every workload message")


def measure(args: argparse.Namespace, peer: Path) -> int:
    """Runs every candidate on every workload, ``args.rounds`` rounds, and prints the ratios."""
    import pydantic

    print(f"python {sys.version.split()[0]}, pydantic {pydantic.VERSION}; {args.rounds} rounds x {args.repeat} repeats x {args.number} messages, one process per run")
    print(
        f"{'workload':<16} {'json.loads ns':>14} {'parse_message ns':>17} {'ratio':>7} {'floor ratio':>12} {'floor-present ratio':>20}"
        f" {'floor-typeddict ratio':>22} {'dmcg ratio':>11} {'parse/floor':>12} {'parse/dmcg':>11}"
    )
    worst = worst_floor = worst_peer = 0.0
    candidates = (*CANDIDATES, "baseline") if args.baseline else CANDIDATES
    extra = ["--baseline", str(args.baseline.resolve())] if args.baseline else []
    for workload in WORKLOADS:
        best: dict[str, float] = {}
        for _ in range(args.rounds):
            for candidate in candidates:
                out = subprocess.run(
                    [sys.executable, __file__, "--worker", candidate, workload, "--number", str(args.number), "--repeat", str(args.repeat), "--peer", str(peer), *extra],
                    capture_output=True, text=True, check=True,
                )
                ns = float(out.stdout.strip())
                best[candidate] = min(best.get(candidate, ns), ns)
        ratio = best["parse_message"] / best["json.loads"]
        worst = max(worst, ratio)
        floor, present, td, dmcg = (best[c] / best["json.loads"] for c in ("floor", "floor-present", "floor-typeddict", "dmcg"))
        vs_floor, vs_peer = best["parse_message"] / best["floor"], best["parse_message"] / best["dmcg"]
        worst_floor, worst_peer = max(worst_floor, vs_floor), max(worst_peer, vs_peer)
        print(
            f"{workload:<16} {best['json.loads']:>14.0f} {best['parse_message']:>17.0f} {ratio:>6.2f}x {floor:>11.2f}x {present:>19.2f}x"
            f" {td:>21.2f}x {dmcg:>10.2f}x {vs_floor:>11.2f}x {vs_peer:>10.2f}x"
            + (f"  parse/baseline {best['parse_message'] / best['baseline']:.2f}x ({best['baseline']:.0f} ns)" if args.baseline else "")
        )
    print(f"goal parse_message <= 0.90x json.loads: {'met' if worst <= 0.9 else 'NOT met'} (worst {worst:.2f}x)")
    print(f"goal parse_message <= 1.15x floor: {'met' if worst_floor <= 1.15 else 'NOT met'} (worst {worst_floor:.2f}x)")
    print(f"goal parse_message <= 0.85x dmcg: {'met' if worst_peer <= 0.85 else 'NOT met'} (worst {worst_peer:.2f}x)")
    print("floor: models declaring the same fields, typed Any: what the models cost before any value is checked.")
    print("floor-present: the same, declaring only the fields the workload's messages carry.")
    print("floor-typeddict: TypedDicts of the same fields instead of models (what returning TypedDicts would start from).")
    print("dmcg: datamodel-code-generator's models of the same schema (WebSocketMessage.model_validate_json).")
    print("Beyond the floor: each field's check (date-time, a 4 KB maxLength, integers, patterns) and the Python around")
    print("pydantic-core (the result; the number walk of open fields, RFC 7493 §2.2): --breakdown counts each, in instructions.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
