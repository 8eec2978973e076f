"""The shared conformance vectors (test/conformance/vectors/*.json): parse_message gives the expected verdict."""

from __future__ import annotations

import pytest
from vectors import load_vectors, vector_text

import wsgen_protocol as w

VECTORS = load_vectors()


@pytest.mark.parametrize("vector", VECTORS, ids=[f"{v['file']}:{v['name']}" for v in VECTORS])
def test_vector(vector: dict[str, object]) -> None:
    result = w.parse_message(vector_text(vector))  # type: ignore[arg-type]
    assert result.ok is vector["valid"], result


def test_vectors_present_and_unique() -> None:
    assert len(VECTORS) >= 200
    # Names must be unique so that failures point at one vector.
    names = [f"{v['file']}:{v['name']}" for v in VECTORS]
    assert len(names) == len(set(names))
