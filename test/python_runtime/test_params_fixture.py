"""The descriptor of a protocol whose wire names are no Python attribute names (test/fixtures/params: ``class``,
``from``), generated into a temp folder: ``carries`` lists the wire names (``build`` keeps a ``class`` field),
``attribute`` maps a wire name to the attribute a parsed message holds it under, and ``path_text`` writes values
as Node's ``String(value)``. The FORBIDDEN rule itself runs against both servers in test/matrix/params.test.ts."""

from __future__ import annotations

import importlib
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import Any

import pytest

from wsgen_runtime.endpoints import expand_endpoints, path_text
from wsgen_runtime.generated import from_generated

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def protocol() -> Iterator[Any]:
    """The fixture's generated ``PROTOCOL`` (its package imported from a temp folder, then forgotten)."""
    with tempfile.TemporaryDirectory(prefix="wsgen-params-") as tmp:
        subprocess.run([
            "node", str(ROOT / "bin" / "wsgen.js"), "generate", "--schema", str(ROOT / "test" / "fixtures" / "params"),
            "--out", tmp, "--target", "python", "--quiet",
        ], check=True, timeout=120)  # fmt: skip
        saved = {k: v for k, v in sys.modules.items() if k == "wsgen_protocol" or k.startswith("wsgen_protocol.")}
        for k in saved:
            del sys.modules[k]
        sys.path.insert(0, str(Path(tmp) / "python"))
        try:
            yield importlib.import_module("wsgen_protocol.protocol").PROTOCOL
        finally:
            sys.path.remove(str(Path(tmp) / "python"))
            for k in [k for k in sys.modules if k == "wsgen_protocol" or k.startswith("wsgen_protocol.")]:
                del sys.modules[k]
            sys.modules.update(saved)


def test_carries_and_build_use_wire_names(protocol: Any) -> None:
    d = from_generated(protocol)
    assert d.carries["join"] == frozenset({"type", "ref-id", "lobby", "class", "from", "level"})
    assert d.build("join", {"class": "mage", "from": "a", "class_": "x"}) == {"type": "join", "class": "mage", "from": "a"}


def test_attribute_maps_a_wire_name_to_the_parsed_messages_attribute(protocol: Any) -> None:
    d = from_generated(protocol)
    assert (d.attribute("join", "class"), d.attribute("join", "from"), d.attribute("join", "lobby")) == ("class_", "from_", "lobby")
    assert d.attribute("ping", "lobby") is None  # ping carries no lobby
    assert (d.attr("ref-id"), d.attr("class"), d.attr("type"), d.attr("nowhere")) == ("f_ref_2d_id_", "class_", "type", "nowhere")
    m = d.parse('{"type":"join","class":"rogue","from":"b","level":2}').value  # type: ignore[attr-defined]
    assert (getattr(m, "class_"), getattr(m, "from_"), m.level) == ("rogue", "b", 2)


class _Color(Enum):
    RED = "red"


@pytest.mark.parametrize(
    ("value", "text"),
    [("mage", "mage"), (2, "2"), (2.0, "2"), (2.5, "2.5"), (True, "true"), (False, "false"), (_Color.RED, "red")],
)
def test_path_text_is_nodes_string_of_the_value(value: Any, text: str) -> None:
    assert path_text(value) == text


def test_a_boolean_parameter_value_is_written_as_in_a_node_path() -> None:
    eps = expand_endpoints({"e": {"path": "/e/{on}", "params": {"on": [True, False]}}}, {})
    assert sorted(eps) == ["/e/false", "/e/true"]
