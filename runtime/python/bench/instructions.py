"""Instructions per message of each bench server, counted by valgrind's callgrind: a figure a loaded machine does not move.

    .venv/bin/python runtime/python/bench/instructions.py [--batches 10]

The same servers and load as run.py (raw Starlette endpoint with json.loads + json.dumps, the raw endpoint with the
generated parse_message, the wsgen runtime; one uvicorn configuration), each under ``valgrind --tool=callgrind``
with instrumentation off until 8 connections x 3 batches of 32 messages have warmed it, then on for ``--batches``
more (``callgrind_control``). Counts are user-space instructions of the server process (the kernel's share, the same
syscalls for every server, is not counted) and repeat to within about 1 % from run to run (hash seeds differ). CPU seconds (run.py)
weigh instructions unequally (cache misses, wake-ups) and move with the machine's load; this figure does not.
Needs valgrind (exit 2 when it is missing).
"""

from __future__ import annotations

import argparse
import asyncio
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # the bench's servers, load and helpers

KINDS = ("raw", "parse", "wsgen")


def callgrind_total(prefix: str) -> int:
    """The instruction total of the dumps written under ``prefix`` (the largest ``summary``/``totals`` line)."""
    total = 0
    for path in glob.glob(prefix + "*"):
        for line in Path(path).read_text(errors="replace").splitlines():
            if line.startswith(("summary:", "totals:")):
                total = max(total, int(line.split()[1]))
    return total


def control(pid: int, *args: str) -> None:
    """Sends a command to the callgrind of process ``pid`` (``--instr=on``, ``--instr=off``, ``--dump``)."""
    subprocess.run(["callgrind_control", *args, str(pid)], check=True, capture_output=True)


async def drive(port: int, kind: str, pid: int, batches: int) -> int:
    """Warms the server, then counts ``batches`` x 32 messages on each of 8 connections; returns the messages counted."""
    conns: list[Any] = [await run.connect(port, i) for i in range(8)]
    if kind == "wsgen":
        for ws in conns:
            await ws.recv()  # session_created

    async def rounds(ws: Any, n: int) -> None:
        for _ in range(n):
            for _ in range(32):
                await ws.send(run.MSG)
            for _ in range(32):
                await ws.recv()

    await asyncio.gather(*(rounds(ws, 3) for ws in conns))
    await asyncio.to_thread(control, pid, "--instr=on")
    await asyncio.gather(*(rounds(ws, batches) for ws in conns))
    await asyncio.to_thread(control, pid, "--instr=off")
    await asyncio.to_thread(control, pid, "--dump")
    for ws in conns:
        await ws.close()
    return 8 * 32 * batches


def count(kind: str, batches: int, out_dir: str) -> float:
    """Instructions per message of one server kind."""
    port = 19000 + (os.getpid() % 500) * 3 + KINDS.index(kind)
    prefix = os.path.join(out_dir, f"callgrind.{kind}")
    tool = ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={prefix}"]
    cmd = [*tool, sys.executable, run.__file__, "serve", kind, str(port)]
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        run.wait_listening(port, timeout_s=300.0)
        messages = asyncio.run(drive(port, kind, p.pid, batches))
        time.sleep(1.0)  # the dump is written by the server process
        return callgrind_total(prefix) / messages
    finally:
        p.terminate()
        p.wait(30)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--batches", type=int, default=10, help="counted batches of 32 messages on each of 8 connections")
    args = ap.parse_args()
    if shutil.which("valgrind") is None or shutil.which("callgrind_control") is None:
        print("error: valgrind (callgrind) is not installed", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as out_dir:
        ir = {kind: count(kind, args.batches, out_dir) for kind in KINDS}
    print(f"instructions per message: raw {ir['raw']:,.0f}  parse {ir['parse']:,.0f}  wsgen {ir['wsgen']:,.0f}")
    print(f"raw/wsgen {ir['raw'] / ir['wsgen']:.3f}x  raw/floor {ir['raw'] / ir['parse']:.3f}x  floor/wsgen {ir['parse'] / ir['wsgen']:.3f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
