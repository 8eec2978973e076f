"""How runtime/python/bench/redis_store.py counts a failover client's lost and duplicated messages (``tally``): a seq
counts within its epoch, so a stream that got a new epoch (an announced loss, RECOVERY_FAILED) and counts from 1
again is not "duplicated"; a chunk of the long stream got twice is, under any seq."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[3] / "runtime" / "python" / "bench" / "redis_store.py"
_spec = importlib.util.spec_from_file_location("wsgen_bench_redis_store", BENCH)
assert _spec is not None and _spec.loader is not None
bench = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = bench  # dataclasses look their module up
_spec.loader.exec_module(bench)


def seen(*got: tuple[str, int, int | None]) -> object:
    s = bench.Seen()
    s.got.extend(got)
    return s


def test_seqs_of_a_new_epoch_counting_from_1_again_are_not_duplicates() -> None:
    # 1..3 in epoch e1, the node lost them (RECOVERY_FAILED epoch_mismatch), then 1..2 in e2: Redis is at 2 in e2.
    s = seen(("e1", 1, None), ("e1", 2, 0), ("e1", 3, 1), ("e2", 1, None), ("e2", 2, None))
    assert bench.tally(s, 2, "e2", True) == (0, 0, 0)


def test_a_clean_failover_counts_nothing_and_a_replay_overlap_never_reaches_the_application() -> None:
    s = seen(("e", 1, None), ("e", 2, 0), ("e", 3, 1), ("e", 4, 2))
    assert bench.tally(s, 4, "e", False) == (0, 0, 0)


def test_a_chunk_delivered_twice_under_two_seqs_is_a_duplicate() -> None:
    s = seen(("e", 1, None), ("e", 2, 0), ("e", 3, 1), ("e", 4, 1))
    assert bench.tally(s, 4, "e", False) == (0, 0, 1)


def test_a_seq_of_the_current_epoch_missing_and_a_silent_chunk_gap_are_lost() -> None:
    s = seen(("e", 1, None), ("e", 2, 0), ("e", 4, 2))  # seq 3 (chunk 1) never came, and no loss was announced
    assert bench.tally(s, 4, "e", False) == (2, 0, 0)
    assert bench.tally(s, 4, "e", True) == (1, 0, 0)  # announced: the chunk gap is the announced loss
