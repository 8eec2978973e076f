"""The schema-version handshake of the Python runtime (PROTOCOL.md "Versions"): the same rule table as the Node
server's (test/server/versions.test.ts), then the FastAPI server against the Python client and against the repo's
TS client: a documentation-only change and an older minor version connect; another major is closed with 4504
naming both versions, logged by the server, and ends the client without a reconnect."""

from __future__ import annotations

import asyncio
import json
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from wsgen_runtime.app.client import chat_client
from wsgen_runtime.client import BackoffOptions, ClientError, ClientOptions
from wsgen_runtime.versions import SchemaOffer, judge_schema_offer, parse_version_refusal, read_schema_offer, version_close_reason

from .harness import PROTOCOL, Server, live

H = PROTOCOL.schema_hash
OTHER = "ab" * 32
FAST = ClientOptions(backoff=BackoffOptions(min_delay_s=0.01, max_delay_s=0.02))
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("version", "digest", "expected"),
    [
        (None, None, None),
        ("2.3.2", H, None),
        ("2.1.0", OTHER, None),
        ("2.3.0", OTHER, None),
        ("2.3.4", OTHER, None),
        ("2.0.0", None, None),
        ("1.9.0", OTHER, "major"),
        ("3.0.0", OTHER, "major"),
        ("2.4.0", OTHER, "newer"),
        ("2.3.1", OTHER, "unversioned-change"),
        ("2.3", OTHER, "malformed"),
        ("02.3.1", OTHER, "malformed"),
        ("2.3.1-" + "a" * 60, OTHER, "malformed"),
    ],
)
def test_the_rule_table_matches_the_node_servers(version: str | None, digest: str | None, expected: str | None) -> None:
    verdict = judge_schema_offer("2.3.1", H, SchemaOffer(version, digest))
    assert (verdict.kind if verdict else None) == expected


def test_major_zero_and_the_close_reason() -> None:
    assert judge_schema_offer("0.4.0", H, SchemaOffer("0.4.7", OTHER)) is None
    assert judge_schema_offer("0.4.0", H, SchemaOffer("0.3.0", OTHER)).kind == "major"  # type: ignore[union-attr]
    assert read_schema_offer(["wsgen.v1", "wsgen.token.t", "wsgen.version.1.2.3", f"wsgen.hash.{H}"]) == SchemaOffer("1.2.3", H)
    reason = version_close_reason("2.0.0", "1.4.0", "major versions differ")
    assert reason == "server=2.0.0 client=1.4.0: major versions differ"
    refusal = parse_version_refusal(reason)
    assert refusal is not None and (
        refusal.server_version,
        refusal.client_version,
        refusal.why,
    ) == ("2.0.0", "1.4.0", "major versions differ")
    long = version_close_reason("2.0.0-" + "x" * 80, "1.0.0-" + "y" * 80, "major versions differ")
    assert len(long.encode()) <= 123 and parse_version_refusal(long) is not None


@pytest.mark.parametrize(
    ("server_version", "client_version", "same_hash"),
    [("2.3.1", "2.3.2", True), ("2.3.1", "2.1.0", False)],
)
@live()
async def test_a_docs_only_change_and_an_older_minor_connect(server_version: str, client_version: str, same_hash: bool) -> None:
    async with Server(protocol=replace(PROTOCOL, version=server_version, schema_hash=H if same_hash else OTHER)) as s:
        c = chat_client(
            f"ws://127.0.0.1:{s.port}",
            s.token,
            replace(PROTOCOL, version=client_version),
            options=FAST,
        )
        await c.connect()
        reply = await c.request({"type": "user_message", "message": "/echo hi"})
        assert (reply["type"], reply["message"]) == ("agent_message", "hi")
        await c.close()
        assert "protocol_mismatch" not in s.log_text()


@pytest.mark.parametrize(
    ("client_version", "why"),
    [
        ("1.4.0", "major versions differ"),
        ("3.0.0", "major versions differ"),
        ("2.5.0", "the client is on a newer minor version"),
    ],
)
@live()
async def test_another_major_is_closed_with_4504_naming_both_versions(client_version: str, why: str) -> None:
    async with Server(protocol=replace(PROTOCOL, version="2.3.1", schema_hash=OTHER)) as s:
        c = chat_client(
            f"ws://127.0.0.1:{s.port}",
            s.token,
            replace(PROTOCOL, version=client_version),
            options=FAST,
        )
        with pytest.raises(ClientError) as e:
            await c.connect()
        err = e.value
        assert (err.code, err.kind, err.server_version, err.client_version) == (
            4504,
            "protocol",
            "2.3.1",
            client_version,
        )
        assert str(err) == f"protocol mismatch: server version 2.3.1, client version {client_version} ({why}); not retrying"
        assert await c.stopped() is err
        assert c.reconnects == 0 and c.health()["status"] == "failed"
        logs = [json.loads(line) for line in s.logs.text]
        refusals = [entry for entry in logs if entry.get("event") == "protocol_mismatch"]
        assert len(refusals) == 1
        assert refusals[0]["level"] == "warn"
        assert (
            refusals[0]["code"],
            refusals[0]["server_version"],
            refusals[0]["client_version"],
        ) == (4504, "2.3.1", client_version)
        assert "regenerate" in refusals[0]["hint"] or "deploy" in refusals[0]["hint"]
        assert 'closes_total{code="4504"} 1' in s.core.metrics.text().decode()


@live()
async def test_the_ts_client_against_the_fastapi_server() -> None:
    assert (ROOT / "dist" / "runtime" / "client" / "index.js").exists(), "run `node scripts/build.mjs` first"
    probe = Path(__file__).with_name("versions_probe.mjs")
    async with Server(protocol=replace(PROTOCOL, version="2.3.1", schema_hash=OTHER)) as s:
        url = f"ws://127.0.0.1:{s.port}/api/ws/guide"
        outcomes = {}
        for version in ("2.1.0", "1.4.0"):
            proc = await asyncio.create_subprocess_exec("node", str(probe), url, s.token, version, stdout=subprocess.PIPE)
            out, _ = await asyncio.wait_for(proc.communicate(), 30)
            outcomes[version] = json.loads(out.decode().strip().splitlines()[-1])
    assert outcomes["2.1.0"] == {"status": "open"}
    assert outcomes["1.4.0"] == {
        "status": "failed",
        "code": "PROTOCOL_MISMATCH",
        "message": "protocol mismatch: server version 2.3.1, client version 1.4.0 (major versions differ); not retrying",
        "server": "2.3.1",
        "client": "1.4.0",
        "reconnects": 0,
    }
