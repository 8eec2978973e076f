"""The whiteboard server (``whiteboard_server.py``) over a variant of the whiteboard whose ``shape_added`` also carries
two checked values (values ``_keywords.py`` judges, JSON Schema 2020-12): ``history``, a ``uniqueItems`` array of
shapes (a shape's ``kind`` is an enum), and ``span``, a tuple (``prefixItems`` [date-time, integer], ``items: false``).

``shape_add``'s shape ``text`` names the Python values its reply puts there (:data:`CASES`): the values a handler
naturally returns (pydantic ``model_dump`` in python mode, tuples, models, datetimes, enum members) and their
siblings whose JSON is invalid; ``emit model`` emits the request's shape model (its unset fields left out). Run as
``python checked_server.py`` with the variant's generated ``wsgen_protocol`` and the runtime's sources on PYTHONPATH;
it prints ``READY <port> <token> <token>`` as ``whiteboard_server.py`` does.
"""

from __future__ import annotations

import asyncio
import enum
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from whiteboard_server import HANDLERS, main
from wsgen_runtime import Request

#: When the spans start: 2026-01-02T03:04:05Z.
START = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


class Layer(enum.IntEnum):
    """An IntEnum: its members are ints and serialize as JSON integers."""

    TOP = 7


def _python(req: Request) -> dict[str, Any]:
    """The shape as pydantic's ``model_dump`` returns it in python mode: ``kind`` is a ShapeKind (StrEnum) member."""
    shape: dict[str, Any] = req.message.shape.model_dump(by_alias=True, exclude_none=True)
    assert type(shape["kind"]) is not str, "the case needs an enum member"
    return shape


#: Case name → the checked fields of the reply.
CASES: dict[str, Callable[[Request], dict[str, Any]]] = {
    "enum member": lambda req: {"history": [_python(req)]},
    "tuple": lambda req: {"history": (_python(req),), "span": (START.isoformat(), 1)},
    "model": lambda req: {"history": [req.message.shape]},
    "datetime and IntEnum": lambda req: {"span": [START, Layer.TOP]},
    "duplicates as JSON": lambda req: {"history": [_python(req), req.message.shape.model_dump(mode="json", by_alias=True, exclude_none=True)]},
    "bool as integer": lambda req: {"span": [START, True]},
    "naive datetime": lambda req: {"span": [START.replace(tzinfo=None), 1]},
    "float nan": lambda req: {"span": [START, float("nan")]},
}


def _shape_add(req: Request) -> Any:
    if req.message.shape.text == "emit model":  # the model the request holds (w, h, color never set), emitted inside a dict
        req.emit({"op": "shape_added", "by": req.session.user_id, "ref": req.message.ref, "shape": req.message.shape})
        return None
    return {"op": "shape_added", "by": req.session.user_id, "shape": req.message.shape, **CASES[req.message.shape.text](req)}


if __name__ == "__main__":
    sys.exit(asyncio.run(main(0.0, {**HANDLERS, "shape_add": _shape_add})))
