"""How a handler's return value becomes wire data (handlers._as_message): a model is dumped as ``dump_message``
writes it, so a field set to ``None`` is sent as ``null`` and a field never set is left out."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from wsgen_runtime.handlers import _as_message


class Patch(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    text: str | None = None
    x: float | None = None
    from_: str | None = Field(default=None, alias="from")


def test_a_field_set_to_none_is_sent_as_null_and_an_unset_one_is_left_out() -> None:
    assert _as_message(Patch(text=None)) == {"text": None}
    assert _as_message(Patch(x=1.5)) == {"x": 1.5}


def test_models_inside_dicts_and_lists_are_dumped_the_same_way_with_wire_names() -> None:
    value = {"patches": [Patch(text=None), Patch(from_="a")], "n": (1, 2)}
    assert _as_message(value) == {"patches": [{"text": None}, {"from": "a"}], "n": [1, 2]}
