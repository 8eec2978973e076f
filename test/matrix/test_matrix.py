"""The live conformance suite (issue 11 item 2): the scenario table (scenarios.json) in every cell of
{TS client, Python client} x {Node server, FastAPI server}, with the same expected frames, codes and closes,
except where the table names a cell's difference and the PROTOCOL.md section that explains it."""

from __future__ import annotations

import shutil

import pytest

from .cells import CLIENTS, ROOT, SERVERS, TABLE, expected, run_cell

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")


@pytest.mark.parametrize("server", SERVERS)
@pytest.mark.parametrize("client", CLIENTS)
def test_every_scenario_gives_the_tables_observations(client: str, server: str) -> None:
    assert (ROOT / "dist" / "runtime" / "client" / "index.js").exists(), "run `node scripts/build.mjs` first"
    got = run_cell(client, server)
    wrong = {}
    for s in TABLE:
        want, _why = expected(s, client, server)
        if got.get(s["name"]) != want:
            wrong[s["name"]] = {"want": want, "got": got.get(s["name"])}
    assert not wrong, f"{client} client x {server} server: {len(wrong)} of {len(TABLE)} scenarios differ: {wrong}"


def test_every_difference_names_its_reason_in_protocol_md() -> None:
    text = (ROOT / "schema" / "PROTOCOL.md").read_text()
    for s in TABLE:
        for cell, d in s.get("differences", {}).items():
            assert d["why"].startswith("PROTOCOL.md, Where transports differ: "), (
                s["name"],
                cell,
            )
            topic = d["why"].split(": ", 1)[1]
            section = text.split("## Where transports differ", 1)[1].split("\n## ", 1)[0]
            assert f"**{topic}**" in section, f"PROTOCOL.md's 'Where transports differ' lacks **{topic}** ({s['name']}, {cell})"
